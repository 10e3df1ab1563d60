"""Citizen (pemohon) accounts: optional — filing needs no account — but an account keeps the history."""

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ppid_portal.limits import EMAIL_MAX_LENGTH

from .permissions import is_staff_member


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH,
                             help_text=_("Pemberitahuan dikirim ke alamat ini."))
    first_name = forms.CharField(label=_("Nama lengkap"), max_length=150)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "first_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Alamat e-mail ini sudah terdaftar."))
        return email


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("my-requests")
    return render(request, "opd_app/signup.html", {"form": form}, status=400 if form.errors else 200)


def after_login(request):
    """Officers land on their queue, citizens on their own requests."""
    if request.user.is_authenticated and is_staff_member(request.user):
        return redirect("queue")
    return redirect("my-requests")
