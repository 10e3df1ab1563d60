"""The production stack, started once for the tests of this directory (marker `deploy`).

They need nginx, Debian's chromium, openssl, redis-server and gunicorn on this machine, and PostgreSQL (marker
`postgres`). Without one of them they skip with the reason; with REQUIRE_SERVICES=1 (CI) they fail instead.
"""

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.support import CHROMIUM
from tests.deploy.stack import (
    DEPLOY,
    HTTPS_HOST,
    NGINX,
    ROOT,
    VENV_BIN,
    SMTPSink,
    Stack,
    admin_sql,
    database_url_for,
    free_port,
    issue_certificates,
    paths_for_checkout,
    read_env_file,
    systemd_service,
    wait_until,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRED = {
    NGINX: "nginx (apt-get install nginx)",
    CHROMIUM: f"Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    "openssl": "openssl",
    "redis-server": "redis-server",
    str(VENV_BIN / "gunicorn"): "gunicorn in the virtualenv (make setup)",
}
OFFICER_PASSWORD = "Petugas-Deploy-2026"
TRACK_LIMIT = 3


def missing_tools() -> list[str]:
    return [what for tool, what in REQUIRED.items() if not (shutil.which(tool) or os.path.exists(tool))]


def pytest_collection_modifyitems(config, items):
    """Skip the deploy tests with a reason when a tool is absent; in CI (REQUIRE_SERVICES=1) they run and fail in
    the `stack` fixture instead, so a missing tool can never pass unnoticed."""
    missing = missing_tools()
    if not missing or os.environ.get("REQUIRE_SERVICES") == "1":
        return
    for item in items:
        if "deploy" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"needs {', '.join(missing)}"))


@pytest.fixture(scope="module")
def stack():
    missing = missing_tools()
    if missing:
        pytest.fail(f"REQUIRE_SERVICES=1 but the deploy tests need {', '.join(missing)}")
    admin_url = os.environ.get("DATABASE_URL", "")
    # World-readable (not pytest's 0700 tmp_path): nginx's workers read the static files and the gunicorn socket.
    directory = Path(tempfile.mkdtemp(prefix="lobiku-deploy-"))
    directory.chmod(0o755)
    (directory / "logs").mkdir()
    stack = Stack(directory=directory, admin_database_url=admin_url)
    try:
        _start(stack)
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _start(stack: Stack) -> None:
    d = stack.directory
    ca, cert, key = issue_certificates(d)
    stack.ca = ca
    stack.https_port, stack.http_port, stack.redis_port = free_port(), free_port(), free_port()
    stack.spawn("redis", ["redis-server", "--port", str(stack.redis_port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no", "--dir", str(d)], env={"PATH": os.environ["PATH"]})
    stack.smtp = SMTPSink()
    stack.database_name = f"{urlsplit(stack.admin_database_url).path.strip('/')}_deploy"
    admin_sql(stack.admin_database_url, f'DROP DATABASE IF EXISTS "{stack.database_name}" WITH (FORCE)')
    admin_sql(stack.admin_database_url, f'CREATE DATABASE "{stack.database_name}"')

    # /etc/lobiku/env as deploy/README.md writes it (one value quoted, as a sender name with spaces must be).
    env_file = d / "env"
    site_url = f"https://{HTTPS_HOST}:{stack.https_port}"
    env_file.write_text("\n".join([
        "# LOBIKU production environment (test)",
        f"SECRET_KEY={secrets.token_urlsafe(50)}",
        f"ALLOWED_HOSTS={HTTPS_HOST}",
        f"CSRF_TRUSTED_ORIGINS={site_url}",
        f"PPID_SITE_URL={site_url}",
        "PPID_TRUSTED_PROXIES=1",
        f"DATABASE_URL={database_url_for(stack.admin_database_url, stack.database_name)}",
        f"REDIS_URL=redis://127.0.0.1:{stack.redis_port}/0",
        f"EMAIL_URL=smtp://127.0.0.1:{stack.smtp.port}",
        'DEFAULT_FROM_EMAIL="PPID Kabupaten Kutai Kartanegara <ppid@kukarkab.go.id>"',
        f"STATIC_ROOT={d / 'static'}",
        f"MEDIA_ROOT={d / 'media'}",
        f"PPID_THROTTLE_TRACK={TRACK_LIMIT}/minute",
        # Only for render_nginx.py: free high ports, the local certificate.
        f"LOBIKU_HTTP_LISTEN={HTTPS_HOST}:{stack.http_port}",
        f"LOBIKU_HTTPS_LISTEN={HTTPS_HOST}:{stack.https_port}",
        f"LOBIKU_TLS_CERT={cert}",
        f"LOBIKU_TLS_KEY={key}",
        f"LOBIKU_UPSTREAM=unix:{d / 'run' / 'gunicorn.sock'}",
        "",
    ]))
    base_env = {"PATH": f"{VENV_BIN}:{os.environ['PATH']}", "HOME": str(d), "LANG": "C.UTF-8"}
    stack.env = {**base_env, "DJANGO_SETTINGS_MODULE": "ppid_portal.settings.production", **read_env_file(env_file)}

    # deploy/README.md's steps, through lobiku-manage: migrate and seed in one chain while collectstatic runs.
    manage_env = {**base_env, "LOBIKU_ENV_FILE": str(env_file), "LOBIKU_APP": str(ROOT),
                  "LOBIKU_VENV": str(VENV_BIN.parent), "PPID_OFFICER_PASSWORD": OFFICER_PASSWORD}
    manage = str(DEPLOY / "lobiku-manage")
    stack.manage, stack.manage_env = [manage], manage_env
    collect = stack.spawn("collectstatic", [manage, "collectstatic", "--noinput"], manage_env)
    for step in (["migrate", "--noinput"], ["seed_opd"], ["seed_holidays"],
                 ["create_officer", "petugas.dinkes", "--opd", "DINKES", "--role", "pelaksana",
                  "--email", "petugas@example.org"]):
        stack.run(step[0], [manage, *step], manage_env)
    collect.wait(300)
    stack.processes.pop("collectstatic")
    assert collect.returncode == 0, stack.log("collectstatic")[-4000:]

    # The units, with this checkout's paths: web (gunicorn on a unix socket), worker, beat.
    runtime = d / "run"
    runtime.mkdir(mode=0o755)
    for name in ("web", "worker", "beat"):
        unit = systemd_service(DEPLOY / "systemd" / f"lobiku-{name}.service")
        assert unit["EnvironmentFile"] == "/etc/lobiku/env"
        stack.spawn(name, paths_for_checkout(unit["argv"], runtime), {**base_env, **unit["env"], **stack.env})

    # The nginx site from the template, inside a minimal main configuration (Debian's nginx.conf does the same).
    subprocess.run([sys.executable, str(DEPLOY / "render_nginx.py"), "--env-file", str(env_file),
                    "-o", str(d / "lobiku.conf")], check=True, env={"PATH": os.environ["PATH"]})
    (d / "nginx.conf").write_text(
        "worker_processes 1;\nerror_log logs/nginx-error.log;\nevents {}\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        "  access_log logs/nginx-access.log;\n  include lobiku.conf;\n}\n")
    nginx = [NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "logs" / "nginx-error.log"),
             "-g", f"daemon off; pid {d / 'nginx.pid'};"]
    subprocess.run([*nginx, "-t"], check=True, capture_output=True)
    stack.spawn("nginx", nginx, {"PATH": os.environ["PATH"]})

    wait_until(lambda: (runtime / "gunicorn.sock").exists(), 60, "gunicorn's socket", stack)
    wait_until(lambda: _healthz(stack) == 200, 60, "/healthz through nginx", stack)
    wait_until(lambda: "ready" in stack.log("worker"), 60, "the Celery worker", stack)


def _healthz(stack: Stack) -> int:
    from tests.deploy.test_production_stack import fetch

    return fetch(stack, "/healthz").status
