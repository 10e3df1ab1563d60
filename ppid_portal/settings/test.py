"""Test settings: the database from DATABASE_URL (SQLite without it), fast hashing, mail in memory."""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks inline; the Celery integration tests start a real worker against Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per process: several test runs (and the live-server browser tests) may run side by side.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=f"/tmp/ppid-test-media-{os.getpid()}")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No text messages unless a test turns them on (with the file or webhook backend): the outbox tests count e-mails.
PPID_SMS_BACKEND = "none"
PPID_SMS_FILE_PATH = f"/tmp/ppid-test-sms-{os.getpid()}"
