"""Health, settings, the OpenAPI schema and the admin's command line."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from opd_app.models import OPD, Membership

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(db, settings):
    response = Client().get("/healthz")
    body = response.json()
    assert body["database"] == "ok"
    assert response.status_code == (200 if body["broker"] == "ok" else 503)


@pytest.mark.redis
def test_healthz_with_real_redis_broker(db):
    from ppid_portal.celery import app

    app.conf.broker_url = os.environ["REDIS_URL"]
    try:
        assert Client().get("/healthz").json()["broker"] == "ok"
    finally:
        from django.conf import settings

        app.conf.broker_url = settings.CELERY_BROKER_URL


def _django_check(env_overrides: dict) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check.
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_URL", "PPID_SITE_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "ppid_portal.settings.production", **env_overrides})
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _production_env(**overrides) -> dict:
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "ppid.kukarkab.go.id",
           "EMAIL_URL": "smtp://mail.kukarkab.go.id:25", "PPID_SITE_URL": "https://ppid.kukarkab.go.id"}
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_production_refuses_to_start_without_secret_key_and_hosts():
    result = _django_check(_production_env(SECRET_KEY=None, ALLOWED_HOSTS=None))
    assert result.returncode != 0
    assert "SECRET_KEY and ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("name", ["EMAIL_URL", "PPID_SITE_URL"])
def test_production_refuses_to_start_without_email_url_or_site_url(name):
    result = _django_check(_production_env(**{name: None}))
    assert result.returncode != 0
    assert f"Production needs {name} in the environment" in result.stderr


def test_production_refuses_an_empty_site_url():
    result = _django_check(_production_env(PPID_SITE_URL=" "))
    assert result.returncode != 0
    assert "Production needs PPID_SITE_URL in the environment" in result.stderr


def test_production_refuses_the_console_mail_backend():
    # It would print every e-mail, tracking codes included, into the logs.
    result = _django_check(_production_env(EMAIL_URL="consolemail://"))
    assert result.returncode != 0
    assert "Production needs EMAIL_URL to name a real mail server" in result.stderr


def test_production_starts_with_them():
    result = _django_check(_production_env())
    assert result.returncode == 0, result.stderr


def test_openapi_schema_is_valid_and_has_the_contract(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in ("/api/v1/requests/:", "/api/v1/requests/track/:", "/api/v1/cases/:",
                 "/api/v1/cases/{registration_number}/actions/:", "/api/v1/opd/:", "/api/v1/auth/token/:"):
        assert path in schema
    assert Client().get("/api/docs/").status_code == 200


def test_seed_opd_is_idempotent(db):
    call_command("seed_opd", stdout=StringIO())
    call_command("seed_opd", stdout=StringIO())
    assert OPD.objects.count() == 28
    assert OPD.objects.filter(is_ppid_utama=True).get().code == "DISKOMINFO"
    assert OPD.objects.exclude(is_ppid_utama=True).count() == 27


def test_create_officer_binds_role(db):
    call_command("seed_opd", stdout=StringIO())
    call_command("create_officer", "budi", "--opd", "dinkes", "--role", "atasan", "--password", "s3cret-Pass",
                 stdout=StringIO())
    membership = Membership.objects.get(user__username="budi")
    assert (membership.opd.code, membership.role) == ("DINKES", "atasan")
    assert Client().login(username="budi", password="s3cret-Pass")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_officer", "x", "--opd", "NOPE", "--role", "atasan", "--password", "p", stdout=StringIO())


def test_seed_demo_prints_one_login_per_role(db):
    call_command("seed_opd", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    for role in ("pelaksana", "atasan", "utama"):
        assert role in text
    assert Client().login(username="admin.utama", password="lobiku-demo-2026")


@pytest.mark.parametrize(
    ("broker", "cache"),
    [("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/1"), ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"),
     ("redis://:pw@redis:6379/7", "redis://:pw@redis:6379/8"), ("redis://r:6379/15", "redis://r:6379/0")],
)
def test_cache_lives_next_to_the_broker_database(broker, cache):
    from ppid_portal.settings.base import _redis_cache_url

    assert _redis_cache_url(broker) == cache


@pytest.mark.redis
def test_throttle_counters_work_on_the_redis_cache_from_redis_url():
    from django.core.cache.backends.redis import RedisCache

    from ppid_portal.settings.base import _redis_cache_url

    cache = RedisCache(_redis_cache_url(os.environ["REDIS_URL"]), {})
    cache.set("ppid-test-key", 3, 5)
    assert cache.incr("ppid-test-key") == 4
    cache.delete("ppid-test-key")
