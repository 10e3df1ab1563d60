"""The fan-out of the deadline sweep's case notices (dispatch_deadline_notices_task).

The sweep only claims a DeadlineNotice row per case and threshold (services/sweep.py); this writes what the
row promises: the notifications (officers or the assignee; for `overdue` also the Atasan PPID, the PPID Utama
admins and the requester, told how to object and by when), the case's `reminder` event, and `dispatched_at`.
On commit the notifications are handed to the broker in batches (send_notifications_task).

Idempotent: the rows are locked and only undispatched ones are taken (a second run, or a racing worker, skips
them), and every notification carries its unique dedupe key. A row whose case has meanwhile closed or moved
to another due date is marked dispatched without sending (a delayed dispatch must not send a stale notice).
"""

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils.translation import gettext as _

from opd_app.models import Role
from opd_app.permissions import utama_admins
from ppid_portal.clock import now, today_wita
from requests_app import workdays
from requests_app.models import CaseEvent, DeadlineNotice, EventKind, Notification
from requests_app.rules import OBJECTION_FILING_DAYS, OPEN_STATUSES
from requests_app.services.notify import email_render, notifications_enqueue
from requests_app.services.sweep import SOON_DAYS, _outbox_write, _recipients_by_opd, _unique_users

log = logging.getLogger(__name__)


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


def _write(notices: list[DeadlineNotice], today: dt.date, at) -> list[int]:
    """The outbox rows and `reminder` events of `notices` (batched: one recipients query, one INSERT each)."""
    any_overdue = any(n.kind == "overdue" for n in notices)
    roles = (Role.PELAKSANA, Role.ATASAN) if any_overdue else (Role.PELAKSANA,)
    by_opd = _recipients_by_opd({n.case.opd_id for n in notices}, roles)
    admins = list(utama_admins().order_by("pk")) if any_overdue else []
    last_due = max(n.due_date for n in notices)
    cal = workdays.calendar_for(today, max(today, last_due) + dt.timedelta(days=SOON_DAYS * 7 // 5 + 40))
    arose, filing_cal = {}, None
    if any_overdue:
        from requests_app.services.objections import grounds_arose_on

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
            recipients = _unique_users(officers, by_opd.get((case.opd_id, Role.ATASAN), []), admins)
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
    ids = _outbox_write(outbox)
    CaseEvent.objects.bulk_create(events)
    return ids
