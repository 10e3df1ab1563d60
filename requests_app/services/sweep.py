"""The deadline sweep (beat runs it every few minutes; `manage.py sweep_deadlines` runs it by hand).

Set-based: each threshold is one query over the open-case index; each notice is a unique outbox row,
so re-runs and racing workers send nothing twice, and a sweep after downtime catches up.
"""

import datetime as dt

from django.db import transaction

from requests_app.models import Case, EventKind, Notification, NotificationStatus
from requests_app.services.clock import now, today_wita
from requests_app.services.events import event_record
from requests_app.services.notify import _enqueue

PENDING_RESEND_AFTER = dt.timedelta(minutes=5)


def mark_overdue(today: dt.date) -> int:
    """Record the first moment each case became overdue (once per case)."""
    marked = 0
    ids = list(Case.objects.overdue_on(today).filter(overdue_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=pk, overdue_at__isnull=True).first()
            if case is None:
                continue
            case.overdue_at = now()
            case.save(update_fields=["overdue_at"])
            event_record(case=case, kind=EventKind.OVERDUE, from_status=case.status,
                         note=f"Batas waktu {case.effective_due_date:%d-%m-%Y} terlewati tanpa pemberitahuan tertulis.")
            marked += 1
    return marked


def resend_pending() -> int:
    """Re-enqueue outbox rows still pending after a while (the broker was down, a worker died)."""
    cutoff = now() - PENDING_RESEND_AFTER
    ids = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, created_at__lt=cutoff)
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def sweep_run(today: dt.date | None = None) -> dict:
    today = today or today_wita()
    return {"overdue": mark_overdue(today), "resent": resend_pending()}
