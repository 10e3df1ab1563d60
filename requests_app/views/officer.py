"""Officer pages: the case queue, a case, its actions, the identity document (rights checked here)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opd_app.decorators import staff_required
from opd_app.models import OPD
from opd_app.permissions import assignable_officers, can_decide_dik, opd_filter_ids_for
from ppid_portal.clock import today_wita
from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from ppid_portal.limits import SEARCH_QUERY_MAX_LENGTH
from ppid_portal.sms import sms_enabled
from requests_app import letters, rules
from requests_app.forms import ActionForm, IdentityDocumentForm
from requests_app.models import Decision, EventKind, Status
from requests_app.permissions import case_for_officer_or_404, case_forwarded_by_or_404, deliveries_visible_to
from requests_app.selectors.queue import (
    case_list_for,
    case_search_for,
    forwarded_for,
    queue_rows,
    soon_limit_for,
    working_days_left,
)
from requests_app.services.actions import (
    ACTION_LABELS,
    DECISION_FIELDS,
    allowed_actions,
    answer_draft,
    case_act,
    decision_fields_for,
    extension_draft,
)
from requests_app.services.identity import (
    authority_document_open,
    identity_document_attach,
    identity_document_open,
    identity_document_purged_on,
)
from requests_app.services.messages import MESSAGE_MAX_LENGTH
from requests_app.validation import IDENTITY_TYPES, phone_for_text

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


# The actions whose effect reaches the requester and cannot be taken back: the page first shows what will be sent
# (the letter, or where the case goes) and acts only on a second post with confirm=1.
REVIEWED_ACTIONS = ("answer", "extend", "forward")
# The letter each reviewed action sends (requests_app.letters), shown on its review step and as a PDF preview.
ACTION_LETTERS = {"answer": "notice", "extend": "extension"}
# The form's fields each action's panel carries (the answer's depend on its decision: DECISION_FIELDS).
PANEL_FIELDS = {"assign": ("officer",), "acknowledge": ("note",), "extend": ("reason",), "forward": ("to_opd", "note"),
                "close": ("note",), "message": ("note",)}


def _panel_fields(action: str, decision: str = "", may_decide_dik: bool = False) -> tuple[str, ...]:
    """The fields of the action's panel; the answer's those of its decision, with a new DIK entry's fields only for
    those who may decide one (the OPD's Atasan PPID, PPID Utama)."""
    if action == "answer":
        return ("decision", *[f for f in decision_fields_for(decision, may_decide_dik) if f != "files"])
    return PANEL_FIELDS.get(action, ())


def _may_decide_dik(request, case) -> bool:
    return can_decide_dik(request.user, case.opd_id)


def _hidden_value(value) -> str:
    """A cleaned value as the review page posts it back (a date as ISO text, not in the reader's format)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)


def _answer_decision(form) -> str:
    """The decision whose fields the answer panel shows (blank: the first step, choosing the decision)."""
    value = form["decision"].value() or ""
    return value if value in DECISION_FIELDS else ""


def _case_page(request, case, *, kept=None, status=200, identity_form=None):
    """The case page; `kept` is the form of the action just posted (bound with its errors, or unbound carrying the
    values to keep), shown in its open panel; `identity_form` the identity scan just posted, with its error."""
    actions = allowed_actions(case, request.user)
    forms = {a: ActionForm(auto_id=f"{a}-%s", case=case, user=request.user) for a in actions}
    may_decide_dik = _may_decide_dik(request, case)
    open_action = ""
    if kept is not None:
        open_action = kept["action"].value()
        forms[open_action] = kept
    answer_form = forms.get("answer")
    answer_decision = _answer_decision(answer_form) if answer_form is not None else ""
    return render(request, "requests_app/case_detail.html", {
        "case": case,
        "events": case.events.select_related("actor"),
        "attachments": case.attachments.all(),
        # The case's letters handed over or waiting to be (those of the user's OPDs), with their receipts of delivery.
        "deliveries": deliveries_visible_to(request.user, case.letter_deliveries.select_related("attachment"))
        .order_by("issued_at", "id"),
        "actions": actions,
        "forms": forms,
        "open_action": open_action,
        "answer_decision": answer_decision,
        "answer_fields": decision_fields_for(answer_decision, may_decide_dik),
        "panel_fields": {a: _panel_fields(a, answer_decision, may_decide_dik) for a in actions},
        "officers": assignable_officers(case),
        "other_opds": OPD.objects.exclude(pk=case.opd_id),
        "overdue": case.is_overdue(),
        "identity_purged_on": None if case.identity_document else identity_document_purged_on(case),
        "message_max_length": MESSAGE_MAX_LENGTH,
        "requester_gets_texts": bool(phone_for_text(case.phone)) and sms_enabled(),
        "identity_form": identity_form or (IdentityDocumentForm(auto_id="identity-%s") if case.identity_owed else None),
    }, status=status)


@staff_required
def case_detail(request, registration_number):
    case = case_for_officer_or_404(request.user, registration_number)
    return _case_page(request, case)


@staff_required
def case_forwarded(request, registration_number):
    """A case the user's OPD forwarded away, read-only: its number, status, where it went and when, the subject,
    the public timeline and the current due date. No personal data of the requester beyond what the timeline
    shows the requester too (no identity number or scan, address or contacts)."""
    case = case_forwarded_by_or_404(request.user, registration_number)
    # Not the conversation: it is between the requester and the OPD that holds the case, and the requester's own
    # words may carry personal data this page never shows.
    events = list(case.events.filter(public=True).exclude(kind=EventKind.MESSAGE).order_by("at", "id"))
    forwards = [e for e in events if e.kind == EventKind.FORWARDED]
    return render(request, "requests_app/case_forwarded.html", {
        "case": case, "events": events, "forwards": forwards, "today": today_wita(),
        "follow_up_due_date": case.follow_up_due_date if case.follow_up_owed else None,
    })


def _kept_form(request, case, action: str, post) -> ActionForm:
    """An unbound form carrying the posted values of the action's panel: shown again without errors (the next
    step of the answer, or back from the review to change something)."""
    decision = post.get("decision", "") if action == "answer" else ""
    initial = {"action": action,
               **{f: post.get(f, "") for f in _panel_fields(action, decision, _may_decide_dik(request, case))}}
    return ActionForm(initial=initial, auto_id=f"{action}-%s", case=case, user=request.user)


def _review(request, case, action: str, data: dict):
    """The review step: what will be sent (the letter's text, or where the case goes), nothing saved yet."""
    fields = _panel_fields(action, data.get("decision", ""), _may_decide_dik(request, case))
    hidden = [("action", action), *[(f, _hidden_value(data.get(f))) for f in fields]]
    if action == "answer":
        hidden.append(("fields_for", data["decision"]))
    letter = ""
    if action in ACTION_LETTERS:
        letter = letters.letter_html(ACTION_LETTERS[action], _draft(case, action, data))
    return render(request, "requests_app/case_review.html", {
        "case": case, "action": action, "action_label": ACTION_LABELS[action], "hidden": hidden, "letter": letter,
        "data": data, "files": action == "answer" and "files" in DECISION_FIELDS[data["decision"]],
        "decision_label": dict(Decision.choices).get(data.get("decision"), ""),
        "to_opd": OPD.objects.filter(code=(data.get("to_opd") or "").strip().upper()).first(),
    })


def _draft(case, action: str, data: dict):
    return answer_draft(case, data) if action == "answer" else extension_draft(case, data.get("reason", ""))


def _letter_preview(case, action: str, data: dict) -> HttpResponse:
    """The letter about to be sent as PDF, shown in the browser: marked as a draft, no number, nothing kept."""
    name = ACTION_LETTERS[action]
    pdf = letters.render_letter(name, _draft(case, action, data), preview=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draf-{letters.letter_filename(name, case)}"'
    return response


def _after(request, case, action: str):
    """Where the officer lands after acting: a forwarded case has left the OPD's case page for its read-only page
    (PPID Utama keeps the case page); otherwise the case page, or the queue when the case is out of reach."""
    n = case.registration_number
    if action == "forward":
        try:
            case_forwarded_by_or_404(request.user, n)
            return redirect("case-forwarded", registration_number=n)
        except Http404:
            pass
    try:
        case_for_officer_or_404(request.user, n)
    except Http404:
        return redirect("queue")
    return redirect("case-detail", registration_number=n)


def _answer_step(post) -> bool:
    """The answer's first step (choose the decision, then "Lanjut"), or a decision changed on the second: show
    the fields of the chosen decision."""
    decision = post.get("decision", "")
    return (post.get("action") == "answer" and decision in DECISION_FIELDS
            and (post.get("step") == "decision" or post.get("fields_for", "") != decision))


def _act_from_stale_page(request, case, form):
    if form.is_valid():
        data = dict(form.cleaned_data)
        action = data.pop("action")
        if action in REVIEWED_ACTIONS and request.POST.get("confirm") != "1":
            messages.error(request, _("%(action)s tidak dapat dilakukan pada permohonan berstatus '%(status)s'.")
                           % {"action": ACTION_LABELS[action], "status": case.get_status_display()})
            return redirect("case-detail", registration_number=case.registration_number)
        try:
            case_act(case=case, actor=request.user, action=action, data=data, files=request.FILES.getlist("files"))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tersimpan: %(action)s.") % {"action": ACTION_LABELS[action]})
            return _after(request, case, action)
    else:
        details = "; ".join(f"{form[field].label if field in form.fields else ''}: {' '.join(errors)}"
                            for field, errors in form.errors.items())
        messages.error(request, f"{_('Aksi tidak valid.')} {details}")
    return redirect("case-detail", registration_number=case.registration_number)


@staff_required
@require_POST
def case_action(request, registration_number):
    """One action of the case page. Acknowledge, assign and close act at once. Answer, extend and forward go
    through a review step first (the letter or the target OPD, nothing saved) and act only with confirm=1;
    preview=pdf shows the letter as PDF, edit=1 goes back to the form with the values kept. The answer's form
    comes in two steps: the decision first, then only the fields that decision needs. Invalid input re-renders
    the case page (400) with the panel open, the typed values kept and each error beside its field."""
    case = case_for_officer_or_404(request.user, registration_number)
    post = request.POST
    action = post.get("action", "")
    form = ActionForm(post, auto_id=f"{action}-%s", case=case, user=request.user)
    if action not in allowed_actions(case, request.user):
        # Not offered in the case's state (a page left open while the case moved on): the service says why.
        return _act_from_stale_page(request, case, form)
    acting = post.get("confirm") == "1" or post.get("preview")
    if not acting and (post.get("edit") or _answer_step(post)):
        # Back from the review, or the answer's decision chosen (or changed): its fields, nothing checked yet.
        return _case_page(request, case, kept=_kept_form(request, case, action, post))
    if not form.is_valid():
        return _case_page(request, case, kept=form, status=400)
    data = dict(form.cleaned_data)
    data.pop("action")
    if action in REVIEWED_ACTIONS and post.get("confirm") != "1":
        if post.get("preview") == "pdf" and action in ACTION_LETTERS:
            return _letter_preview(case, action, data)
        return _review(request, case, action, data)
    try:
        case_act(case=case, actor=request.user, action=action, data=data, files=request.FILES.getlist("files"))
    except DomainError as exc:
        if exc.field in form.fields:  # a value to correct: shown beside its field, the rest kept
            form.add_error(exc.field, exc.message)
            return _case_page(request, case, kept=form, status=400)
        # Not this officer's to do, or no longer possible in the case's state: nothing to correct in the form.
        messages.error(request, exc.message)
        return redirect("case-detail", registration_number=registration_number)
    messages.success(request, _("Tersimpan: %(action)s.") % {"action": ACTION_LABELS[action]})
    return _after(request, case, action)


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


@staff_required
def authority_document(request, registration_number):
    """The requester's authority document (a legal entity's deed or registration, a group's papers, a surat kuasa):
    personal data like the identity scan, served the same way to the same people."""
    case = case_for_officer_or_404(request.user, registration_number)
    stored = authority_document_open(case)
    if stored is None:  # none was given, or purged after its retention period
        raise Http404
    file, mime = stored
    ext = IDENTITY_TYPES.get(mime, "bin")
    return stored_file_response(file, content_type=mime, filename=f"kewenangan-{case.registration_number}.{ext}")


@staff_required
@require_POST
def identity_upload(request, registration_number):
    """The identity scan a request recorded at the desk still owed, handed over later: checked by content like the
    web form's; a wrong file re-renders the case page (400) with the error beside the field."""
    case = case_for_officer_or_404(request.user, registration_number)
    form = IdentityDocumentForm(request.POST, request.FILES, auto_id="identity-%s")
    if not form.is_valid():
        return _case_page(request, case, identity_form=form, status=400)
    try:
        identity_document_attach(case=case, upload=form.cleaned_data["identity_document"], actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Dokumen identitas dilampirkan."))
    return redirect("case-detail", registration_number=registration_number)
