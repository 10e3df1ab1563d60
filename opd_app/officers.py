"""Officer accounts, managed by PPID Utama admins on the portal's own pages: the list, a new account, roles per OPD,
deactivation and password links.

Each write is one atomic, keyword-only function that checks the actor and the rule and logs who did what (the
portal has no audit table for accounts; the log line names the actor, the account and the change). The rules:
- a new account's password is never chosen by the admin: the officer gets a set-password link by e-mail
  (`passwords.password_mail_send`), so an e-mail address is required and may belong to one account only;
- the utama role only at the PPID Utama's OPD (`services.role_allowed_at`, shared with `create_officer`);
- an account keeps at least one role (an officer who leaves is deactivated, so the list still shows them);
- there is always an active PPID Utama admin, and an admin neither deactivates nor demotes themselves.
Changes touching who is a PPID Utama admin lock the PPID Utama's OPD row, so two admins removing each other at once
cannot leave none.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from ppid_portal.errors import DomainError, NotPermitted

from .models import OPD, Membership, Role
from .passwords import password_mail_send
from .permissions import can_manage_officers
from .services import officer_create, role_allowed_at

logger = logging.getLogger(__name__)


class OfficerRefused(DomainError):
    """The change breaks an account rule (HTTP 400 on a page, with the message beside the field it names)."""


def _require(actor) -> None:
    if not can_manage_officers(actor):
        raise NotPermitted(_("Hanya Admin PPID Utama yang dapat mengelola akun petugas."))


def _log(actor, change: str, user, **details) -> None:
    extra = "".join(f" {key}={value}" for key, value in details.items())
    logger.info("officer account %s: %s (id %s) by %s (id %s)%s", change, user.get_username(), user.pk,
                actor.get_username(), actor.pk, extra)


def _utama_lock() -> None:
    OPD.objects.select_for_update().filter(is_ppid_utama=True).first()


def _others_hold_utama(user) -> bool:
    return Membership.objects.filter(role=Role.UTAMA, user__is_active=True).exclude(user=user).exists()


def _utama_refusal(opd: OPD) -> str:
    utama = OPD.objects.filter(is_ppid_utama=True).first()
    return _("Peran Admin PPID Utama hanya diberikan di OPD PPID Utama (%(utama)s), tidak di %(opd)s.") % {
        "utama": utama.name if utama else "—", "opd": opd.name}


# --- reads

def officer_accounts(query: str = ""):
    """Every account with a PPID role, active first, by username; `query` matches a username, a name (first, last
    or both) or an e-mail, in any case. Roles come along with their OPD in one more query."""
    users = get_user_model().objects.filter(pk__in=Membership.objects.values("user_id"))
    query = " ".join((query or "").split())
    if query:
        users = users.annotate(full=Concat("first_name", Value(" "), "last_name")).filter(
            Q(username__icontains=query) | Q(full__icontains=query) | Q(email__icontains=query))
    roles = Membership.objects.select_related("opd").order_by("-opd__is_ppid_utama", "opd__name", "role")
    return users.order_by("-is_active", "username").prefetch_related(Prefetch("ppid_roles", queryset=roles))


def officer_account(pk: int):
    """The account with a PPID role and this id, or None (any other account is not an officer's)."""
    return officer_accounts().filter(pk=pk).first()


def can_lose_utama(user) -> bool:
    """Whether the account may stop being a PPID Utama admin: it is not one, or another active one remains."""
    holds = Membership.objects.filter(user=user, role=Role.UTAMA).exists()
    return not (holds and user.is_active) or _others_hold_utama(user)


# --- writes

def officer_invite(*, actor, username: str, full_name: str, email: str, opd: OPD, role: str):
    """A new officer account with one role, without a usable password, and the set-password link to its e-mail.
    Returns (user, sent): `sent` False when the mail server refused (the account stays; send the link again)."""
    _require(actor)
    User = get_user_model()
    username, email, full_name = username.strip(), email.strip().lower(), " ".join(full_name.split())
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise OfficerRefused(_("Nama pengguna ini sudah dipakai akun lain."), field="username")
        if User.objects.filter(email__iexact=email).exists():
            raise OfficerRefused(_("Alamat e-mail ini sudah dipakai akun lain."), field="email")
        if not role_allowed_at(opd, role):
            raise OfficerRefused(_utama_refusal(opd), field="role")
        user = officer_create(username=username, opd_code=opd.code, role=role, password=None, email=email,
                              full_name=full_name)
        _log(actor, "created", user, opd=opd.code, role=role)
    return user, password_mail_send(user, invitation=True, language="id")


def role_add(*, actor, user, opd: OPD, role: str) -> Membership:
    _require(actor)
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        if not role_allowed_at(opd, role):
            raise OfficerRefused(_utama_refusal(opd), field="role")
        if Membership.objects.filter(user=user, opd=opd, role=role).exists():
            raise OfficerRefused(_("Akun ini sudah memegang peran itu di OPD tersebut."), field="role")
        membership = Membership.objects.create(user=user, opd=opd, role=role)
        _log(actor, "role added", user, opd=opd.code, role=role)
    return membership


def role_remove(*, actor, membership: Membership) -> None:
    _require(actor)
    user = membership.user
    with transaction.atomic():
        if membership.role == Role.UTAMA:
            _utama_lock()
        get_user_model().objects.select_for_update().get(pk=user.pk)
        if not Membership.objects.filter(pk=membership.pk).exists():
            return  # removed meanwhile: nothing left to do
        if Membership.objects.filter(user=user).count() == 1:
            raise OfficerRefused(_("Ini peran terakhir akun ini. Bila petugas tidak lagi bertugas, nonaktifkan "
                                   "akunnya."))
        if membership.role == Role.UTAMA:
            if user.pk == actor.pk:
                raise OfficerRefused(_("Anda tidak dapat mencabut peran Admin PPID Utama Anda sendiri; mintalah "
                                       "admin lain."))
            if user.is_active and not _others_hold_utama(user):
                raise OfficerRefused(_("Ini Admin PPID Utama aktif terakhir: tambahkan admin lain lebih dahulu."))
        membership.delete()
        _log(actor, "role removed", user, opd=membership.opd.code, role=membership.role)


def officer_deactivate(*, actor, user) -> None:
    """The account can no longer sign in (its sessions and API tokens stop working: Django and the token
    authentication refuse an inactive account); its roles and history stay."""
    _require(actor)
    with transaction.atomic():
        _utama_lock()
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.pk == actor.pk:
            raise OfficerRefused(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        if not user.is_active:
            return
        if not can_lose_utama(user):
            raise OfficerRefused(_("Ini Admin PPID Utama aktif terakhir: tambahkan admin lain lebih dahulu."))
        user.is_active = False
        user.save(update_fields=["is_active"])
        _log(actor, "deactivated", user)


def officer_reactivate(*, actor, user) -> None:
    _require(actor)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return
        user.is_active = True
        user.save(update_fields=["is_active"])
        _log(actor, "reactivated", user)


def officer_password_link(*, actor, user) -> bool:
    """Send the officer a set-password link (the current password keeps working until a new one is set). False
    when the mail server refused."""
    _require(actor)
    if not user.is_active:
        raise OfficerRefused(_("Akun ini nonaktif: aktifkan dahulu sebelum mengirim tautan kata sandi."))
    if not user.email:
        raise OfficerRefused(_("Akun ini tidak memiliki alamat e-mail; tautan tidak dapat dikirim."))
    sent = password_mail_send(user, language="id")
    _log(actor, "password link sent" if sent else "password link not sent", user)
    return sent
