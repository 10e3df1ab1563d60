"""Every state change of a case after intake. One atomic function per action: lock the row, check the
transition table, save with update_fields, write the event, schedule side effects on commit."""

import copy

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opd_app.models import OPD
from opd_app.permissions import can_act_on, can_assign, is_pelaksana_of, officers_of
from ppid_portal.clock import now, today_wita, wita_date
from ppid_portal.errors import IllegalTransition, MissingField, NotPermitted
from requests_app import rules, workdays
from requests_app.event_notes import system_note
from requests_app.models import Case, Decision, EventKind, Status
from requests_app.models.case import WITHHELD_MAX_LENGTH
from requests_app.services.dik import NEW_DIK_FIELDS, decision_dik_entry, decision_dik_errors
from requests_app.services.events import event_record
from requests_app.services.messages import message_errors, message_from_officer, message_refusal
from requests_app.services.notify import notification_queue, requester_notice

S = Status
OPEN = rules.OPEN_STATUSES

# action -> (states it may start from, state it leads to; None keeps the state)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": (OPEN, None),
    "acknowledge": ((S.SUBMITTED, S.FORWARDED), S.IN_PROCESS),
    "extend": (rules.EXTENDABLE_STATUSES, S.EXTENDED),
    "answer": (OPEN, S.ANSWERED),
    "forward": (OPEN, S.FORWARDED),
    "close": ((S.ANSWERED,), S.CLOSED),
    "withdraw": (OPEN, S.WITHDRAWN),
    # Not a transition: a message to the requester keeps the state, the due dates and the clock
    # (services.messages; the states that take one are rules.MESSAGE_STATUSES).
    "message": (rules.MESSAGE_STATUSES, None),
}
ACTIONS = tuple(TRANSITIONS)
# What the pages call each action: an officer (and the requester's timeline) reads these, never the codes above.
ACTION_LABELS = {
    "assign": gettext_lazy("Penunjukan petugas"),
    "acknowledge": gettext_lazy("Penerimaan kasus untuk diproses"),
    "extend": gettext_lazy("Perpanjangan jangka waktu"),
    "answer": gettext_lazy("Pemberitahuan tertulis"),
    "forward": gettext_lazy("Penerusan ke OPD lain"),
    "close": gettext_lazy("Penyelesaian kasus"),
    "withdraw": gettext_lazy("Pencabutan permohonan"),
    "message": gettext_lazy("Pesan kepada pemohon"),
}

# The decisions that rest on an entry of the OPD's list of exempted information (DIK) valid that day: a refusal
# (Pasal 17) and a partial grant (the part withheld).
DIK_DECISIONS = (Decision.REJECTED_EXEMPT, Decision.PARTIALLY_GRANTED)
# A new DIK entry recorded in the answer's own step (services.dik.NEW_DIK_FIELDS): for the OPD's Atasan PPID and
# PPID Utama only; the form leaves these fields out for anyone else (decision_fields_for).
NEW_DIK_FORM_FIELDS = tuple(NEW_DIK_FIELDS)

# The fields each decision of the written notice uses besides the decision itself, in the order a form shows
# them ("files": the material given with the answer). A field not listed is dropped when the answer is saved.
DECISION_FIELDS: dict[str, tuple[str, ...]] = {
    Decision.GRANTED: ("note", "cost_note", "files"),
    Decision.PARTIALLY_GRANTED: ("withheld", "dik", *NEW_DIK_FORM_FIELDS, "note", "cost_note", "files"),
    Decision.REJECTED_EXEMPT: ("dik", *NEW_DIK_FORM_FIELDS, "note"),
    Decision.NOT_HELD: ("holder", "note"),
    Decision.NOT_DOCUMENTED: ("note",),
}


def decision_fields_for(decision: str, may_decide_dik: bool) -> tuple[str, ...]:
    """The decision's fields as `user`'s form shows them: without a new DIK entry's fields for those who may not
    decide one (a PPID Pelaksana picks an existing entry)."""
    fields = DECISION_FIELDS.get(decision, ())
    return fields if may_decide_dik else tuple(f for f in fields if f not in NEW_DIK_FORM_FIELDS)


def decision_errors(data: dict, *, case: Case | None = None, actor=None, day=None) -> dict[str, list[str]]:
    """Every rule of the written notice's decision, field by field (all of them at once, so a form can show each
    beside its field): a known decision; a refusal rests on a DIK entry of the case's OPD valid on the day of the
    decision, or on a new one its Atasan PPID or PPID Utama records in the same step (services.dik), which gives
    the Pasal 17 letter and the consequence test; a partial grant says what was withheld and on which entry;
    "not held" names the public body that holds the information. The one place these rules live: the answer
    service raises the first, the page form shows them all."""
    decision = data.get("decision") or ""
    if decision not in Decision.values:
        return {"decision": [_("Pilih keputusan.")]}
    errors: dict[str, list[str]] = {}
    if decision == Decision.PARTIALLY_GRANTED:
        withheld = (data.get("withheld") or "").strip()
        if not withheld:
            errors["withheld"] = [_("Sebutkan informasi yang tidak diberikan (dikecualikan).")]
        elif len(withheld) > WITHHELD_MAX_LENGTH:
            errors["withheld"] = [_("Paling banyak %(n)d karakter.") % {"n": WITHHELD_MAX_LENGTH}]
    if decision in DIK_DECISIONS and case is not None:
        errors.update(decision_dik_errors(case, data, actor, day))
    if decision == Decision.NOT_HELD and not (data.get("holder") or "").strip():
        errors["holder"] = [_("Sebutkan badan publik yang menguasai informasi.")]
    return errors


def extension_errors(case: Case, reason: str, today=None) -> dict[str, list[str]]:
    """What stops the one-time extension: no written reason, or a case that may no longer be extended."""
    if not (reason or "").strip():
        return {"reason": [_("Alasan perpanjangan wajib diisi.")]}
    refusal = case.extension_refusal(today or today_wita())
    return {"__all__": [refusal]} if refusal is not None else {}


def forward_target(case: Case, code: str) -> tuple[OPD | None, dict[str, list[str]]]:
    """The OPD a case is forwarded to, by its code, and what stops it (none given, unknown, the case's own)."""
    code = (code or "").strip().upper()
    to_opd = OPD.objects.filter(code=code).first() if code else None
    if to_opd is None:
        message = _("OPD tujuan tidak dikenal: %(c)s.") % {"c": code} if code else _("Pilih OPD tujuan.")
        return None, {"to_opd": [message]}
    if to_opd.pk == case.opd_id:
        return to_opd, {"to_opd": [_("OPD tujuan sama dengan OPD saat ini.")]}
    return to_opd, {}


def action_errors(case: Case, action: str, data: dict, actor=None) -> dict[str, list[str]]:
    """What would stop `action` on `case` with `data` by `actor`, field by field, checked without changing anything:
    the same checks the action's service makes, so a page can show them before its review step."""
    if action == "answer":
        return decision_errors(data, case=case, actor=actor)
    if action == "extend":
        return extension_errors(case, data.get("reason", ""))
    if action == "forward":
        return forward_target(case, data.get("to_opd") or "")[1]
    if action == "message":
        return message_errors(data.get("note") or "", field="note")
    return {}


def _raise_first(errors: dict[str, list[str]]) -> None:
    if errors:
        field, messages = next(iter(errors.items()))
        raise MissingField(messages[0], field=None if field == "__all__" else field)


def awaits_objection_follow_up(case: Case) -> bool:
    """An upheld keberatan sends an answered case back to the officer: a follow-up written notice is owed
    until one is sent after the Atasan PPID's answer."""
    from requests_app.models import CaseEvent, ObjectionOutcome

    if case.status != S.ANSWERED:
        return False
    if case.follow_up_due_date is not None:  # set by the upheld answer, cleared by the follow-up notice
        return True
    # Keberatan upheld before the follow-up due date was stored: read the timeline.
    upheld = case.objections.filter(outcome=ObjectionOutcome.UPHELD).order_by("-answered_at").first()
    if upheld is None or upheld.answered_at is None:
        return False
    return not CaseEvent.objects.filter(case=case, kind=EventKind.ANSWERED, at__gt=upheld.answered_at).exists()


def allowed_actions(case: Case, user=None) -> list[str]:
    """The actions the case's state permits (and the user may take), for pages that show only those."""
    actions = [a for a, (sources, _) in TRANSITIONS.items() if case.status in sources and a != "withdraw"]
    # The same rule case_extend enforces, so the page offers "extend" exactly when it would succeed.
    if "extend" in actions and not case.can_extend():
        actions.remove("extend")
    if "message" in actions and message_refusal(case) is not None:
        actions.remove("message")
    if awaits_objection_follow_up(case):
        actions.insert(0, "answer")
    return actions


def _lock(case: Case, actor, action: str) -> tuple[Case, str]:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if actor is not None and not can_act_on(actor, locked):
        raise NotPermitted(_("Anda tidak berwenang atas permohonan ini."))
    sources, _target = TRANSITIONS[action]
    follow_up = action == "answer" and awaits_objection_follow_up(locked)
    if locked.status not in sources and not follow_up:
        raise IllegalTransition(
            _("%(action)s tidak dapat dilakukan pada permohonan berstatus '%(status)s'.")
            % {"action": ACTION_LABELS[action], "status": locked.get_status_display()}
        )
    return locked, locked.status


def _save(case: Case, fields: list[str]) -> None:
    case.updated_at = now()
    case.save(update_fields=[*fields, "updated_at"])


def _tell_requester(case: Case, kind: str, extra: dict | None = None, attachments=None, letter: str = "",
                    letter_attachment=None) -> None:
    """The requester's notice of `kind` (services.requester_notices: e-mail, text message, and the letter's
    place in the OPD's list of letters to deliver when it is handed over)."""
    requester_notice(
        case=case, kind=kind, template=f"requester_{kind}", context={"case": case, **(extra or {})},
        dedupe_key=f"{kind}:{case.pk}:{case.events.count()}", letter=letter, letter_attachment=letter_attachment,
        attachment_ids=attachments or [],
    )


@transaction.atomic
def case_assign(*, case: Case, actor, officer) -> Case:
    """Give the case to a named officer of its OPD. An officer may claim a case for itself."""
    case, from_status = _lock(case, actor, "assign")
    if officer is None:
        raise MissingField(_("Pilih petugas."), field="officer")
    if officer != actor and not can_assign(actor, case):
        raise NotPermitted(_("Hanya Atasan PPID atau PPID Utama yang dapat menunjuk petugas lain."))
    if not is_pelaksana_of(officer, case):
        raise MissingField(_("Petugas tersebut bukan petugas PPID Pelaksana OPD ini."), field="officer")
    previous = case.assigned_to
    case.assigned_to = officer
    _save(case, ["assigned_to"])
    event_record(case=case, kind=EventKind.ASSIGNED, actor=actor, from_status=from_status, public=False,
                 note=f"{previous.username if previous else '-'} → {officer.username}",
                 data={"from": previous.username if previous else None, "to": officer.username})
    if officer != actor:
        notification_queue(
            dedupe_key=f"assigned:{case.pk}:{officer.pk}:{case.events.count()}", kind="assigned",
            template="assigned", context={"case": case, "officer": officer}, recipient_user=officer, case=case,
        )
    return case


@transaction.atomic
def case_acknowledge(*, case: Case, actor, note: str = "") -> Case:
    case, from_status = _lock(case, actor, "acknowledge")
    case.status = S.IN_PROCESS
    fields = ["status"]
    if case.assigned_to_id is None and actor is not None and is_pelaksana_of(actor, case):
        case.assigned_to = actor
        fields.append("assigned_to")
    _save(case, fields)
    text, data = (note, {}) if note else system_note("in_process")
    event_record(case=case, kind=EventKind.ACKNOWLEDGED, actor=actor, from_status=from_status,
                 to_status=case.status, note=text, data=data)
    return case


@transaction.atomic
def case_extend(*, case: Case, actor, reason: str) -> Case:
    """Extend once (rules.extended_due_date) from the first due date, with a written reason, before it passes
    (rules.extension_refusal)."""
    case, from_status = _lock(case, actor, "extend")
    errors = extension_errors(case, reason)
    if "reason" in errors:
        _raise_first(errors)
    if errors:  # the case may no longer be extended: a state the action cannot start from
        raise IllegalTransition(errors["__all__"][0])
    _save(case, extension_apply(case, reason))
    event_record(case=case, kind=EventKind.EXTENDED, actor=actor, from_status=from_status, to_status=case.status,
                 note=reason.strip(), data={"extended_due_date": case.extended_due_date.isoformat()})
    _after_extend(case)
    return case


def extension_apply(case: Case, reason: str) -> list[str]:
    """Set the extension's values on `case` (a locked row, or an unsaved copy for the letter's review) and
    return the fields it changed."""
    case.extended_due_date = rules.extended_due_date(
        workdays.calendar_ahead(case.due_date, rules.EXTENSION_DAYS), case.due_date)
    case.effective_due_date = case.extended_due_date
    case.extension_reason = reason.strip()
    case.status = S.EXTENDED
    return ["extended_due_date", "effective_due_date", "extension_reason", "status"]


def _after_extend(case: Case) -> None:
    from requests_app import letters

    attachment = letters.attach_letter(case, "extension")
    _tell_requester(case, "extended", attachments=[attachment.pk] if attachment else None, letter="extension",
                    letter_attachment=attachment)


# The answer's values besides its files and its DIK entry (answer_apply's keyword arguments, as the page and the
# API name them).
ANSWER_KEYS = ("decision", "holder", "note", "cost_note", "withheld")


def answer_apply(case: Case, *, decision: str, holder: str = "", note: str = "", cost_note: str = "",
                 withheld: str = "", dik_entry=None) -> list[str]:
    """Set the written notice's values on `case` (a locked row, or an unsaved copy for the letter's review):
    the fields of another decision (DECISION_FIELDS) are dropped, the cost note is kept whatever the decision. A
    refusal or partial grant takes its Pasal 17 letter and consequence test from `dik_entry`. Returns the fields
    it changed."""
    used = DECISION_FIELDS[decision]
    entry = dik_entry if "dik" in used else None
    case.status = S.ANSWERED
    case.decision = decision
    case.dik_entry = entry
    case.exemption = entry.exemption if entry is not None else ""
    case.consequence_test = entry.consequence if entry is not None else ""
    case.withheld = withheld.strip() if "withheld" in used else ""
    case.holder = holder.strip() if "holder" in used else ""
    case.answer_note = note.strip()
    case.cost_note = cost_note.strip()
    return ["status", "decision", "dik_entry", "exemption", "consequence_test", "withheld", "holder", "answer_note",
            "cost_note"]


def answer_draft(case: Case, data: dict) -> Case:
    """An unsaved copy of `case` carrying the written notice about to be sent, for the officer's review of its
    letter (nothing is saved, no number taken). The caller has checked decision_errors(data). A new DIK entry
    about to be recorded is shown as an unsaved entry."""
    from requests_app.models import DikEntry
    from requests_app.services.dik import as_date, dik_entry_id, wants_new_dik

    draft = copy.copy(case)
    entry = None
    if data.get("decision") in DIK_DECISIONS:
        if wants_new_dik(data):
            today = today_wita()
            entry = DikEntry(opd=case.opd, decided_on=today, valid_until=as_date(data.get("dik_valid_until")),
                             **{entry_field: str(data.get(field) or "").strip()
                                for field, entry_field in NEW_DIK_FIELDS.items() if entry_field != "valid_until"})
        else:
            entry = DikEntry.objects.filter(pk=dik_entry_id(data.get("dik")), opd_id=case.opd_id).first()
    answer_apply(draft, dik_entry=entry, **{k: data.get(k) or "" for k in ANSWER_KEYS})
    if draft.answered_at is None:  # a first notice is dated the day it is sent; a follow-up keeps the first date
        draft.answered_at = now()
    return draft


def extension_draft(case: Case, reason: str) -> Case:
    """An unsaved copy of `case` carrying the extension about to be sent, for the review of its letter."""
    draft = copy.copy(case)
    extension_apply(draft, reason)
    return draft


@transaction.atomic
def case_answer(*, case: Case, actor, decision: str, dik=None, withheld: str = "", exemption: str = "",
                consequence_test: str = "", dik_information: str = "", dik_legal_basis: str = "",
                dik_valid_until=None, holder: str = "", note: str = "", cost_note: str = "", files=()) -> Case:
    """Send the written notice (pemberitahuan tertulis) with the decision and any material. A refusal or a partial
    grant rests on the DIK entry `dik` (an id or an entry) valid today, or on a new entry recorded in the same step
    from exemption, consequence_test and the dik_* fields by the OPD's Atasan PPID or PPID Utama."""
    case, from_status = _lock(case, actor, "answer")
    data = {"decision": decision, "dik": dik, "withheld": withheld, "exemption": exemption,
            "consequence_test": consequence_test, "dik_information": dik_information,
            "dik_legal_basis": dik_legal_basis, "dik_valid_until": dik_valid_until, "holder": holder}
    _raise_first(decision_errors(data, case=case, actor=actor))
    entry = decision_dik_entry(case, data, actor) if decision in DIK_DECISIONS else None
    # A follow-up notice after an upheld keberatan keeps the first notice's date: the statutory
    # figures (answered on time, working days to answer) are about the first written notice.
    follow_up = from_status == S.ANSWERED
    fields = answer_apply(case, decision=decision, holder=holder, note=note, cost_note=cost_note,
                          withheld=withheld, dik_entry=entry)
    if not follow_up:
        case.answered_at = now()
        case.answer_working_days = workdays.working_days_between(case.received_on, wita_date(case.answered_at))
        fields += ["answered_at", "answer_working_days"]
    else:
        # The follow-up notice is sent: the case leaves the officer's queue.
        case.follow_up_due_date = None
        fields.append("follow_up_due_date")
    _save(case, fields)
    from requests_app import letters
    from requests_app.services.attachments import attachment_add

    attachment_ids = [attachment_add(case=case, actor=actor, upload=f).pk for f in files]
    letter = letters.attach_letter(case, "notice")
    if letter:
        attachment_ids.insert(0, letter.pk)
    event_record(case=case, kind=EventKind.ANSWERED, actor=actor, from_status=from_status, to_status=case.status,
                 note=note.strip() or case.get_decision_display(),
                 data={"decision": decision, "exemption": case.exemption, "holder": case.holder,
                       "dik_entry": entry.pk if entry is not None else None,
                       "late": rules.answered_late(wita_date(case.answered_at), case.effective_due_date),
                       "follow_up": follow_up})
    _tell_requester(case, "answered", attachments=attachment_ids, letter="notice", letter_attachment=letter)
    return case


@transaction.atomic
def case_forward(*, case: Case, actor, to_opd: OPD, note: str = "") -> Case:
    """Move the case to the OPD that holds the information. The clock keeps running (it does not restart)."""
    case, from_status = _lock(case, actor, "forward")
    if to_opd is None:
        raise MissingField(_("Pilih OPD tujuan."), field="to_opd")
    if to_opd.pk == case.opd_id:
        raise MissingField(_("OPD tujuan sama dengan OPD saat ini."), field="to_opd")
    from_opd = case.opd
    case.opd = to_opd
    case.status = S.FORWARDED
    case.assigned_to = None
    case.forward_count += 1
    _save(case, ["opd", "status", "assigned_to", "forward_count"])
    text, data = ((note.strip(), {}) if note.strip()
                  else system_note("forwarded", from_opd=from_opd.name, to_opd=to_opd.name))
    event_record(case=case, kind=EventKind.FORWARDED, actor=actor, from_status=from_status, to_status=case.status,
                 note=text, data={"from_opd": from_opd.code, "to_opd": to_opd.code, **data})
    for officer in officers_of(to_opd.pk):
        notification_queue(
            dedupe_key=f"forwarded_in:{case.pk}:{officer.pk}:{case.forward_count}", kind="new_case",
            template="new_case", context={"case": case, "officer": officer, "forwarded_from": from_opd},
            recipient_user=officer, case=case,
        )
    _tell_requester(case, "forwarded", {"from_opd": from_opd, "to_opd": to_opd})
    return case


@transaction.atomic
def case_close(*, case: Case, actor, note: str = "") -> Case:
    case, from_status = _lock(case, actor, "close")
    case.status = S.CLOSED
    case.closed_at = now()
    _save(case, ["status", "closed_at"])
    text, data = (note.strip(), {}) if note.strip() else system_note("closed")
    event_record(case=case, kind=EventKind.CLOSED, actor=actor, from_status=from_status, to_status=case.status,
                 note=text, data=data)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, note: str = "") -> Case:
    """The requester withdraws. The caller has checked the proof of being the requester (tracking code or the
    requester's own account, never a staff role); the event carries no staff actor."""
    case, from_status = _lock(case, None, "withdraw")
    case.status = S.WITHDRAWN
    case.closed_at = now()
    _save(case, ["status", "closed_at"])
    text, data = (note.strip(), {}) if note.strip() else system_note("withdrawn")
    event_record(case=case, kind=EventKind.WITHDRAWN, from_status=from_status, to_status=case.status,
                 note=text, data=data)
    return case


def case_act(*, case: Case, actor, action: str, data: dict, files=()) -> Case:
    """Dispatch one action body of the REST contract / case page to its service."""
    if action not in ACTIONS or action == "withdraw":
        raise MissingField(_("Aksi tidak dikenal: %(a)s.") % {"a": action}, field="action")
    if action == "assign":
        officer = None
        if data.get("officer"):
            officer = get_user_model().objects.filter(username=data["officer"]).first()
            if officer is None:
                raise MissingField(_("Petugas tidak ditemukan."), field="officer")
        return case_assign(case=case, actor=actor, officer=officer or actor)
    if action == "acknowledge":
        return case_acknowledge(case=case, actor=actor, note=data.get("note", ""))
    if action == "extend":
        return case_extend(case=case, actor=actor, reason=data.get("reason", ""))
    if action == "answer":
        return case_answer(
            case=case, actor=actor, decision=data.get("decision", ""), dik=data.get("dik"),
            withheld=data.get("withheld") or "", exemption=data.get("exemption") or "",
            consequence_test=data.get("consequence_test") or "", dik_information=data.get("dik_information") or "",
            dik_legal_basis=data.get("dik_legal_basis") or "", dik_valid_until=data.get("dik_valid_until"),
            holder=data.get("holder", ""), note=data.get("note", ""), cost_note=data.get("cost_note", ""),
            files=files,
        )
    if action == "forward":
        code = (data.get("to_opd") or "").strip()
        to_opd, errors = forward_target(case, code)
        if code and to_opd is None:
            _raise_first(errors)
        return case_forward(case=case, actor=actor, to_opd=to_opd, note=data.get("note", "") or data.get("reason", ""))
    if action == "message":
        message_from_officer(case=case, actor=actor, text=data.get("note", ""))
        return case
    return case_close(case=case, actor=actor, note=data.get("note", ""))
