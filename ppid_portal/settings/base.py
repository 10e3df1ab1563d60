"""Settings shared by every environment. Everything configurable comes from the environment (one `env`)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; production sets real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form sent with a stale or missing token gets the portal's page (what to do), not Django's English one.
CSRF_FAILURE_VIEW = "ppid_portal.error_pages.csrf_failure"

INSTALLED_APPS = [
    "ppid_portal.apps.PortalAdminConfig",  # django.contrib.admin, with the failed-login limit
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "opd_app",
    "requests_app",
    "compliance_app",
    "documents_app",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ppid_portal.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "ppid_portal.urls"
WSGI_APPLICATION = "ppid_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opd_app.context_processors.roles",
            ],
            "libraries": {"portal_links": "ppid_portal.links"},
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for the write lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"

# Bahasa Indonesia first; English is a complete translation behind the language switch.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Every deadline is counted in WITA (Kutai Kartanegara, East Kalimantan).
TIME_ZONE = "Asia/Makassar"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Private files (identity scans, drafts) are never served from a public URL: no MEDIA_URL route exists.
MEDIA_URL = "/_private_media_not_served/"
# Uploaded files go through Django's storage API: local disk by default; an S3-compatible store by
# setting PPID_FILE_STORAGE=storages.backends.s3.S3Storage (pip install "django-storages[s3]") and the
# AWS_* variables django-storages reads (bucket, endpoint URL, keys). Files are never public URLs:
# the portal streams them through views that check rights.
STORAGES = {
    "default": {"BACKEND": env("PPID_FILE_STORAGE", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if STORAGES["default"]["BACKEND"].startswith("storages.backends.s3"):
    AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail: django-environ e-mail URL (smtp://user:pass@host:25); the console when unset.
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PPID Kabupaten Kutai Kartanegara <ppid@kukarkab.go.id>")

# Celery: Redis when REDIS_URL is set, otherwise kombu's SQLAlchemy transport over a local SQLite file,
# which needs no server (the `make run` default).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=REDIS_URL or f"sqla+sqlite:///{BASE_DIR / 'celery-broker.sqlite3'}"
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers unacknowledged tasks after this; the SQLAlchemy transport takes no such option.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600} if CELERY_BROKER_URL.startswith("redis") else {}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Beat saves each periodic task's last_run_at right after sending it (not every 3 minutes): /healthz reads it to
# tell whether beat is alive.
CELERY_BEAT_SYNC_EVERY = 1



def _redis_cache_url(broker_url: str) -> str:
    """The broker's Redis server, next database number (db 0 → cache on db 1), so cache keys and the task
    queue never share a keyspace."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(broker_url)
    db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(db + 1) % 16}"))


CACHES = {"default": env.cache("CACHE_URL", default=_redis_cache_url(REDIS_URL) if REDIS_URL else "locmemcache://")}

REST_FRAMEWORK = {
    # Token first: an API client without valid credentials gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opd_app.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "ppid_portal.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "ppid_track": env("PPID_THROTTLE_TRACK", default="30/minute"),
        "ppid_submit": env("PPID_THROTTLE_SUBMIT", default="20/hour"),
        "ppid_message": env("PPID_THROTTLE_MESSAGE", default="20/hour"),
        "ppid_code_reissue": env("PPID_THROTTLE_CODE_REISSUE", default="5/hour"),
        "ppid_password_reset": env("PPID_THROTTLE_PASSWORD_RESET", default="5/hour"),
        "ppid_verify": env("PPID_THROTTLE_VERIFY", default="30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LOBIKU — PPID Kabupaten Kutai Kartanegara API",
    "DESCRIPTION": "Public-information requests under UU No. 14/2008 (KIP).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status`; name each enum after its domain so clients get stable names.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "requests_app.models.case.Status",
        "ObjectionStatusEnum": "requests_app.models.objection.ObjectionStatus",
        "DocumentStatusEnum": "documents_app.models.DocumentStatus",
        "EventKindEnum": "requests_app.models.event.EventKind",
        # A document's scan_status and ocr_state (besides its blank) share these values.
        "DocumentCheckStatusEnum": ["pending", "done", "failed"],
    },
}

# Portal rules.
PPID_UPLOAD_MAX_BYTES = env.int("PPID_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
PPID_DOCUMENT_MAX_BYTES = env.int("PPID_DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
PPID_SITE_URL = env("PPID_SITE_URL", default="http://127.0.0.1:8000")
PPID_REGENCY_NAME = env("PPID_REGENCY_NAME", default="Kabupaten Kutai Kartanegara")

# --- identity scan retention ---
# Calendar days an identity scan is kept after its case is closed or withdrawn and every remedy window (objection,
# its answer, the dispute) has run out with no dispute pending; then the deadline sweep deletes it.
PPID_IDENTITY_RETENTION_DAYS = env.int("PPID_IDENTITY_RETENTION_DAYS", default=180)

# --- archive packages for the records office ---
# The archive classification code (kode klasifikasi arsip) written into every case's package (bag-info and index).
PPID_ARCHIVE_CLASSIFICATION_CODE = env("PPID_ARCHIVE_CLASSIFICATION_CODE", default="000.5.2")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Every line carries its time, level and logger, on stderr (the container's log). The Celery worker and beat log
# through the same configuration instead of replacing the root logger with their own format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors to Sentry when SENTRY_DSN is set (sentry-sdk is an optional dependency: the `sentry` extra).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from ppid_portal.sentry import sentry_init

    sentry_init(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"),
                traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))

# --- client address, rate limits, login throttling ---
# Reverse proxies in front of the portal that append to X-Forwarded-For; 0 = none, the header is ignored.
# Every limiter asks ppid_portal.client_address; DRF's own get_ident (any other DRF throttle) trusts as many.
PPID_TRUSTED_PROXIES = env.int("PPID_TRUSTED_PROXIES", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = PPID_TRUSTED_PROXIES
# Failed logins (login page, admin login, token endpoint) per account and per client address, DRF's syntax.
PPID_THROTTLE_LOGIN = env("PPID_THROTTLE_LOGIN", default="10/hour")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A dead or unreachable cache server must cost a limiter a second (then it counts in memory), not hang a worker.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("socket_connect_timeout", 1)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1)

# --- uploads and documents ---
# Request bodies are capped per route while they stream (ppid_portal.uploads): the route's file limit
# (PPID_UPLOAD_MAX_BYTES, PPID_DOCUMENT_MAX_BYTES) plus this much for the other fields; a route without a file
# gets only this much. Django's own cap on non-file form data is the same number.
PPID_FORM_FIELDS_MAX_BYTES = env.int("PPID_FORM_FIELDS_MAX_BYTES", default=2_621_440)
DATA_UPLOAD_MAX_MEMORY_SIZE = PPID_FORM_FIELDS_MAX_BYTES
# All answer material sent with one case action together (each file within PPID_DOCUMENT_MAX_BYTES).
PPID_CASE_MATERIAL_MAX_BYTES = env.int("PPID_CASE_MATERIAL_MAX_BYTES", default=100 * 1024 * 1024)
MIDDLEWARE = [*MIDDLEWARE, "ppid_portal.uploads.UploadLimitMiddleware"]
# Office/OpenDocument files are zip archives: refused before parsing past these (a zip bomb is not a document).
PPID_OFFICE_MAX_PARTS = env.int("PPID_OFFICE_MAX_PARTS", default=2000)
PPID_OFFICE_MAX_UNCOMPRESSED_BYTES = env.int("PPID_OFFICE_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
PPID_OFFICE_MAX_COMPRESSION_RATIO = env.int("PPID_OFFICE_MAX_COMPRESSION_RATIO", default=100)
# The API reads small documents inside the request for at most this long, then leaves them to the task. The
# task has soft and hard time limits: past the soft one the scan is recorded as failed.
PPID_EXTRACTION_REQUEST_SECONDS = env.int("PPID_EXTRACTION_REQUEST_SECONDS", default=10)
PPID_DOCUMENT_TASK_SOFT_TIME_LIMIT = env.int("PPID_DOCUMENT_TASK_SOFT_TIME_LIMIT", default=120)
PPID_DOCUMENT_TASK_TIME_LIMIT = env.int("PPID_DOCUMENT_TASK_TIME_LIMIT", default=180)
# OCR of a scan (no text layer): the OCR task's soft time limit in seconds, which also bounds its subprocesses
# (killed when it runs out); the hard limit is a minute later. The programs are Debian's (apt: ocrmypdf,
# tesseract-ocr, tesseract-ocr-ind, tesseract-ocr-eng; Ghostscript comes with ocrmypdf).
PPID_OCR_TIME_LIMIT = env.int("PPID_OCR_TIME_LIMIT", default=300)
PPID_OCRMYPDF_BINARY = env.str("PPID_OCRMYPDF_BINARY", default="/usr/bin/ocrmypdf")
PPID_TESSERACT_BINARY = env.str("PPID_TESSERACT_BINARY", default="/usr/bin/tesseract")
PPID_GHOSTSCRIPT_BINARY = env.str("PPID_GHOSTSCRIPT_BINARY", default="/usr/bin/gs")
# The annual report's background build: past the soft limit the build is recorded as failed; past the hard limit
# (plus a minute) a build still "running" is shown as failed too, its worker having been ended.
PPID_REPORT_TASK_SOFT_TIME_LIMIT = env.int("PPID_REPORT_TASK_SOFT_TIME_LIMIT", default=900)
PPID_REPORT_TASK_TIME_LIMIT = env.int("PPID_REPORT_TASK_TIME_LIMIT", default=1200)

# --- notification outbox ---
# A notification whose delivery keeps failing transiently (mail server down, 4xx) stays pending this many days,
# tried again with growing pauses (1, 2, 4 … minutes, at most an hour); then it is marked failed.
PPID_NOTIFY_GIVE_UP_DAYS = env.int("PPID_NOTIFY_GIVE_UP_DAYS", default=7)
# How often beat queues the pending notifications that are due (left by a broker or mail outage), in seconds.
PPID_NOTIFY_RESEND_SECONDS = env.int("PPID_NOTIFY_RESEND_SECONDS", default=60)

# --- letters handed over, text messages ---
# A letter for a requester without e-mail, or who asked for delivery by pickup, post or courier, waits in the OPD's
# list of letters to deliver; it should reach the requester within this many working days after it was issued
# (requests_app.rules.delivery_due_on).
PPID_DELIVERY_WORKING_DAYS = env.int("PPID_DELIVERY_WORKING_DAYS", default=3)
# Text messages to the requester's phone for each letter and message (ppid_portal.sms): console (development),
# file (one file per message in PPID_SMS_FILE_PATH), webhook (HTTP JSON POST to PPID_SMS_URL with the bearer token
# PPID_SMS_TOKEN, waiting at most PPID_SMS_TIMEOUT seconds) or none.
PPID_SMS_BACKEND = env("PPID_SMS_BACKEND", default="console").strip().lower()
if PPID_SMS_BACKEND not in ("console", "file", "webhook", "none"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"PPID_SMS_BACKEND must be console, file, webhook or none, not {PPID_SMS_BACKEND!r}.")
PPID_SMS_FILE_PATH = env.path("PPID_SMS_FILE_PATH", default=BASE_DIR / "sms-messages")
PPID_SMS_URL = env("PPID_SMS_URL", default="")
PPID_SMS_TOKEN = env("PPID_SMS_TOKEN", default="")
PPID_SMS_TIMEOUT = env.float("PPID_SMS_TIMEOUT", default=10.0)

# --- bad input ---
# Innermost: inside the security headers, so its 400 carries them too, and after the body limit, so an oversized
# form body is a 413 before this reads it.
MIDDLEWARE = [*MIDDLEWARE, "ppid_portal.middleware.RejectNulMiddleware"]

# --- health ---
# /healthz answers 503 for a stale beat or no answering worker too (not only for the database or the broker).
PPID_HEALTH_REQUIRE_WORKERS = env.bool("PPID_HEALTH_REQUIRE_WORKERS", default=False)

# --- backups (manage.py backup / restore, ppid_portal.backup) ---
# Where `backup` writes its archives when no --to is given (they hold personal data: keep the directory private).
PPID_BACKUP_DIR = env.path("PPID_BACKUP_DIR", default=BASE_DIR / "backups")
# An S3-compatible bucket for `backup --to s3://bucket/prefix`; used only when all four are set and boto3 is
# installed (optional: `pip install boto3`, not a dependency of the portal).
PPID_BACKUP_S3_ENDPOINT = env("PPID_BACKUP_S3_ENDPOINT", default="")
PPID_BACKUP_S3_BUCKET = env("PPID_BACKUP_S3_BUCKET", default="")
PPID_BACKUP_S3_ACCESS_KEY = env("PPID_BACKUP_S3_ACCESS_KEY", default="")
PPID_BACKUP_S3_SECRET_KEY = env("PPID_BACKUP_S3_SECRET_KEY", default="")
PPID_BACKUP_S3_REGION = env("PPID_BACKUP_S3_REGION", default="")
