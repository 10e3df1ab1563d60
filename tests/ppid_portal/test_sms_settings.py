"""Production never prints phone numbers into its logs: the console text-message backend is refused, the webhook
needs its address; without a choice there are no text messages (`none`)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_BACKEND = "from django.conf import settings; print(settings.PPID_SMS_BACKEND)"


def _production(**overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPID_SMS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "ppid_portal.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "ppid.kukarkab.go.id", "EMAIL_URL": "smtp://mail.kukarkab.go.id:25",
                "PPID_SITE_URL": "https://ppid.kukarkab.go.id", **overrides})
    code = f"import django; django.setup(); {PRINT_BACKEND}"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_the_console_backend():
    result = _production(PPID_SMS_BACKEND="console")
    assert result.returncode != 0 and "would log phone numbers" in result.stderr


def test_production_refuses_a_webhook_without_its_address():
    result = _production(PPID_SMS_BACKEND="webhook")
    assert result.returncode != 0 and "PPID_SMS_URL" in result.stderr


@pytest.mark.parametrize(("overrides", "backend"), [
    ({}, "none"),
    ({"PPID_SMS_BACKEND": "webhook", "PPID_SMS_URL": "https://sms.kukarkab.go.id/kirim", "PPID_SMS_TOKEN": "t"},
     "webhook"),
    ({"PPID_SMS_BACKEND": "file", "PPID_SMS_FILE_PATH": "/var/spool/sms"}, "file"),
])
def test_production_starts_with_file_webhook_or_no_text_messages(overrides, backend):
    result = _production(**overrides)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_development_prints_them_by_default():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PPID_SMS_")}
    env["DJANGO_SETTINGS_MODULE"] = "ppid_portal.settings.development"
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {PRINT_BACKEND}"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "console"


def test_an_unknown_backend_is_refused_at_start():
    result = _production(PPID_SMS_BACKEND="pigeon")
    assert result.returncode != 0 and "PPID_SMS_BACKEND must be console, file, webhook or none" in result.stderr
