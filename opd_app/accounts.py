"""Citizen (pemohon) accounts: optional — filing needs no account — but an account keeps the history."""

from django import forms
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ppid_portal.limits import EMAIL_MAX_LENGTH
from ppid_portal.login_limit import LoginForm, login_status
from ppid_portal.ratelimit import rate_limited

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
