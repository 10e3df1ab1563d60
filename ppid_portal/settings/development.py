"""Development settings: what `manage.py` and `make run` use without DJANGO_SETTINGS_MODULE."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
