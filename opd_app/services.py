"""Writes to the OPD directory and to officers' roles."""

from django.contrib.auth import get_user_model
from django.db import transaction

from .directory import HEAD_TITLES, OPD_DIRECTORY, PPID_UTAMA_CODE
from .models import OPD, Membership, Role


def _head_title(name: str, kind: str) -> str:
    """The head's title from the unit's name: "Dinas Kesehatan" -> "Kepala Dinas Kesehatan", "Sekretariat Daerah"
    -> "Sekretaris Daerah", "Inspektorat Daerah" -> "Inspektur Daerah" (it signs the answers to keberatan)."""
    first, _, rest = name.partition(" ")
    if first.lower() == kind and rest:
        return f"{HEAD_TITLES[kind]} {rest}"
    return f"{HEAD_TITLES[kind]} {name}"


def opd_seed(*, update: bool = False) -> tuple[int, int]:
    """Create the OPD of the regency's directory that are missing: returns (created, updated). An OPD that exists
    keeps what its admins made of it (name, letterhead, signatory); `update=True` overwrites the directory's
    fields with the seed on purpose."""
    created = updated = 0
    with transaction.atomic():
        for code, name, kind in OPD_DIRECTORY:
            utama = code == PPID_UTAMA_CODE
            defaults = {
                "name": name,
                "kind": kind,
                "is_ppid_utama": utama,
                "address": "Tenggarong, Kabupaten Kutai Kartanegara, Kalimantan Timur",
                "email": f"ppid.{code.lower()}@kukarkab.go.id",
                "website": "https://kukarkab.go.id",
                "head_title": _head_title(name, kind),
                "ppid_title": "PPID Utama" if utama else "PPID Pelaksana",
            }
            if update:
                _, was_created = OPD.objects.update_or_create(code=code, defaults=defaults)
                updated += not was_created
            else:
                _, was_created = OPD.objects.get_or_create(code=code, defaults=defaults)
            created += was_created
    return created, updated


def opd_signatory_update(*, opd: OPD, actor, name: str, title: str, nip: str) -> OPD:
    """Set who signs the OPD's letters. A NIP is 18 digits (spaces allowed as printed: 19750812 200212 2 004) and
    belongs to a named official."""
    from django.utils.translation import gettext as _

    from ppid_portal.errors import MissingField, NotPermitted

    from .permissions import can_edit_signatory

    if not can_edit_signatory(actor, opd.pk):
        raise NotPermitted(_("Hanya Atasan PPID OPD ini atau PPID Utama yang dapat mengubah penanda tangan surat."))
    name, title, nip = (name or "").strip(), (title or "").strip(), " ".join((nip or "").split())
    if nip and not (nip.replace(" ", "").isdigit() and len(nip.replace(" ", "")) == 18):
        raise MissingField(_("NIP terdiri atas 18 angka."), field="nip")
    if nip and not name:
        raise MissingField(_("Isi nama penanda tangan yang memiliki NIP ini."), field="name")
    opd.signatory_name, opd.signatory_title, opd.signatory_nip = name, title, nip
    opd.save(update_fields=["signatory_name", "signatory_title", "signatory_nip"])
    return opd


def ppid_utama() -> OPD:
    return OPD.objects.get(is_ppid_utama=True)


def role_allowed_at(opd: OPD, role: str) -> bool:
    """Whether `role` may be held at `opd`: the utama role reaches every OPD, so it is given only at the PPID
    Utama's own OPD; the other roles at any OPD."""
    return role in Role.values and (role != Role.UTAMA or opd.is_ppid_utama)


@transaction.atomic
def officer_create(*, username: str, opd_code: str, role: str, password: str | None, email: str = "",
                   full_name: str = ""):
    """Create (or extend) an officer account with a role in an OPD; `utama` only at the PPID Utama OPD (ValueError)."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; use one of {', '.join(Role.values)}")
    opd = OPD.objects.get(code=opd_code.upper())
    if not role_allowed_at(opd, role):
        raise ValueError(f"The utama role is only given at the PPID Utama's OPD, not at {opd.code}")
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if full_name:
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
    if email:
        user.email = email
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    Membership.objects.get_or_create(user=user, opd=opd, role=role)
    return user
