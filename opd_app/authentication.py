"""API token authentication that also loads the user's PPID roles, in one statement.

DRF's TokenAuthentication reads the token with its user; every officer endpoint then asks for the user's
memberships (opd_app.permissions), a second round trip per request. Here one LEFT JOIN returns the
user once per membership (or once, without one); the roles go into the same per-request cache the permission
functions read, so they never query again (measured in bench/: the queue API against its SQL floor).
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from opd_app.models import Membership
from opd_app.permissions import roles_remember


def user_with_roles_for_token(key: str):
    """The user holding token `key` with its roles already known to the permission functions, or None."""
    user_model = get_user_model()
    users, tokens, memberships = user_model._meta, Token._meta, Membership._meta
    qn = lambda name: f'"{name}"'  # noqa: E731 - table and column names are identifiers from the models
    sql = (
        f"SELECT u.*, m.{qn(memberships.get_field('opd').column)} AS ppid_opd_id, "
        f"m.{qn(memberships.get_field('role').column)} AS ppid_role "
        f"FROM {qn(users.db_table)} u "
        f"JOIN {qn(tokens.db_table)} t ON t.{qn(tokens.get_field('user').column)} = u.{qn(users.pk.column)} "
        f"LEFT JOIN {qn(memberships.db_table)} m ON m.{qn(memberships.get_field('user').column)} = "
        f"u.{qn(users.pk.column)} "
        f"WHERE t.{qn(tokens.get_field('key').column)} = %s ORDER BY m.{qn(memberships.pk.column)}"
    )
    rows = list(user_model.objects.raw(sql, [key]))
    if not rows:
        return None
    user = rows[0]
    roles_remember(user, [(r.ppid_opd_id, r.ppid_role) for r in rows if r.ppid_opd_id is not None])
    return user


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, with the roles loaded alongside the user."""

    def authenticate_credentials(self, key):
        user = user_with_roles_for_token(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, Token(key=key, user=user))
