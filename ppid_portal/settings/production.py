"""Production settings: refuses to start without SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL and PPID_SITE_URL, and with a
console mail or text-message backend."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
try:
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
except ImproperlyConfigured as exc:  # pragma: no cover - exercised by a subprocess test
    raise ImproperlyConfigured(f"Production needs SECRET_KEY and ALLOWED_HOSTS in the environment: {exc}") from exc
if not SECRET_KEY or not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs non-empty SECRET_KEY and ALLOWED_HOSTS.")

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
# X-Forwarded-Proto is believed only from a trusted proxy: without one, any client could claim https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PPID_TRUSTED_PROXIES else None  # noqa: F405
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Container and load-balancer health checks ask over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
# Django reads these per database, not as top-level settings: persistent connections (60 s), checked before reuse
# so a connection the server dropped meanwhile is replaced instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- notification outbox ---
# Without EMAIL_URL the console backend would print every e-mail, tracking codes included, into the logs; without
# PPID_SITE_URL the e-mails' links would point at the development address.
for _name in ("EMAIL_URL", "PPID_SITE_URL"):
    if not env.str(_name, default="").strip():
        raise ImproperlyConfigured(f"Production needs {_name} in the environment.")
if EMAIL_BACKEND.endswith(("console.EmailBackend", "filebased.EmailBackend", "locmem.EmailBackend")):  # noqa: F405
    raise ImproperlyConfigured("Production needs EMAIL_URL to name a real mail server (smtp://…), not "
                               f"{env.str('EMAIL_URL')}.")

# --- text messages ---
# No text messages unless a gateway is named: the console backend would print phone numbers into the logs, so it
# is refused; `file` (a spool directory) and `webhook` (PPID_SMS_URL) are the choices, or `none`.
PPID_SMS_BACKEND = env("PPID_SMS_BACKEND", default="none").strip().lower()
if PPID_SMS_BACKEND not in ("file", "webhook", "none"):
    raise ImproperlyConfigured("Production needs PPID_SMS_BACKEND to be file, webhook or none (the console backend "
                               f"would log phone numbers), not {PPID_SMS_BACKEND!r}.")
if PPID_SMS_BACKEND == "webhook" and not PPID_SMS_URL:  # noqa: F405
    raise ImproperlyConfigured("Production needs PPID_SMS_URL with PPID_SMS_BACKEND=webhook.")

# --- static files ---
# Content-hashed copies (portal.3f2a….css) next to the originals and their .gz/.br: a proxy or WhiteNoise can mark
# the hashed ones immutable for a year, and a new release changes the names instead of waiting for caches to expire.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # noqa: F405
