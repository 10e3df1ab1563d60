"""Permission functions and queryset scopers every app calls (Froide style, no per-object library).

A case is anything with an `opd_id`; the scopers take the queryset so this app never imports the
others (dependencies point one way: opd_app <- requests_app <- documents_app).
"""

from django.db.models import QuerySet

from .models import Membership, Role


def _roles(user) -> list[tuple[int, str]]:
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_ppid_roles_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list("opd_id", "role"))
        user._ppid_roles_cache = cached
    return cached


def is_utama_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or any(r == Role.UTAMA for _, r in _roles(user))))


def opd_ids_for(user, *roles: str) -> set[int]:
    """OPD ids where the user holds one of `roles` (any role when none given). Utama is not expanded."""
    return {opd_id for opd_id, role in _roles(user) if not roles or role in roles}


def is_staff_member(user) -> bool:
    return is_utama_admin(user) or bool(_roles(user))


def visible_opd_ids(user, roles=(Role.PELAKSANA, Role.ATASAN)) -> set[int] | None:
    """The OPDs whose rows the user sees: None for every OPD (PPID Utama), else the ids (maybe none)."""
    return None if is_utama_admin(user) else opd_ids_for(user, *roles)


def scope_to_user(user, queryset: QuerySet, *, roles=(Role.PELAKSANA, Role.ATASAN), field="opd_id") -> QuerySet:
    """Rows of `queryset` whose OPD the user works for; everything for PPID Utama; nothing otherwise."""
    ids = visible_opd_ids(user, roles)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})


def cases_visible_to(user, queryset: QuerySet) -> QuerySet:
    return scope_to_user(user, queryset)


def can_act_on(user, case) -> bool:
    """Officers and Atasan of the case's OPD, and PPID Utama admins, may act on a case."""
    return is_utama_admin(user) or case.opd_id in opd_ids_for(user, Role.PELAKSANA, Role.ATASAN)


def can_assign(user, case) -> bool:
    """Assigning to someone else is for the OPD's Atasan PPID and PPID Utama; an officer may claim."""
    return is_utama_admin(user) or case.opd_id in opd_ids_for(user, Role.ATASAN)


def can_answer_objection(user, objection_opd_id: int) -> bool:
    return is_utama_admin(user) or objection_opd_id in opd_ids_for(user, Role.ATASAN)


def officers_of(opd_id: int, *roles: str):
    from django.contrib.auth import get_user_model

    roles = roles or (Role.PELAKSANA,)
    return get_user_model().objects.filter(
        is_active=True, ppid_roles__opd_id=opd_id, ppid_roles__role__in=roles
    ).distinct()


def utama_admins():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, ppid_roles__role=Role.UTAMA).distinct()
