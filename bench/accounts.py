"""The bench's accounts: the officers the seed assigns cases to, the PPID Utama admin, and the credentials the
load generator sends (a session cookie and an API token)."""

from __future__ import annotations


def make_users():
    """Two PPID Pelaksana officers per OPD and one PPID Utama admin; tokens and a session for the load."""
    from django.contrib.auth import get_user_model

    from opd_app.models import OPD, Membership, Role

    User = get_user_model()
    officers: dict[int, list[int]] = {}
    for opd in OPD.objects.all():
        ids = []
        for k in (1, 2):
            user, _ = User.objects.get_or_create(username=f"petugas{k}.{opd.code.lower()}",
                                                 defaults={"email": f"petugas{k}.{opd.code.lower()}@kukarkab.go.id"})
            Membership.objects.get_or_create(user=user, opd=opd, role=Role.PELAKSANA)
            ids.append(user.pk)
        officers[opd.pk] = ids
    admin, _ = User.objects.get_or_create(username="admin.utama.bench", defaults={"email": "utama@kukarkab.go.id"})
    Membership.objects.get_or_create(user=admin, opd=OPD.objects.get(is_ppid_utama=True), role=Role.UTAMA)
    return officers, admin


def credentials(user) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token, _ = Token.objects.get_or_create(user=user)
    return {"cookie": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"},
            "token": {"Authorization": f"Token {token.key}"}}

