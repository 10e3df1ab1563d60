"""Which settings a process gets when nobody chose, and what production makes of the database connection."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Everything that could make a subprocess start where the default should decide.
_DROPPED = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "CONN_MAX_AGE")


def _run(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("module", ["ppid_portal.wsgi", "ppid_portal.asgi", "ppid_portal.celery"])
def test_servers_and_workers_default_to_production(module):
    # Production refuses to start without SECRET_KEY: the import fails instead of serving with the development key.
    code = f"import importlib; importlib.import_module({module!r}); from django.conf import settings; settings.DEBUG"
    result = _run(code)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_manage_py_still_defaults_to_development():
    result = _run("import manage, os, sys; sys.argv = ['manage.py', 'diffsettings']; manage.main()")
    assert result.returncode == 0, result.stderr
    assert "ppid_portal.settings.development" in result.stdout


def test_make_run_gives_its_celery_processes_development_settings():
    code = "import scripts.run_all as r; print(r.ENV['DJANGO_SETTINGS_MODULE'])"
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ppid_portal.settings.development"


def test_production_keeps_database_connections_for_60_seconds():
    code = ("import django; django.setup(); from django.conf import settings; "
            "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    result = _run(code, DJANGO_SETTINGS_MODULE="ppid_portal.settings.production", SECRET_KEY="x" * 50,
                  ALLOWED_HOSTS="ppid.example", DATABASE_URL="postgres://ppid:ppid@127.0.0.1:5432/ppid",
                  EMAIL_URL="smtp://localhost:25", PPID_SITE_URL="https://ppid.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]


@pytest.mark.parametrize("proxies, expected", [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_production_believes_forwarded_proto_only_behind_a_trusted_proxy(proxies, expected):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = _run(code, DJANGO_SETTINGS_MODULE="ppid_portal.settings.production", SECRET_KEY="x" * 50,
                  ALLOWED_HOSTS="ppid.example", EMAIL_URL="smtp://localhost:25", PPID_SITE_URL="https://ppid.example",
                  PPID_TRUSTED_PROXIES=proxies)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
