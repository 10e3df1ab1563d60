"""Celery tasks: thin, idempotent, fetch by id and call one service."""

from celery import shared_task

from requests_app.services.notify import notification_send


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=3600, max_retries=8,
             acks_late=True)
def send_notification_task(self, notification_id: int) -> bool:
    return notification_send(notification_id)


@shared_task(acks_late=True)
def sweep_deadlines_task() -> dict:
    from requests_app.services.sweep import sweep_run

    return sweep_run()
