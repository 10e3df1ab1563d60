"""The Celery app. The beat schedule lives here in code; django-celery-beat's DatabaseScheduler syncs it."""

import os

from celery import Celery
from celery.schedules import crontab

# A server or worker started without DJANGO_SETTINGS_MODULE gets production: it refuses to start without its
# secrets instead of running with DEBUG and the development key. manage.py (make run) keeps development.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid_portal.settings.production")

app = Celery("ppid_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "sweep-deadlines": {
        "task": "requests_app.tasks.sweep_deadlines_task",
        "schedule": 300.0,
    },
    # A document whose scan task never ran, or whose worker was killed, is shown to its officer as a failed scan.
    "stale-document-scans": {
        "task": "documents_app.tasks.documents_stale_scans_task",
        "schedule": 900.0,
    },
    # CELERY_TIMEZONE is Asia/Makassar: 07:00 WITA. Beat runs a missed crontab once when it comes back.
    "daily-digest": {
        "task": "requests_app.tasks.daily_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
}


@app.on_after_configure.connect
def outbox_schedule(sender, **kwargs):
    """The re-send of pending notifications that are due (a broker or mail outage left them), every
    PPID_NOTIFY_RESEND_SECONDS: they leave within about a minute of the outage's end. Added once the app is
    configured, because the interval is a Django setting. A tick not taken within its interval (no worker) is
    dropped, not piled up."""
    from django.conf import settings

    interval = float(settings.PPID_NOTIFY_RESEND_SECONDS)
    sender.conf.beat_schedule["resend-notifications"] = {
        "task": "requests_app.tasks.resend_notifications_task",
        "schedule": interval,
        # django-celery-beat's DatabaseScheduler name for the message's `expires`.
        "options": {"expire_seconds": int(interval)},
    }
