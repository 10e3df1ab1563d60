"""Failed-login limit for the login page, the Django admin's login and the API token endpoint.

Failed attempts are counted per account (the username, case-folded) and per client address, each against
`PPID_THROTTLE_LOGIN` (DRF's rate syntax). Past either limit the login is refused with 429 before the
password is even checked, so the right password does not help a guesser who has used up the rate.

Written here rather than with django-axes: the count must use the one client address every limiter uses
(`client_address`, by way of `limiter_ident`) and keep counting in memory while the cache server is down
(`limiter_cache`); axes brings its own address resolution and its own storage.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from ppid_portal.client_address import limiter_ident
from ppid_portal.ratelimit import hits, limiter_cache, parse_rate

THROTTLED_MESSAGE = _("Terlalu banyak percobaan masuk yang gagal. Silakan coba lagi nanti.")


def _keys(request, username: str) -> list[str]:
    keys = [f"ppid-login:client:{limiter_ident(request) if request is not None else 'unknown'}"]
    account = (username or "").strip().lower()
    if account:
        # Hashed: a username is free text, a cache key is not.
        keys.append(f"ppid-login:account:{hashlib.sha256(account.encode()).hexdigest()}")
    return keys


def login_blocked(request, username: str) -> bool:
    """True when this client, or this account, has used up its failed logins; counts nothing."""
    num, _duration = parse_rate(settings.PPID_THROTTLE_LOGIN)
    return any(hits(key) >= num for key in _keys(request, username))


def login_failed(request, username: str) -> None:
    """Count one failed login for this client and this account."""
    _num, duration = parse_rate(settings.PPID_THROTTLE_LOGIN)
    for key in _keys(request, username):
        limiter_cache.incr(key, duration)


class LoginLimitMixin:
    """For an AuthenticationForm: refuses a login past the limit and counts a failed one."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if login_blocked(self.request, username):
            raise forms.ValidationError(THROTTLED_MESSAGE, code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            login_failed(self.request, username)
            raise


class LoginForm(LoginLimitMixin, AuthenticationForm):
    """The login page's form."""


class AdminLoginForm(LoginLimitMixin, AdminAuthenticationForm):
    """The Django admin's login form."""


def login_status(response):
    """A login view's response with status 429 when its form was refused for the limit."""
    form = (getattr(response, "context_data", None) or {}).get("form")
    if form is not None and form.has_error(NON_FIELD_ERRORS, code="throttled"):
        response.status_code = 429
    return response
