from django.utils.translation import gettext as _

from .models import Role
from .permissions import can_administer, can_see_objection_queue, can_see_officer_pages, role_badges


def _role_short(role: str) -> str:
    """A role as the header names it: the statutory title, without "Petugas"/"Admin"."""
    names = {Role.UTAMA: _("PPID Utama"), Role.ATASAN: _("Atasan PPID"), Role.PELAKSANA: _("PPID Pelaksana")}
    return names.get(role, role)


def signed_in_as(user) -> dict:
    """Who is signed in, for the header: a name, and the role and OPD in short ("PPID Pelaksana DINKES"), the
    widest role first and "+N" for more; "Pemohon" for a citizen's account."""
    name = (user.get_full_name() or user.get_username()).strip()
    badges = role_badges(user)
    if badges:
        role, code = badges[0]
        role_text = _role_short(role) if role == Role.UTAMA else f"{_role_short(role)} {code}"
        if len(badges) > 1:
            role_text += f" +{len(badges) - 1}"
    elif user.is_superuser:
        role_text = _role_short(Role.UTAMA)
    else:
        role_text = _("Pemohon")
    return {"name": name, "role": role_text}


def roles(request):
    """Which menus a page offers: the same gates the views answer by (opd_app.decorators), and who is signed in."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"is_staff_member": False, "is_utama": False, "is_atasan": False, "signed_in_as": None}
    # First: its one query also fills the roles cache the gates below read.
    who = signed_in_as(user)
    return {
        "is_staff_member": can_see_officer_pages(user),
        "is_utama": can_administer(user),
        "is_atasan": can_see_objection_queue(user),
        "signed_in_as": who,
    }
