"""The Celery app. The beat schedule lives here in code; django-celery-beat's DatabaseScheduler syncs it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid_portal.settings.development")

app = Celery("ppid_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "sweep-deadlines": {
        "task": "requests_app.tasks.sweep_deadlines_task",
        "schedule": 300.0,
    },
}
