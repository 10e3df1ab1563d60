"""The fan-out of the deadline notices: what a claimed DeadlineNotice row promises, written.

Cases (dispatch_deadline_notices_task): the sweep only claims a ledger row per case and threshold
(deadlines/claims.py); this writes the notifications (officers or the assignee; for `overdue` also the Atasan
PPID, the PPID Utama admins and the requester, told how to object and by when), the case's `reminder` event, and
`dispatched_at`. On commit the notifications are handed to the broker in batches (send_notifications_task).
Idempotent: the rows are locked and only undispatched ones are taken (a second run, or a racing worker, skips
them), and every notification carries its unique dedupe key. A row whose case has meanwhile closed or moved
to another due date is marked dispatched without sending (a delayed dispatch must not send a stale notice).

Objections (objection_notice_send): they are few, so the sweep claims and writes each one's notices at once,
and its ledger row is dispatched when claimed.
"""

import datetime as dt
import logging

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from opd_app.models import Role
from opd_app.permissions import utama_admins
from ppid_portal.clock import now, today_wita
from requests_app import workdays
from requests_app.deadlines.claims import notice_claim
from requests_app.deadlines.recipients import recipients_by_opd, unique_users
from requests_app.models import CaseEvent, DeadlineNotice, EventKind, Notification, Objection
from requests_app.rules import OBJECTION_FILING_DAYS, OPEN_STATUSES, SOON_DAYS
from requests_app.services.events import event_record
from requests_app.services.notify import email_render, notification_queue, notifications_enqueue
from requests_app.services.objections import grounds_arose_on, objection_answerers

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------- cases


def _locked_undispatched(notice_ids: list[int]) -> list[DeadlineNotice]:
    qs = (DeadlineNotice.objects.filter(pk__in=notice_ids, dispatched_at__isnull=True, case__isnull=False)
          .select_related("case", "case__opd", "case__assigned_to").order_by("pk"))
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs)


def deadline_notices_dispatch(notice_ids: list[int], today: dt.date | None = None) -> int:
    """Write the notifications and events of the undispatched case ledger rows among `notice_ids`, in one
    transaction; returns how many rows produced notices."""
    today = today or today_wita()
    with transaction.atomic():
        notices = _locked_undispatched(notice_ids)
        if not notices:
            return 0
        live = [n for n in notices if n.case.status in OPEN_STATUSES and n.case.effective_due_date == n.due_date]
        if len(live) < len(notices):
            log.info("deadline notices %s: case closed or due date moved, nothing sent",
                     [n.pk for n in notices if n not in live])
        at = now()
        ids = _write(live, today, at) if live else []
        DeadlineNotice.objects.filter(pk__in=[n.pk for n in notices]).update(dispatched_at=at)
    # Committed here (the task's transaction is the outermost one; run eagerly, it is the sweep's on-commit
    # work). A send task that runs before a surrounding transaction commits finds no pending row and does
    # nothing: the re-send path sends the rows later.
    notifications_enqueue(ids)
    return len(live)


def outbox_write(rows: list[Notification]) -> list[int]:
    """Insert the outbox rows; the ids of those inserted (a row whose dedupe key exists is skipped, as in
    notification_queue). One INSERT; only if a key already exists, one savepoint per row."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
        if all(r.pk for r in created):
            return [r.pk for r in created]
        keys = [r.dedupe_key for r in rows]  # a backend that cannot return ids from a bulk insert
        return list(Notification.objects.filter(dedupe_key__in=keys, created_at=rows[0].created_at)
                    .values_list("pk", flat=True))
    except IntegrityError:
        ids = []
        for row in rows:
            row.pk = None
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            ids.append(row.pk)
        return ids


def _write(notices: list[DeadlineNotice], today: dt.date, at) -> list[int]:
    """The outbox rows and `reminder` events of `notices` (batched: one recipients query, one INSERT each)."""
    any_overdue = any(n.kind == "overdue" for n in notices)
    roles = (Role.PELAKSANA, Role.ATASAN) if any_overdue else (Role.PELAKSANA,)
    by_opd = recipients_by_opd({n.case.opd_id for n in notices}, roles)
    admins = list(utama_admins().order_by("pk")) if any_overdue else []
    last_due = max(n.due_date for n in notices)
    cal = workdays.calendar_ahead(today, SOON_DAYS, until=last_due)
    arose, filing_cal = {}, None
    if any_overdue:
        arose = {n.case_id: grounds_arose_on(n.case, today) for n in notices if n.kind == "overdue"}
        days = [d for d in arose.values() if d]
        if days:
            filing_cal = workdays.calendar_ahead(min(days), OBJECTION_FILING_DAYS, until=max(days))
    outbox, events = [], []
    for notice in notices:
        case, kind, due = notice.case, notice.kind, notice.due_date
        overdue = kind == "overdue"
        template = "case_overdue" if overdue else "case_reminder"
        if case.assigned_to_id and case.assigned_to.is_active:
            officers = [case.assigned_to]
        else:
            officers = by_opd.get((case.opd_id, Role.PELAKSANA), [])
        recipients = officers
        if overdue:
            recipients = unique_users(officers, by_opd.get((case.opd_id, Role.ATASAN), []), admins)
        working_days_left = cal.working_days_between(today, due) if due > today else 0
        context = {"case": case, "notice": kind, "due": due, "days_left": working_days_left}
        officer_ids = {u.pk for u in officers}
        rendered = {}
        for user in recipients:
            if not user.email:
                continue
            escalated = user.pk not in officer_ids
            # The case templates depend on the recipient only through `escalated`: render once per value.
            if escalated not in rendered:
                rendered[escalated] = email_render(template, {**context, "recipient": user, "escalated": escalated},
                                                   "id")
            subject, body = rendered[escalated]
            outbox.append(Notification(
                dedupe_key=f"{kind}:case{case.pk}:{due.isoformat()}:{user.pk}"[:200], kind=kind, case=case,
                recipient_user=user, recipient_email=user.email, subject=subject, body=body, attachment_ids=[],
                created_at=at,
            ))
        if overdue and case.email:
            deadline = (filing_cal.add_working_days(arose[case.pk], OBJECTION_FILING_DAYS)
                        if arose.get(case.pk) else None)
            subject, body = email_render("requester_overdue", {**context, "objection_deadline": deadline},
                                         case.language)
            outbox.append(Notification(
                dedupe_key=f"overdue:case{case.pk}:{due.isoformat()}:requester"[:200], kind="requester_overdue",
                case=case, recipient_user=None, recipient_email=case.email, subject=subject, body=body,
                attachment_ids=[], created_at=at,
            ))
        events.append(CaseEvent(
            case=case, kind=EventKind.REMINDER, actor=None, from_status=case.status, to_status=case.status,
            public=False, at=at,
            note=_("Pemberitahuan %(kind)s (batas waktu %(due)s) kepada: %(who)s.")
            % {"kind": kind, "due": due.strftime("%d-%m-%Y"), "who": ", ".join(u.username for u in recipients) or "-"},
            data={"notice": kind, "due_date": due.isoformat(), "recipients": [u.username for u in recipients]},
        ))
    ids = outbox_write(outbox)
    CaseEvent.objects.bulk_create(events)
    return ids


# --------------------------------------------------------------------------------------------------- objections


def objection_notice_send(objection: Objection, kind: str, today: dt.date, cal: workdays.Calendar) -> bool:
    """Claim `objection`'s notice of `kind` for its current due date and write it (the Atasan PPID; for `overdue`
    also the PPID Utama admins and the requester), with the case's `reminder` event. False when already claimed."""
    due = objection.due_date
    with transaction.atomic():
        at = now()  # objections are few: their notices are written here, so the ledger row is dispatched at once
        claimed = notice_claim(objection=objection, kind=kind, due_date=due, at=at, dispatched_at=at)
        if kind == "overdue":  # claimed now or by an earlier sweep: the objection leaves the partial index
            Objection.objects.filter(pk=objection.pk, due_date=due).update(overdue_notice_due=due)
        if not claimed:
            return False
        case = objection.case
        answerers = objection_answerers(objection.opd_id)
        recipients = unique_users(answerers, utama_admins()) if kind == "overdue" else answerers
        context = {"case": case, "objection": objection, "notice": kind, "due": due,
                   "days_left": cal.working_days_between(today, due) if due > today else 0}
        template = "objection_overdue" if kind == "overdue" else "objection_reminder"
        for user in recipients:
            notification_queue(
                dedupe_key=f"{kind}:objection{objection.pk}:{due.isoformat()}:{user.pk}", kind=f"objection_{kind}",
                template=template, context={**context, "recipient": user}, recipient_user=user, case=case,
                objection=objection,
            )
        if kind == "overdue":
            locked = Objection.objects.select_for_update().get(pk=objection.pk)
            if locked.overdue_at is None:
                locked.overdue_at = now()
                locked.save(update_fields=["overdue_at"])
            notification_queue(
                dedupe_key=f"overdue:objection{objection.pk}:{due.isoformat()}:requester",
                kind="requester_objection_overdue", template="requester_objection_overdue", context=context,
                recipient_email=case.email, case=case, objection=objection, language=case.language,
            )
        event_record(
            case=case, kind=EventKind.REMINDER, from_status=case.status, public=False,
            note=_("Keberatan %(n)s: pemberitahuan %(kind)s (batas waktu %(due)s) kepada: %(who)s.")
            % {"n": objection.objection_number, "kind": kind, "due": due.strftime("%d-%m-%Y"),
               "who": ", ".join(u.username for u in recipients) or "-"},
            data={"objection": objection.objection_number, "notice": kind, "due_date": due.isoformat()},
        )
    return True
