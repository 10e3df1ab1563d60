"""Celery tasks of opd_app: thin, fetch by id and call one service."""

from celery import shared_task
from django.contrib.auth import get_user_model

from opd_app.passwords import password_mail_send


@shared_task(acks_late=True)
def send_password_link_task(user_id: int, language: str | None = None) -> bool:
    """"Lupa kata sandi?": the link to one account, made and sent by a worker so that the page answers in the same
    time whether or not the address has an account. Nothing for an account deleted or deactivated meanwhile."""
    user = get_user_model().objects.filter(pk=user_id).first()
    return bool(user) and password_mail_send(user, language=language)
