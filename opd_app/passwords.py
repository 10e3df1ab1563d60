"""Set-password links by e-mail: for a new officer (so the admin who creates the account never knows its password),
for an officer's reset ordered by PPID Utama, and for "Lupa kata sandi?" on the login page.

The link carries Django's password-reset token (`default_token_generator`): it works for
PASSWORD_RESET_TIMEOUT, stops working once a password is set (the token is made from the password hash), and is
refused for a deactivated account (`accounts.PasswordSetView`). Its address comes from PPID_SITE_URL
(`{% site_url %}` in the e-mail), never from the request's Host header.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ppid_portal.queueing import enqueue

logger = logging.getLogger(__name__)

PASSWORD_LINK_TASK = "opd_app.tasks.send_password_link_task"


def link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def password_mail_send(user, *, invitation: bool = False, language: str | None = None) -> bool:
    """E-mail `user` a link to set a password (`invitation`: the words for a new officer account). Nothing for a
    deactivated account or one without an address. False when nothing was sent (a mail server error is logged)."""
    if not user.is_active or not user.email:
        return False
    context = {
        "user": user, "name": (user.get_full_name() or user.get_username()).strip(), "invitation": invitation,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
        "days": link_valid_days(), "regency": settings.PPID_REGENCY_NAME,
    }
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/password_link_subject.txt", context).split())
        body = render_to_string("emails/password_link.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception:  # the mail server's failure is the caller's message to show, not a 500
        logger.exception("Password link to user %s not sent", user.pk)
        return False
    return True


def reset_mail_send(email: str) -> int:
    """"Lupa kata sandi?": a link to every active account with this address (any case), officers still waiting
    to set their first password included. The links are made and sent by a worker (the page's answer takes the
    same time for an address without an account); returns how many were queued, which the page never shows."""
    users = get_user_model().objects.filter(email__iexact=(email or "").strip(), is_active=True).exclude(email="")
    language = translation.get_language()
    return sum(enqueue(PASSWORD_LINK_TASK, (pk, language)) for pk in users.values_list("pk", flat=True))
