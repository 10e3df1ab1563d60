from .permissions import can_administer, can_see_objection_queue, can_see_officer_pages


def roles(request):
    """Which menus a page offers: the same gates the views answer by (opd_app.decorators)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"is_staff_member": False, "is_utama": False, "is_atasan": False}
    return {
        "is_staff_member": can_see_officer_pages(user),
        "is_utama": can_administer(user),
        "is_atasan": can_see_objection_queue(user),
    }
