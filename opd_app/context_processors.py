from .models import Role
from .permissions import is_staff_member, is_utama_admin, opd_ids_for


def roles(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"is_staff_member": False, "is_utama": False, "is_atasan": False}
    return {
        "is_staff_member": is_staff_member(user),
        "is_utama": is_utama_admin(user),
        "is_atasan": bool(opd_ids_for(user, Role.ATASAN)) or is_utama_admin(user),
    }
