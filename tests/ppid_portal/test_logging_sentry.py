"""Log lines carry time, level and logger; errors go to Sentry when SENTRY_DSN is set, and only then is sentry-sdk
imported (an optional dependency: a DSN without the package is a clear warning, not a crash). Each case runs in
its own interpreter: Sentry's integrations patch Django and Celery for the whole process."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DSN = "https://0123456789abcdef@errors.invalid/42"


def _python(code: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    environ.update({"DJANGO_SETTINGS_MODULE": "ppid_portal.settings.test", **env})
    setup = "import django; django.setup()\n"
    return subprocess.run([sys.executable, "-c", setup + code], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)


def test_log_lines_carry_time_level_and_logger():
    result = _python("import logging; logging.getLogger('requests_app.tasks').warning('sweep late')")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING requests_app\.tasks sweep late$",
                     result.stderr, re.MULTILINE), result.stderr


def test_sentry_is_not_imported_without_a_dsn():
    result = _python("import sys; print('sentry_sdk' in sys.modules)")
    assert result.stdout.strip() == "False", result.stderr


def test_sentry_is_wired_when_the_dsn_is_set_and_sends_no_personal_data():
    result = _python(
        "import sentry_sdk; c = sentry_sdk.get_client(); o = c.options\n"
        "print(c.is_active(), o['dsn'], o['environment'], o['send_default_pii'], o['max_request_body_size'],"
        " o['include_local_variables'], sorted(i for i in c.integrations if i in ('django', 'celery')))",
        SENTRY_DSN=DSN, SENTRY_ENVIRONMENT="staging")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", DSN, "staging", "False", "never", "False", "['celery',", "'django']"]


def test_a_dsn_without_sentry_sdk_installed_warns_and_the_portal_still_starts():
    # sys.modules[name] = None makes `import name` fail, as on an install without the [sentry] extra.
    code = ("import sys; sys.modules['sentry_sdk'] = None\n"
            "import django; django.setup(); from django.conf import settings; print(settings.SENTRY_DSN != '')")
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "ppid_portal.settings.test", "SENTRY_DSN": DSN}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert "SENTRY_DSN is set but sentry-sdk is not installed" in result.stderr
