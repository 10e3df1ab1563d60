"""Celery tasks: thin, idempotent, fetch by id and call one service. Retried with exponential backoff (the e-mail
sends by the outbox's own schedule, services/notify.py)."""

from celery import shared_task

from requests_app.services.notify import notification_send


# No Celery retries for the sends: a failed attempt is recorded on the row with its own backoff (or `failed`), and
# the re-send path (resend_notifications_task) queues it again when due. One schedule, kept in the database.
@shared_task(acks_late=True)
def send_notification_task(notification_id: int) -> bool:
    return notification_send(notification_id)


@shared_task(acks_late=False)
def send_receipt_task(notification_id: int, tracking_code: str) -> bool:
    """The receipt's first attempt, the only one that carries the tracking code (services/notify.py). Acknowledged
    on receipt and never retried, so the code does not stay in the broker; a failure is recorded on the row, which
    the re-send path sends later without the code."""
    return notification_send(notification_id, tracking_code=tracking_code)


@shared_task(acks_late=True)
def send_notifications_task(notification_ids: list[int]) -> int:
    """A batch in one broker message. Each row is sent on its own; one that fails stays pending (its attempt, error
    and next attempt recorded) and the re-send path queues it again when due."""
    import logging

    sent = 0
    for pk in notification_ids:
        try:
            sent += notification_send(pk)
        except Exception as exc:  # not a delivery failure (those are recorded): the row's lease brings it back
            logging.getLogger(__name__).warning("notification %s not sent: %s", pk, exc.__class__.__name__)
    return sent


@shared_task(acks_late=True)
def resend_notifications_task() -> int:
    """Every PPID_NOTIFY_RESEND_SECONDS (ppid_portal/celery.py): queue the pending rows that are due, so mail left
    pending by a broker or mail outage leaves within about a minute of the outage's end."""
    from requests_app.services.notify import notifications_resend_due

    return notifications_resend_due()


@shared_task(acks_late=True)
def dispatch_deadline_notices_task(notice_ids: list[int], today: str | None = None) -> int:
    """The fan-out of a sweep's claimed case notices (up to 100 ledger rows per message). Idempotent: only rows
    still undispatched are taken. One that fails stays undispatched and a later sweep enqueues it again."""
    import datetime as dt

    from requests_app.deadlines.dispatch import deadline_notices_dispatch

    return deadline_notices_dispatch(notice_ids, dt.date.fromisoformat(today) if today else None)


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=600, max_retries=5, acks_late=True)
def sweep_deadlines_task() -> dict:
    """Every 5 minutes (ppid_portal/celery.py). Idempotent: every notice is claimed once in the database."""
    from requests_app.deadlines.sweep import sweep_run

    return sweep_run()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, retry_backoff_max=1800, max_retries=5, acks_late=True)
def daily_digest_task() -> int:
    """07:00 WITA on working days; once per officer per day (dedupe key), so a re-run sends nothing twice."""
    from requests_app.deadlines.digest import digest_send

    return digest_send()

