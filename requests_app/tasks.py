"""Celery tasks: thin, idempotent, fetch by id and call one service. Retried with exponential backoff."""

from celery import shared_task

from requests_app.services.notify import notification_send


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=3600, max_retries=8,
             acks_late=True)
def send_notification_task(self, notification_id: int) -> bool:
    return notification_send(notification_id)


@shared_task(acks_late=True)
def send_notifications_task(notification_ids: list[int]) -> int:
    """A sweep's batch in one broker message. Each row is sent on its own; one that fails stays pending (its
    attempt and error recorded) and the sweep's resend_pending re-enqueues it singly, with backoff."""
    import logging

    sent = 0
    for pk in notification_ids:
        try:
            sent += notification_send(pk)
        except Exception as exc:  # the row keeps its error; resend_pending retries it later
            logging.getLogger(__name__).warning("notification %s not sent: %s", pk, exc)
    return sent


@shared_task(acks_late=True)
def dispatch_deadline_notices_task(notice_ids: list[int], today: str | None = None) -> int:
    """The fan-out of a sweep's claimed case notices (up to 100 ledger rows per message). Idempotent: only rows
    still undispatched are taken. One that fails stays undispatched and a later sweep enqueues it again."""
    import datetime as dt

    from requests_app.services.deadline_dispatch import deadline_notices_dispatch

    return deadline_notices_dispatch(notice_ids, dt.date.fromisoformat(today) if today else None)


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=600, max_retries=5, acks_late=True)
def sweep_deadlines_task() -> dict:
    """Every 5 minutes (ppid_portal/celery.py). Idempotent: every notice is claimed once in the database."""
    from requests_app.services.sweep import sweep_run

    return sweep_run()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, retry_backoff_max=1800, max_retries=5, acks_late=True)
def daily_digest_task() -> int:
    """07:00 WITA on working days; once per officer per day (dedupe key), so a re-run sends nothing twice."""
    from requests_app.services.sweep import digest_send

    return digest_send()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, retry_backoff_max=1800, max_retries=3, acks_late=True)
def build_annual_report_task(year: int) -> str:
    """On demand from the dashboard: render the year's Laporan Layanan Informasi Publik into private storage."""
    from requests_app.reports import annual_report_store

    return annual_report_store(year=year)
