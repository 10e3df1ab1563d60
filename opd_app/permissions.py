"""Permission functions and queryset scopers every app calls (Froide style, no per-object library).

Every decision about who may see or do what with cases, objections, documents, officers and the admin side
lives here or in an app's `permissions.py` built on these functions; views, API views and decorators only
map a decision to an HTTP answer.

A case is anything with an `opd_id`; the scopers take the queryset so this app never imports the
others (dependencies point one way: opd_app <- requests_app <- documents_app).

Out of scope is 404. An object of an OPD (a case, an objection, a document) that the user may not see does
not exist for that user: pages and API answer 404 alike (`get_object_in_scope_or_404`), so an id confirms
nothing to a citizen or another OPD's officer. 403 is kept for a user who may see the object, or who is
signed in on an admin-only page, but whose role may not do what was asked.
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Role

_ROLES_CACHE = "_ppid_roles_cache"


def roles_remember(user, roles: list[tuple[int, str]]) -> None:
    """Give `user` its (opd_id, role) pairs, loaded by the caller with the user itself (token authentication), so
    the permission functions never query them for this request."""
    setattr(user, _ROLES_CACHE, list(roles))


def _roles(user) -> list[tuple[int, str]]:
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        # The OPD codes come along in the same query, for the header's role_badges.
        rows = list(Membership.objects.filter(user=user).values_list("opd_id", "role", "opd__code"))
        cached = [(opd_id, role) for opd_id, role, _code in rows]
        roles_remember(user, cached)
        _badges_remember(user, [(role, code) for _opd_id, role, code in rows])
    return cached


_BADGES_CACHE = "_ppid_role_badges_cache"
# The order the header names a user's roles in: the widest reach first.
_ROLE_RANK = {Role.UTAMA: 0, Role.ATASAN: 1, Role.PELAKSANA: 2}


def _badges_remember(user, badges: list[tuple[str, str]]) -> None:
    setattr(user, _BADGES_CACHE, sorted(badges, key=lambda rc: (_ROLE_RANK.get(rc[0], 9), rc[1])))


def role_badges(user) -> list[tuple[str, str]]:
    """The user's (role, OPD code) pairs, widest role first, for saying who is signed in. Loaded with the roles
    themselves (`_roles`), so a page asks for them once; a query of its own only when the roles came from
    elsewhere (token authentication)."""
    if not user or not user.is_authenticated:
        return []
    if getattr(user, _BADGES_CACHE, None) is None:
        if getattr(user, _ROLES_CACHE, None) is None:
            _roles(user)
        else:
            _badges_remember(user, list(Membership.objects.filter(user=user).values_list("role", "opd__code")))
    return getattr(user, _BADGES_CACHE)


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


def can_record_request(user, opd_id: int) -> bool:
    """Recording a request received at the desk (or by letter, phone, e-mail, fax) for an OPD: those who handle
    its cases (its PPID Pelaksana and Atasan PPID) and PPID Utama, for every OPD."""
    ids = visible_opd_ids(user)
    return ids is None or opd_id in ids


def can_assign(user, case) -> bool:
    """Assigning to someone else is for the OPD's Atasan PPID and PPID Utama; an officer may claim."""
    return is_utama_admin(user) or case.opd_id in opd_ids_for(user, Role.ATASAN)


def can_answer_objection(user, objection_opd_id: int) -> bool:
    return is_utama_admin(user) or objection_opd_id in opd_ids_for(user, Role.ATASAN)


def can_edit_signatory(user, opd_id: int) -> bool:
    """Who signs an OPD's letters is set by its Atasan PPID (the official's superior) or by PPID Utama."""
    return is_utama_admin(user) or opd_id in opd_ids_for(user, Role.ATASAN)


def can_decide_dik(user, opd_id: int) -> bool:
    """An OPD's list of exempted information (DIK) is decided and revised by its Atasan PPID (the official who
    answers the keberatan against a refusal) or by PPID Utama; its PPID Pelaksana only read it and refuse on it."""
    return is_utama_admin(user) or opd_id in opd_ids_for(user, Role.ATASAN)


def can_decide_any_dik(user) -> bool:
    """An Atasan PPID of some OPD, or PPID Utama: the DIK's new-entry form is theirs."""
    return is_utama_admin(user) or bool(opd_ids_for(user, Role.ATASAN))


def is_pelaksana_of(user, case) -> bool:
    """A PPID Pelaksana of the case's OPD: may be assigned the case, and claims it by acting on it unassigned."""
    return case.opd_id in opd_ids_for(user, Role.PELAKSANA)


def can_see_officer_pages(user) -> bool:
    """The officers' side (queue, case pages, the case API): anyone with a PPID role, and PPID Utama."""
    return is_staff_member(user)


def can_see_objection_queue(user) -> bool:
    """The keberatan queue: an Atasan PPID of some OPD, or PPID Utama."""
    return is_utama_admin(user) or bool(opd_ids_for(user, Role.ATASAN))


def can_administer(user) -> bool:
    """The admin side (compliance dashboard and reports, the holiday calendar): PPID Utama admins only."""
    return is_utama_admin(user)


def can_edit_holidays(user) -> bool:
    return can_administer(user)


def can_manage_officers(user) -> bool:
    """Officer accounts (create, roles, deactivate, password links): PPID Utama admins only."""
    return is_utama_admin(user)


def opd_filter_ids_for(user) -> set[int] | None:
    """The OPDs the queue offers to filter by: None for every OPD (PPID Utama); the user's OPDs when more than
    one; none (no filter offered) for one OPD."""
    if is_utama_admin(user):
        return None
    ids = opd_ids_for(user)
    return ids if len(ids) > 1 else set()


def get_object_in_scope_or_404(user, queryset: QuerySet, scoper, **lookup):
    """The one object matching `lookup` among the rows `scoper(user, queryset)` lets the user see; Http404 when
    there is none, whether it does not exist or lies outside the user's scope (pages and API answer alike: the
    API's exception handler turns Http404 into its 404)."""
    obj = scoper(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def officers_of(opd_id: int, *roles: str):
    from django.contrib.auth import get_user_model

    roles = roles or (Role.PELAKSANA,)
    return get_user_model().objects.filter(
        is_active=True, ppid_roles__opd_id=opd_id, ppid_roles__role__in=roles
    ).distinct()


def assignable_officers(case):
    """Who a case may be assigned to: the active PPID Pelaksana of its OPD."""
    return officers_of(case.opd_id, Role.PELAKSANA)


def utama_admins():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, ppid_roles__role=Role.UTAMA).distinct()
