"""Officer pages: the case queue, a case, its actions, the identity document (rights checked here)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opd_app.decorators import staff_required
from opd_app.models import OPD
from opd_app.permissions import assignable_officers, opd_filter_ids_for
from ppid_portal.clock import today_wita
from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from ppid_portal.limits import SEARCH_QUERY_MAX_LENGTH
from requests_app import rules
from requests_app.forms import ActionForm
from requests_app.models import EventKind, Status
from requests_app.permissions import case_for_officer_or_404, case_forwarded_by_or_404
from requests_app.selectors.queue import (
    case_list_for,
    case_search_for,
    forwarded_for,
    queue_rows,
    soon_limit_for,
    working_days_left,
)
from requests_app.services.actions import allowed_actions, case_act
from requests_app.services.identity import identity_document_open, identity_document_purged_on
from requests_app.validation import IDENTITY_TYPES

# The queue's filters besides the page: any of them set makes an empty list "nothing matches", not "all done".
QUEUE_FILTERS = ("status", "overdue", "opd", "assigned", "show", "q")
@staff_required
def queue(request):
    p = request.GET
    today = today_wita()
    q = " ".join(p.get("q", "").split())
    q_too_long = len(q) > SEARCH_QUERY_MAX_LENGTH
    status = p.get("status", "")
    # "Diteruskan": the cases forwarded to the user's OPDs and those its OPDs forwarded away (read-only).
    forwarded = status == Status.FORWARDED
    own_opd_ids = None
    if forwarded:
        qs, own_opd_ids = forwarded_for(request.user)
    elif q and not q_too_long:
        qs = case_search_for(request.user, q)
    else:
        qs = case_list_for(request.user, status=status, overdue=p.get("overdue"), opd=p.get("opd", ""),
                           mine=p.get("assigned", ""), show=p.get("show", ""), today=today)
    if q_too_long:
        qs = qs.none()
    page = Paginator(qs, 50).get_page(p.get("page"))
    soon = soon_limit_for(today)
    # The columns the table shows, as light rows: not whole cases with the requester's data (measured in bench/).
    cases = queue_rows(page.object_list, own_opd_ids=own_opd_ids)
    # (row, urgency, working days left, working days late): the badge says "3 hari kerja lagi", "hari ini" or
    # "terlambat 2 hari kerja", on the holiday calendar.
    rows = [(case, rules.urgency(case.status, case.effective_due_date, today, soon, case.follow_up_due_date),
             left, -left if left < 0 else 0)
            for case, left in zip(cases, working_days_left(cases, today), strict=True)]
    # The OPD filter (and the OPD column) are for those who work for more than one OPD, and PPID Utama.
    opd_ids = opd_filter_ids_for(request.user)
    if opd_ids is None:
        opds = OPD.objects.only("code")
    else:
        opds = OPD.objects.filter(pk__in=opd_ids).only("code") if opd_ids else []
    filtered = any(p.get(k) for k in QUEUE_FILTERS)
    return render(request, "requests_app/queue.html", {
        "page": page, "rows": rows, "today": today, "opds": opds, "statuses": Status.choices, "filters": p,
        "q": q, "q_too_long": q_too_long, "q_max": SEARCH_QUERY_MAX_LENGTH, "forwarded": forwarded,
        "filtered": filtered,
        "show_opd": opd_ids is None or len(opd_ids) > 1,
    })


@staff_required
def case_detail(request, registration_number):
    case = case_for_officer_or_404(request.user, registration_number)
    form = ActionForm()
    return render(request, "requests_app/case_detail.html", {
        "case": case,
        "events": case.events.select_related("actor"),
        "attachments": case.attachments.all(),
        "actions": allowed_actions(case, request.user),
        "form": form,
        "officers": assignable_officers(case),
        "other_opds": OPD.objects.exclude(pk=case.opd_id),
        "overdue": case.is_overdue(),
        "identity_purged_on": None if case.identity_document else identity_document_purged_on(case),
    })


@staff_required
def case_forwarded(request, registration_number):
    """A case the user's OPD forwarded away, read-only: its number, status, where it went and when, the subject,
    the public timeline and the current due date. No personal data of the requester beyond what the timeline
    shows the requester too (no identity number or scan, address or contacts)."""
    case = case_forwarded_by_or_404(request.user, registration_number)
    events = list(case.events.filter(public=True).order_by("at", "id"))
    forwards = [e for e in events if e.kind == EventKind.FORWARDED]
    return render(request, "requests_app/case_forwarded.html", {
        "case": case, "events": events, "forwards": forwards, "today": today_wita(),
        "follow_up_due_date": case.follow_up_due_date if case.follow_up_owed else None,
    })


@staff_required
@require_POST
def case_action(request, registration_number):
    case = case_for_officer_or_404(request.user, registration_number)
    form = ActionForm(request.POST)
    if not form.is_valid():
        # Name the field and the rule (e.g. a holder longer than its column), not just "invalid".
        details = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        messages.error(request, f"{_('Aksi tidak valid.')} {details}")
        return redirect("case-detail", registration_number=registration_number)
    data = dict(form.cleaned_data)
    action = data.pop("action")
    try:
        case_act(case=case, actor=request.user, action=action, data=data, files=request.FILES.getlist("files"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("case-detail", registration_number=registration_number)
    messages.success(request, _("Tersimpan: %(action)s.") % {"action": action})
    # After a forward the case may have left this officer's OPDs.
    try:
        case_for_officer_or_404(request.user, registration_number)
    except Http404:
        return redirect("queue")
    return redirect("case-detail", registration_number=registration_number)


@staff_required
def identity_document(request, registration_number):
    """The requester's identity scan: only through this view, only for those who handle the case.

    Served as a download under the type its content shows (a legacy file stored under a wrong extension is
    sniffed again), sandboxed, so a crafted file can never run as a page of the portal."""
    case = case_for_officer_or_404(request.user, registration_number)
    stored = identity_document_open(case)
    if stored is None:  # purged after its retention period
        raise Http404
    file, mime = stored
    ext = IDENTITY_TYPES.get(mime, "bin")
    return stored_file_response(file, content_type=mime, filename=f"identitas-{case.registration_number}.{ext}")
