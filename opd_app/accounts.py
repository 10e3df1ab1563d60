"""Citizen (pemohon) accounts: optional — filing needs no account — but an account keeps the history."""

from django import forms
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ppid_portal.limits import EMAIL_MAX_LENGTH
from ppid_portal.login_limit import LoginForm, login_status
from ppid_portal.ratelimit import rate_limited

from .passwords import link_valid_days, reset_mail_send
from .permissions import can_see_officer_pages


def _min_password_length() -> int:
    """The shortest password the configured validators accept (Django's default, 8, when none says)."""
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 8


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH,
                             help_text=_("Pemberitahuan dikirim ke alamat ini."))
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own help texts are long English-style rules (a bulleted list for the password); a citizen on
        # a phone needs one short Indonesian line each, saying what the validators below will check.
        self.fields["username"].help_text = _("Dipakai untuk masuk. Hanya huruf, angka, dan tanda @ . + - _")
        self.fields["password1"].help_text = _(
            "Minimal %(n)d karakter, tidak hanya angka, tidak mirip nama atau e-mail Anda, dan tidak mudah ditebak."
        ) % {"n": _min_password_length()}
        self.fields["password2"].help_text = _("Ketik ulang kata sandi yang sama.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Alamat e-mail ini sudah terdaftar."))
        return email


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    # An account is a record made by an anonymous client: counted with new requests and objections.
    if request.method == "POST" and rate_limited(request, "ppid_submit"):
        return render(request, "requests_app/throttled.html", status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("my-requests")
    return render(request, "opd_app/signup.html", {"form": form}, status=400 if form.errors else 200)


_login_view = auth_views.LoginView.as_view(template_name="opd_app/login.html", authentication_form=LoginForm)


def login_page(request, *args, **kwargs):
    """Django's login view with the failed-login limit (429 past it)."""
    return login_status(_login_view(request, *args, **kwargs))


def after_login(request):
    """Officers land on their queue, citizens on their own requests."""
    if request.user.is_authenticated and can_see_officer_pages(request.user):
        return redirect("queue")
    return redirect("my-requests")


# --- "Lupa kata sandi?": Django's password-reset views under the portal's addresses, words and limits.

class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail akun Anda"), max_length=EMAIL_MAX_LENGTH,
                             help_text=_("Alamat e-mail yang tercatat pada akun Anda."))

    def save(self, **_django_options):
        # The link is built from PPID_SITE_URL and sent by passwords.py (Django's form would take the Host header
        # and skip officers who have not set their first password yet).
        reset_mail_send(self.cleaned_data["email"])


class PasswordSetForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "Minimal %(n)d karakter, tidak hanya angka, tidak mirip nama atau e-mail Anda, dan tidak mudah ditebak."
        ) % {"n": _min_password_length()}
        self.fields["new_password2"].help_text = _("Ketik ulang kata sandi yang sama.")


class PasswordResetRequestView(auth_views.PasswordResetView):
    """The same answer (a redirect to the same words) whether or not the address has an account; each attempt
    counts against PPID_THROTTLE_PASSWORD_RESET for the client (each may be an e-mail to someone's inbox)."""

    form_class = PasswordResetRequestForm
    template_name = "opd_app/password_reset.html"
    success_url = reverse_lazy("password-reset-done")

    def post(self, request, *args, **kwargs):
        if rate_limited(request, "ppid_password_reset"):
            return render(request, "requests_app/throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: a new password, checked by the project's validators. A deactivated account's
    link is an invalid link."""

    form_class = PasswordSetForm
    template_name = "opd_app/password_set.html"
    success_url = reverse_lazy("password-reset-complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


password_reset = PasswordResetRequestView.as_view()


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "opd_app/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "days": link_valid_days()}


password_reset_done = PasswordResetSentView.as_view()
password_set = PasswordSetView.as_view()
password_set_done = auth_views.PasswordResetCompleteView.as_view(template_name="opd_app/password_set_done.html")
