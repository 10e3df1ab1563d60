"""Keberatan (objections), UU 14/2008 Pasal 35–37: filing, the Atasan PPID's answer, the dispute report.

Clocks: filing within 30 working days after the grounds arose (Pasal 36(1)); the answer
within 30 working days after receipt (Pasal 36(2)); the dispute to the Komisi Informasi within 14
working days after the answer (Pasal 37(2)).

Our reading of "upheld" (keberatan dikabulkan): the Atasan PPID's written answer is an instruction to the
PPID Pelaksana. The case keeps its status and its first answer (whether that answer was on time stays part of
the record and of the compliance figures); an answered case gets a follow-up due date
(rules.follow_up_due_date) that puts it back in the officer's queue until the follow-up written notice is
sent. The instruction goes on the case's timeline and to the OPD's officers, who carry it out (a new answer,
material, or a correction) on the same case.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from opd_app.models import Role
from opd_app.permissions import can_answer_objection, officers_of, utama_admins
from ppid_portal.clock import now, today_wita, wita_date
from ppid_portal.errors import DomainError, IllegalTransition, MissingField, NotPermitted
from requests_app import rules, workdays
from requests_app.models import (
    Case,
    CaseAttachment,
    EventKind,
    Objection,
    ObjectionCounter,
    ObjectionGround,
    ObjectionOutcome,
    ObjectionStatus,
    Status,
)
from requests_app.permissions import case_officers
from requests_app.services.events import event_record
from requests_app.services.notify import notification_queue, requester_notice
from requests_app.services.numbering import sequence_next


class ObjectionNotAllowed(DomainError):
    """Outside the filing window, or no grounds yet (HTTP 400)."""

    status_code = 400


# ---------------------------------------------------------------------------------------------------
# Rules (pure reads, used by the service, the pages and the API)


def _answered_on(case: Case) -> dt.date | None:
    return wita_date(case.answered_at) if case.answered_at else None


def grounds_arose_on(case: Case, today: dt.date | None = None) -> dt.date | None:
    """The day the grounds for an objection arose (rules.grounds_arose_on, for this case)."""
    return rules.grounds_arose_on(status=case.status, effective_due_date=case.effective_due_date,
                                  answered_on=_answered_on(case), today=today or today_wita())


def filing_deadline(case: Case, today: dt.date | None = None) -> dt.date | None:
    """The last day an objection may be filed (rules.objection_filing_deadline), None before any grounds."""
    arose = grounds_arose_on(case, today)
    return _filing_deadline(arose) if arose else None


def _filing_deadline(arose: dt.date) -> dt.date:
    return rules.objection_filing_deadline(workdays.calendar_ahead(arose, rules.OBJECTION_FILING_DAYS), arose)


def grounds_allowed(case: Case, today: dt.date | None = None) -> list[str]:
    """Pasal 35(1) letters that fit the case's state (rules.grounds_allowed, for this case)."""
    answered_on = _answered_on(case)
    arose = None if answered_on else grounds_arose_on(case, today)
    return rules.grounds_allowed(decision=case.decision, effective_due_date=case.effective_due_date,
                                 answered_on=answered_on, arose=arose)


def objection_window(case: Case, today: dt.date | None = None) -> dict:
    """What the citizen page shows: may the requester object now, on which grounds, until when."""
    today = today or today_wita()
    deadline = filing_deadline(case, today)
    pending = case.objections.filter(status=ObjectionStatus.FILED).first()
    grounds = grounds_allowed(case, today)
    return {
        "open": bool(deadline and today <= deadline and grounds and pending is None),
        "deadline": deadline,
        "grounds": [(g, label) for g, label in ObjectionGround.choices if g in grounds],
        "pending": pending,
        "expired": bool(deadline and today > deadline),
    }


# ---------------------------------------------------------------------------------------------------
# Recipients


def objection_answerers(opd_id: int):
    """The OPD's Atasan PPID; PPID Utama admins when the OPD has none."""
    return list(officers_of(opd_id, Role.ATASAN)) or list(utama_admins())


def format_objection_number(opd_code: str, year: int, sequence: int) -> str:
    return f"KEB-{opd_code}-{year}-{sequence:05d}"


def _attach(case: Case, objection: Objection, name: str, actor=None) -> CaseAttachment:
    from requests_app import letters

    return letters.attach_letter(case, name, actor=actor, objection=objection)


# ---------------------------------------------------------------------------------------------------
# Services


@transaction.atomic
def objection_file(*, case: Case, ground: str, reason: str) -> Objection:
    """File a keberatan on a Pasal 35(1) ground. Raises ObjectionNotAllowed outside the 30-working-day
    window or before any grounds arose, MissingField on a bad ground or an empty reason."""
    case = Case.objects.select_for_update(of=("self",)).select_related("opd", "assigned_to").get(pk=case.pk)
    ground = (ground or "").strip().lower()
    reason = (reason or "").strip()
    if ground not in ObjectionGround.values:
        raise MissingField(_("Pilih alasan keberatan Pasal 35 ayat (1) huruf a–g."), field="ground")
    if not reason:
        raise MissingField(_("Uraikan alasan keberatan Anda."), field="reason")
    filed_at = now()
    today = wita_date(filed_at)
    if case.status == Status.WITHDRAWN:
        raise ObjectionNotAllowed(_("Permohonan ini telah dicabut; keberatan tidak dapat diajukan."))
    arose = grounds_arose_on(case, today)
    if arose is None:
        raise ObjectionNotAllowed(
            _("Keberatan belum dapat diajukan: permohonan masih dalam jangka waktu jawaban (sampai %(due)s).")
            % {"due": case.effective_due_date.strftime("%d-%m-%Y")}
        )
    deadline = _filing_deadline(arose)
    if today > deadline:
        raise ObjectionNotAllowed(
            _("Jangka waktu pengajuan keberatan (30 hari kerja) telah berakhir pada %(deadline)s.")
            % {"deadline": deadline.strftime("%d-%m-%Y")}
        )
    allowed = grounds_allowed(case, today)
    if ground not in allowed:
        raise MissingField(
            _("Alasan huruf %(g)s tidak sesuai dengan keadaan permohonan ini; pilih salah satu: %(allowed)s.")
            % {"g": ground, "allowed": ", ".join(allowed)},
            field="ground",
        )
    pending = case.objections.filter(status=ObjectionStatus.FILED).first()
    if pending is not None:
        raise IllegalTransition(
            _("Keberatan %(n)s atas permohonan ini masih diproses.") % {"n": pending.objection_number}
        )

    opd = case.opd
    sequence = sequence_next(counter_model=ObjectionCounter, opd=opd, year=today.year)
    received_on, due_date = rules.objection_clock(workdays.calendar_ahead(today, rules.OBJECTION_ANSWER_DAYS), today)
    objection = Objection.objects.create(
        objection_number=format_objection_number(opd.code, today.year, sequence), case=case, opd=opd,
        ground=ground, reason=reason, status=ObjectionStatus.FILED, filed_at=filed_at, received_on=received_on,
        due_date=due_date,
    )
    event_record(
        case=case, kind=EventKind.OBJECTION_FILED, from_status=case.status, at=filed_at,
        note=_("Keberatan %(n)s diajukan (Pasal 35 ayat (1) huruf %(g)s); batas tanggapan %(due)s.")
        % {"n": objection.objection_number, "g": ground, "due": due_date.strftime("%d-%m-%Y")},
        data={"objection": objection.objection_number, "ground": ground, "due_date": due_date.isoformat()},
    )
    receipt = _attach(case, objection, "objection_receipt")
    context = {"case": case, "objection": objection}
    requester_notice(
        case=case, objection=objection, kind="objection_filed", template="objection_filed", context=context,
        dedupe_key=f"objection_filed:{objection.pk}", letter="objection_receipt", letter_attachment=receipt,
        attachment_ids=[receipt.pk],
    )
    for user in objection_answerers(opd.pk):
        notification_queue(
            dedupe_key=f"objection_new:{objection.pk}:{user.pk}", kind="objection_new", template="objection_new",
            context={**context, "recipient": user}, recipient_user=user, case=case, objection=objection,
        )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, actor, outcome: str, answer: str) -> Objection:
    """The Atasan PPID's written answer (tanggapan atas keberatan): upheld or dismissed, with reasons."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if actor is None or not can_answer_objection(actor, objection.opd_id):
        raise NotPermitted(_("Hanya Atasan PPID OPD ini atau PPID Utama yang dapat menanggapi keberatan."))
    if objection.status != ObjectionStatus.FILED:
        raise IllegalTransition(_("Keberatan %(n)s sudah ditanggapi.") % {"n": objection.objection_number})
    if outcome not in ObjectionOutcome.values:
        raise MissingField(_("Pilih: keberatan dikabulkan atau ditolak."), field="outcome")
    answer = (answer or "").strip()
    if not answer:
        raise MissingField(
            _("Tuliskan tanggapan: perintah kepada PPID bila dikabulkan, alasan bila ditolak."), field="answer"
        )
    # Locked: an upheld keberatan writes the case's follow-up due date.
    case = (Case.objects.select_for_update(of=("self",)).select_related("opd", "assigned_to")
            .get(pk=objection.case_id))
    answered_at = now()
    objection.status = ObjectionStatus.ANSWERED
    objection.outcome = outcome
    objection.answer = answer
    objection.answered_at = answered_at
    objection.answered_by = actor
    answered_on = wita_date(answered_at)
    objection.commission_deadline = rules.commission_deadline(workdays.calendar_ahead(answered_on, rules.DISPUTE_DAYS),
                                                              answered_on)
    objection.save(update_fields=["status", "outcome", "answer", "answered_at", "answered_by",
                                  "commission_deadline"])
    late = rules.answered_late(answered_on, objection.due_date)
    event_record(
        case=case, kind=EventKind.OBJECTION_ANSWERED, actor=actor, from_status=case.status, at=answered_at,
        note=_("Keberatan %(n)s: %(outcome)s. %(answer)s") % {
            "n": objection.objection_number, "outcome": objection.outcome_words(), "answer": answer[:1000]},
        data={"objection": objection.objection_number, "outcome": outcome, "late": late,
              "commission_deadline": objection.commission_deadline.isoformat()},
    )
    letter = _attach(case, objection, "objection_answer", actor=actor)
    context = {"case": case, "objection": objection}
    requester_notice(
        case=case, objection=objection, kind="objection_answered", template="objection_answered", context=context,
        dedupe_key=f"objection_answered:{objection.pk}", letter="objection_answer", letter_attachment=letter,
        attachment_ids=[letter.pk],
    )
    if outcome == ObjectionOutcome.UPHELD:
        if case.status == Status.ANSWERED:
            # Back in the officer's queue: the follow-up notice is owed by this date (an open case is still in
            # the queue on its own clock; its first answer will carry out the instruction).
            case.follow_up_due_date = rules.follow_up_due_date(
                workdays.calendar_ahead(answered_on, rules.FOLLOW_UP_DAYS), answered_on)
            case.updated_at = answered_at
            case.save(update_fields=["follow_up_due_date", "updated_at"])
        for user in case_officers(case):
            notification_queue(
                dedupe_key=f"objection_upheld:{objection.pk}:{user.pk}", kind="objection_upheld",
                template="objection_upheld", context={**context, "recipient": user}, recipient_user=user,
                case=case, objection=objection,
            )
    return objection


@transaction.atomic
def objection_refer(*, objection: Objection, note: str = "") -> Objection:
    """The requester reports taking the dispute to the Komisi Informasi (after the answer, or when no
    answer came within its 30 working days)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if not objection.referable():
        raise IllegalTransition(_("Sengketa dapat diajukan setelah keberatan ditanggapi atau melewati batas waktunya."))
    from_status = objection.status
    objection.status = ObjectionStatus.REFERRED
    objection.referred_at = now()
    objection.save(update_fields=["status", "referred_at"])
    case = objection.case
    event_record(
        case=case, kind=EventKind.OBJECTION_REFERRED, from_status=case.status,
        note=(note or "").strip()[:1000] or _("Pemohon mengajukan sengketa ke Komisi Informasi (keberatan %(n)s).")
        % {"n": objection.objection_number},
        data={"objection": objection.objection_number, "from": from_status},
    )
    return objection
