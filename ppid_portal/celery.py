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
    # CELERY_TIMEZONE is Asia/Makassar: 07:00 WITA. Beat runs a missed crontab once when it comes back.
    "daily-digest": {
        "task": "requests_app.tasks.daily_digest_task",
        "schedule": crontab(hour=7, minute=0),
    },
}
