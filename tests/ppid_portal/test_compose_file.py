"""The production stack's files keep their invariants: docker-compose.yml, .dockerignore, .env.example."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SECRET_KEYS = re.compile(r"SECRET_KEY|PASSWORD|SENTRY_DSN|_TOKEN|ACCESS_KEY", re.IGNORECASE)


def _environment(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def test_exactly_one_beat():
    beats = [name for name, svc in SERVICES.items() if " beat" in " ".join(_command(svc))]
    assert beats == ["beat"]


def _command(service: dict) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else list(command)


def test_only_the_proxy_publishes_ports():
    published = {name for name, svc in SERVICES.items() if svc.get("ports")}
    assert published == {"proxy"}
    assert SERVICES["proxy"]["image"].startswith("nginx:stable")
    assert sorted(SERVICES["proxy"]["ports"]) == ["443:443", "80:80"]


def test_proxy_mounts_the_nginx_templates_certs_and_the_static_files_web_collects():
    mounts = SERVICES["proxy"]["volumes"]
    # The site template replaces the image's default site (rendered by the image's envsubst at start).
    assert "./deploy/nginx/lobiku.conf.template:/etc/nginx/templates/default.conf.template:ro" in mounts
    assert any(m.startswith("certs:") for m in mounts)
    static = next(m.split(":")[0] for m in SERVICES["web"]["volumes"] if m.endswith(":/app/staticfiles"))
    assert any(m.startswith(f"{static}:") for m in mounts)
    assert "collectstatic" in " ".join(_command(SERVICES["web"]))


def test_proxy_gives_every_placeholder_of_the_site_template_and_the_portal_s_body_caps():
    """The compose proxy fills the same template the bare-server install renders, with the same body caps
    (deploy/render_nginx.py computes them from the portal's upload limits; at their defaults they must match)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy" / "render_nginx.py")
    render_nginx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_nginx)
    env = _environment(SERVICES["proxy"])
    names = set(re.findall(r"\$\{([A-Z_]+)\}", (ROOT / "deploy" / "nginx" / "lobiku.conf.template").read_text()))
    assert names and names <= set(env), names - set(env)
    # The image substitutes only the variables its filter lets through: all of the template's, no others.
    allowed = re.compile(env["NGINX_ENVSUBST_FILTER"])
    assert all(allowed.search(name) for name in names)
    expected = render_nginx.placeholders({"PPID_SITE_URL": "https://ppid.example.go.id", "STATIC_ROOT": "/srv/static"})
    for cap in ("LOBIKU_BODY_FORM", "LOBIKU_BODY_INTAKE", "LOBIKU_BODY_DOCUMENT", "LOBIKU_BODY_MATERIAL",
                "LOBIKU_BODY_VERIFY"):
        assert env[cap] == expected[cap], cap
    assert env["LOBIKU_UPSTREAM"] == "web:8000" and env["LOBIKU_STATIC_ROOT"] == "/srv/static"


# Ids not named after a service: the conftest reads a `postgres` or `redis` keyword as "needs that server".
@pytest.mark.parametrize("name", sorted(SERVICES), ids=lambda name: f"service-{name}")
def test_no_secret_in_an_environment_block(name):
    for key, value in _environment(SERVICES[name]).items():
        assert not SECRET_KEYS.search(key), f"{name}: {key} belongs in .env (env_file), not in environment:"
        if key == "EMAIL_URL":
            pytest.fail(f"{name}: EMAIL_URL carries the mail server's credentials: put it in .env")
        if isinstance(value, str) and "://" in value:
            password = urlsplit(value).password
            # A URL may only name its password through compose's interpolation from .env.
            assert password is None or password.startswith("${"), f"{name}: {key} has a literal password"


def test_the_database_password_comes_from_env_and_is_required():
    url = _environment(SERVICES["web"])["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in url
    assert "POSTGRES_PASSWORD" not in _environment(SERVICES["postgres"])
    assert SERVICES["postgres"]["env_file"] == ".env"


@pytest.mark.parametrize("name", ["web", "worker", "beat", "postgres", "redis"], ids=lambda name: f"service-{name}")
def test_healthchecks(name):
    test = SERVICES[name]["healthcheck"]["test"]
    text = " ".join(test) if isinstance(test, list) else test
    expected = {"web": "healthcheck.py web", "worker": "inspect ping -d celery@$$HOSTNAME",
                "beat": "healthcheck.py beat", "postgres": "pg_isready", "redis": "redis-cli ping"}[name]
    assert expected in text


def test_migrate_only_migrates():
    command = _command(SERVICES["migrate"])
    assert command == ["python", "manage.py", "migrate", "--noinput"]
    assert SERVICES["migrate"]["restart"] == "no"


def test_app_services_read_secrets_from_env_file():
    for name in ("migrate", "web", "worker", "beat"):
        assert SERVICES[name]["env_file"] == ".env"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    lines = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    for entry in (".env", ".venv", "media", "db.sqlite3", "*.sqlite3", "test-artifacts", ".git"):
        assert entry in lines


def test_dockerfile_runs_as_a_user_with_a_home_and_never_copies_env():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "useradd --create-home" in dockerfile
    assert re.search(r"^USER ppid$", dockerfile, re.MULTILINE)
    assert "HOME=/home/ppid" in dockerfile
    assert not re.search(r"^COPY .*\.env", dockerfile, re.MULTILINE)
    assert "collectstatic" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert package in dockerfile


def _settings_variables() -> set[str]:
    names = set()
    for path in (ROOT / "ppid_portal" / "settings").glob("*.py"):
        names |= set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", path.read_text()))
    return names


def test_every_setting_from_the_environment_is_in_env_example_and_the_readme():
    example = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    readme = (ROOT / "README.md").read_text()
    variables = _settings_variables()
    assert {"SECRET_KEY", "SENTRY_DSN", "PPID_HEALTH_REQUIRE_WORKERS", "CELERY_BROKER_URL"} <= variables
    assert variables - example == set()
    assert {v for v in variables if f"`{v}`" not in readme} == set()
    # And what compose itself interpolates from .env.
    assert {"POSTGRES_PASSWORD", "PPID_SERVER_NAME"} <= example


def test_gunicorn_config_loads():
    from ppid_portal import gunicorn_conf

    assert gunicorn_conf.workers >= 2
    assert gunicorn_conf.timeout >= 30
    assert gunicorn_conf.bind.endswith(":8000")
