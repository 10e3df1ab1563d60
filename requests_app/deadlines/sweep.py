"""The deadline sweep (beat runs it every 5 minutes; `manage.py sweep_deadlines` runs it by hand).

Thresholds (requests_app.rules.reminder_windows), for open cases on their effective due date and for unanswered
objections on theirs: ``reminder3`` (2 or 3 working days away), ``reminder1`` (the next working day),
``due_today``, and ``overdue`` (passed: escalation to the Atasan PPID and the PPID Utama admins, and the
requester is told how to object on grounds (c)/(g)).

Each threshold selects the open rows whose due date falls in its window and that have no DeadlineNotice of that
kind for that due date yet (deadlines/thresholds.py); the notice is claimed in the ledger before anything is
written (deadlines/claims.py), so a re-run or two racing sweeps produce it once, and each notification also
carries a unique dedupe key.

Catching up after downtime: the windows are computed from today, so a sweep after a long gap sends what
is still relevant — an overdue case gets its overdue notice, never the stale "3 days before" or "1 day
before" reminders it missed; a case now 1 working day from its due date gets only ``reminder1``.
A new due date (extension, holiday edit) starts a fresh set of notices.

The first moment a case (or an objection) is found overdue is stamped (`overdue_at`) and, for a case,
recorded as its one `overdue` event: for a case, in the sweep that claims its overdue notice.

For cases the sweep only decides and claims (the ledger rows, the overdue stamps and events); the notifications
and `reminder` events are written by dispatch_deadline_notices_task (deadlines/dispatch.py), enqueued on
commit. The ledger row stays undispatched until then, so a broker outage loses nothing. Objections are few:
their notices are written in the sweep (dispatch.objection_notice_send).
"""

import datetime as dt
import logging

from ppid_portal.clock import today_wita
from requests_app import workdays
from requests_app.deadlines.claims import CLAIM_BATCH, case_claim_batch, redispatch_undispatched
from requests_app.deadlines.dik_expiry import dik_expiry_remind
from requests_app.deadlines.dispatch import objection_notice_send
from requests_app.deadlines.thresholds import objection_overdue_candidates, overdue_candidates, unclaimed_in
from requests_app.models import Case, Objection, ObjectionStatus
from requests_app.rules import KINDS, REMINDER_KINDS, SOON_DAYS
from requests_app.services.retention import identity_documents_purge_due

log = logging.getLogger(__name__)


def case_notices(today: dt.date, cal: workdays.Calendar) -> dict[str, int]:
    """{kind: cases claimed} and, under "overdue_marked", the cases found overdue for the first time."""
    counts = {"overdue_marked": 0}
    by_kind = {kind: [] for kind in KINDS}
    for pk, due, kind in unclaimed_in(Case.objects.open(), "case", "effective_due_date", today, cal, REMINDER_KINDS):
        by_kind[kind].append((pk, due))
    by_kind["overdue"] = list(overdue_candidates(today).order_by("pk").values_list("pk", "effective_due_date"))
    for kind, candidates in by_kind.items():
        counts[kind] = 0
        for i in range(0, len(candidates), CLAIM_BATCH):
            claimed, first = case_claim_batch(candidates[i:i + CLAIM_BATCH], kind, today)
            counts[kind] += claimed
            counts["overdue_marked"] += first
    return counts


def objection_notices(today: dt.date, cal: workdays.Calendar) -> dict[str, int]:
    """The objections' notices. The reminder windows probe the ledger (a few days of due dates); the open-ended
    overdue window reads the partial index of the filed objections that still owe their overdue notice."""
    counts = {f"objection_{kind}": 0 for kind in KINDS}
    found = unclaimed_in(Objection.objects.filter(status=ObjectionStatus.FILED), "objection", "due_date", today, cal,
                         REMINDER_KINDS)
    found += [(pk, due, "overdue") for pk, due in
              objection_overdue_candidates(today).order_by("pk").values_list("pk", "due_date")]
    if not found:
        return counts
    objections = Objection.objects.select_related("case", "case__opd", "opd").in_bulk([pk for pk, _d, _k in found])
    for pk, _due, kind in found:
        counts[f"objection_{kind}"] += objection_notice_send(objections[pk], kind, today, cal)
    return counts


def sweep_run(today: dt.date | None = None) -> dict:
    """One sweep: case notices claimed (and overdue cases stamped), objection notices, the reminders of DIK entries
    about to end (deadlines/dik_expiry.py), the re-enqueue of undispatched ledger rows, and a batch of identity
    scans whose retention has ended (services.retention). The outbox's pending rows are beat's own, more frequent
    job (resend_notifications_task). Safe to run any time."""
    today = today or today_wita()
    cal = workdays.calendar_ahead(today, SOON_DAYS)
    result = case_notices(today, cal)
    result.update(objection_notices(today, cal))
    result["dik_expiry_reminded"] = dik_expiry_remind(today)
    result["redispatched"] = redispatch_undispatched(today)
    result["identity_documents_purged"] = identity_documents_purge_due(today)
    log.info("sweep %s: %s", today, result)
    return result
