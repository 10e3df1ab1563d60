"""Who may see and do what with a case and its objections, on the officers' side and the requester's.

Built on `opd_app.permissions` (roles, OPD scopes, the "out of scope is 404" rule). Views and API views call
these and only choose the HTTP answer.

Two requester rules, kept apart on purpose. Looking at the tracking page (status, timeline, letters) is open to
the requester and, read-only, to those who handle the case. The requester's own acts — withdrawing the request,
filing a keberatan, reporting a dispute to the Komisi Informasi — need proof of being the requester: the
tracking code (or the session it opened) or the requester's own account. An officer's or admin's role never
stands in for that proof: the timeline records these acts as the requester's.
"""

import hashlib

from django.http import Http404

from opd_app.models import OPD, Role
from opd_app.permissions import (
    can_act_on,
    can_answer_objection,
    cases_visible_to,
    get_object_in_scope_or_404,
    is_utama_admin,
    officers_of,
    opd_ids_for,
    scope_to_user,
)
from requests_app.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    DikEntry,
    EventKind,
    LetterDelivery,
    Objection,
    ObjectionStatus,
)

TRACKED_CASES_SESSION_KEY = "ppid_tracked_cases"
# A session remembers this many tracked cases, the most recent ones.
TRACKED_CASES_KEPT = 50


# ---------------------------------------------------------------------------------------------------- officers


def case_for_officer_or_404(user, registration_number: str) -> Case:
    """One case the user may see (its OPD's officers and Atasan, PPID Utama); 404 (never 403) for a case of
    another OPD, so a registration number confirms nothing."""
    return get_object_in_scope_or_404(user, Case.objects.select_related("opd", "assigned_to"), cases_visible_to,
                                      registration_number=registration_number)


def intake_opds_for(user, queryset=None):
    """The OPDs the user may record a request for (opd_app.permissions.can_record_request): its own, all for PPID
    Utama."""
    qs = queryset if queryset is not None else OPD.objects.all()
    return scope_to_user(user, qs, field="pk")


def intake_opd_or_404(user, code: str) -> OPD:
    """The OPD named by `code` if the user may record a request for it; 404 for another OPD's code as for one that
    does not exist, as with every object of another OPD."""
    return get_object_in_scope_or_404(user, OPD.objects.all(), intake_opds_for, code=(code or "").strip().upper())


def case_forwarded_by_or_404(user, registration_number: str) -> Case:
    """A case the user's OPD forwarded to another OPD, for its read-only page: the PPID Pelaksana and Atasan PPID
    of an OPD named as `from_opd` in one of the case's FORWARDED events. Anyone else (another OPD, PPID Utama, who
    sees the case on its own page, a citizen) gets 404, as for a case that does not exist."""
    ids = opd_ids_for(user, Role.PELAKSANA, Role.ATASAN)
    if not ids:
        raise Http404
    case = Case.objects.select_related("opd").filter(registration_number=registration_number).first()
    if case is None:
        raise Http404
    codes = list(OPD.objects.filter(pk__in=ids).values_list("code", flat=True))
    if not CaseEvent.objects.filter(case=case, kind=EventKind.FORWARDED, data__from_opd__in=codes).exists():
        raise Http404
    return case


def case_officers(case: Case) -> list:
    """Who is told of what the requester does on a case: its assigned officer while that account is active, else
    every active PPID Pelaksana of the case's OPD."""
    if case.assigned_to_id and case.assigned_to.is_active:
        return [case.assigned_to]
    return list(officers_of(case.opd_id, Role.PELAKSANA))
def deliveries_visible_to(user, queryset=None):
    """Letters to deliver a user may see and hand over: those its OPDs issued (PPID Pelaksana and Atasan PPID); all
    for PPID Utama."""
    qs = queryset if queryset is not None else LetterDelivery.objects.all()
    return scope_to_user(user, qs)


def delivery_for_officer_or_404(user, pk: int, queryset=None) -> LetterDelivery:
    """One letter to deliver of the user's OPDs; 404 for one of another OPD (as for one that does not exist)."""
    qs = queryset if queryset is not None else LetterDelivery.objects.all()
    return get_object_in_scope_or_404(user, qs, deliveries_visible_to, pk=pk)


def can_hand_over(user, delivery) -> bool:
    """Recording a letter's handover: the officers and Atasan PPID of the OPD that issued it, and PPID Utama."""
    return is_utama_admin(user) or delivery.opd_id in opd_ids_for(user, Role.PELAKSANA, Role.ATASAN)


def dik_opds_for(user, queryset=None):
    """The OPDs whose DIK the user decides and revises (opd_app.permissions.can_decide_dik): its OPDs as Atasan
    PPID, all for PPID Utama."""
    qs = queryset if queryset is not None else OPD.objects.all()
    return scope_to_user(user, qs, roles=(Role.ATASAN,), field="pk")


def dik_opd_or_404(user, code: str) -> OPD:
    """The OPD named by `code` if the user decides its DIK; 404 for another OPD's code as for one that does not
    exist (the user's own OPDs are the only ones it may name)."""
    return get_object_in_scope_or_404(user, OPD.objects.all(), dik_opds_for, code=(code or "").strip().upper())


def dik_entries_for_staff(user, queryset=None):
    """The DIK entries of the user's OPDs on the officers' side (PPID Pelaksana and Atasan PPID; all for PPID
    Utama). The public list shows every entry; this scope is for the pages that revise them."""
    qs = queryset if queryset is not None else DikEntry.objects.all()
    return scope_to_user(user, qs)


def dik_entry_for_staff_or_404(user, pk: int, queryset=None) -> DikEntry:
    """One DIK entry of the user's OPDs; 404 for another OPD's entry on the officers' side."""
    return get_object_in_scope_or_404(user, queryset if queryset is not None else DikEntry.objects.all(),
                                      dik_entries_for_staff, pk=pk)


def objections_visible_to(user, queryset=None):
    """Objections a user may see in the Atasan queue: own OPDs' as Atasan PPID; all for PPID Utama."""
    qs = queryset if queryset is not None else Objection.objects.all()
    return scope_to_user(user, qs, roles=(Role.ATASAN,))


def objection_for_atasan_or_404(user, objection_number: str, queryset=None) -> Objection:
    """One objection of the user's Atasan queue; 404 for an objection of another OPD."""
    qs = queryset if queryset is not None else Objection.objects.all()
    return get_object_in_scope_or_404(user, qs, objections_visible_to, objection_number=objection_number)


def objection_material_or_404(user, objection_number: str, attachment_id: int):
    """(the objection, one attachment of its case) for the Atasan PPID weighing it: the notice and the material
    the requester received (public attachments only: never a draft or an internal file). The objection's own
    Atasan PPID and PPID Utama; 404 for anyone else and for an attachment of another case."""
    objection = objection_for_atasan_or_404(user, objection_number)
    attachment = CaseAttachment.objects.filter(pk=attachment_id, case_id=objection.case_id, public=True).first()
    if attachment is None:
        raise Http404
    return objection, attachment


def can_answer_now(user, objection) -> bool:
    """The Atasan PPID of the objection's OPD (or PPID Utama) answers it, and only while it is still filed."""
    return objection.status == ObjectionStatus.FILED and can_answer_objection(user, objection.opd_id)


# ---------------------------------------------------------------------------------------------------- requester


def cases_requested_by(user, queryset):
    """A registered requester's own requests (those filed while signed in to the account)."""
    return queryset.filter(requester_user=user)


def tracked_entry(case) -> str:
    """What a session keeps for a case it may track: the case and a fingerprint of its current code's hash. A new
    code (services.tracking_codes) replaces the hash, so every session opened with the old code loses the case:
    whoever held the old code is cut off, and the requester proves themselves again with the new one."""
    fingerprint = hashlib.sha256((case.tracking_code_hash or "").encode()).hexdigest()[:16]
    return f"{case.pk}:{fingerprint}"


def grant_requester_access(request, case) -> None:
    """Remember in the session that its holder proved to be the case's requester (tracking code or submission)."""
    entry = tracked_entry(case)
    tracked = [e for e in request.session.get(TRACKED_CASES_SESSION_KEY, [])
               if isinstance(e, str) and not e.startswith(f"{case.pk}:")]
    request.session[TRACKED_CASES_SESSION_KEY] = [*tracked[-(TRACKED_CASES_KEPT - 1):], entry]


def is_requester(request, case) -> bool:
    """Proof of being the case's requester: a session opened by the case's current tracking code (or by submitting
    it), or the requester's own account (an account is its own proof and outlives a new code)."""
    if tracked_entry(case) in request.session.get(TRACKED_CASES_SESSION_KEY, []):
        return True
    user = request.user
    return bool(user.is_authenticated and case.requester_user_id is not None and case.requester_user_id == user.pk)


def can_view_tracking(request, case) -> bool:
    """The tracking page, the receipt and the case's public letters: the requester, and read-only the staff who
    may handle the case. Acting on those pages is `is_requester` alone."""
    return is_requester(request, case) or (request.user.is_authenticated and can_act_on(request.user, case))
