"""The nginx site template against the portal's own routes: every route that takes files gets exactly its body limit
(ppid_portal.uploads), every other route the fields' room; and the nginx image's envsubst renders the same file as
deploy/render_nginx.py, which nginx accepts."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from ppid_portal.uploads import LETTER_CHECK_MAX_BYTES, ROUTE_LIMITS, body_limit_for
from tests.deploy.stack import DEPLOY, NGINX

TEMPLATE = DEPLOY / "nginx" / "lobiku.conf.template"
SAMPLE_KWARGS = ({}, {"registration_number": "DINKES-2026-00001"}, {"pk": 7}, {"token": "Xq3-abc_DEF0"})


def render(env: dict) -> str:
    result = subprocess.run([sys.executable, str(DEPLOY / "render_nginx.py")], env={"PATH": os.environ["PATH"], **env},
                            capture_output=True, text=True, check=True)
    return result.stdout


def portal_env(tmp_path) -> dict:
    return {
        "PPID_SITE_URL": "https://ppid.example.org", "STATIC_ROOT": str(tmp_path / "static"),
        "LOBIKU_TLS_CERT": str(tmp_path / "cert.pem"), "LOBIKU_TLS_KEY": str(tmp_path / "key.pem"),
        **{name: str(getattr(settings, name)) for name in (
            "PPID_UPLOAD_MAX_BYTES", "PPID_DOCUMENT_MAX_BYTES", "PPID_CASE_MATERIAL_MAX_BYTES",
            "PPID_FORM_FIELDS_MAX_BYTES")},
    }


def https_server(site: str) -> str:
    return site[site.index("listen 443 ssl"):]


def nginx_cap(site: str, path: str) -> int:
    """client_max_body_size for `path` as nginx picks the location: an exact match, else the first matching regex,
    else the server's own value (the template's only prefix locations are / and /static/)."""
    server = https_server(site)
    blocks = re.findall(r"location (=|~) (\S+) \{([^}]*)\}", server)
    default = int(re.search(r"^    client_max_body_size (\d+);", server, re.M).group(1))

    def cap(body):
        found = re.search(r"client_max_body_size (\d+);", body)
        return int(found.group(1)) if found else default

    for kind, where, body in blocks:
        if kind == "=" and where == path:
            return cap(body)
    for kind, where, body in blocks:
        if kind == "~" and re.search(where, path):
            return cap(body)
    return default


def sample_path(name: str) -> str:
    for kwargs in SAMPLE_KWARGS:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample URL for {name}")


def test_every_upload_route_gets_its_own_limit_and_every_other_route_the_fields_room(tmp_path):
    site = render(portal_env(tmp_path))
    routes = [name for name in ROUTE_LIMITS if not name.startswith("bench")]
    assert routes
    for name in routes:
        path = sample_path(name)
        assert nginx_cap(site, path) == body_limit_for(path).body_bytes, (name, path)
    for path in ("/lacak/", "/masuk/", "/lacak/DINKES-2026-00001/keberatan/", "/api/v1/auth/token/", "/petugas/"):
        assert nginx_cap(site, path) == settings.PPID_FORM_FIELDS_MAX_BYTES == body_limit_for(path).body_bytes


def test_the_render_refuses_a_plain_http_site_url(tmp_path):
    env = {**portal_env(tmp_path), "PPID_SITE_URL": "http://ppid.example.org"}
    result = subprocess.run([sys.executable, str(DEPLOY / "render_nginx.py")], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "https://" in result.stderr


@pytest.mark.deploy
def test_the_nginx_image_envsubst_renders_the_same_site_and_nginx_accepts_it(tmp_path):
    if not shutil.which("envsubst"):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("REQUIRE_SERVICES=1 but envsubst (gettext-base) is missing")
        pytest.skip("needs envsubst (apt-get install gettext-base)")
    rendered = render(portal_env(tmp_path))
    # The nginx image's entrypoint substitutes every variable defined in its environment: given the values
    # render_nginx.py derives, it must write the same file.
    env = portal_env(tmp_path)
    values = {
        "PPID_SITE_URL": env["PPID_SITE_URL"], "LOBIKU_SERVER_NAME": "ppid.example.org", "LOBIKU_HTTP_LISTEN": "80",
        "LOBIKU_HTTPS_LISTEN": "443",
        "LOBIKU_TLS_CERT": env["LOBIKU_TLS_CERT"], "LOBIKU_TLS_KEY": env["LOBIKU_TLS_KEY"],
        "LOBIKU_STATIC_ROOT": env["STATIC_ROOT"], "LOBIKU_UPSTREAM": "unix:/run/lobiku/gunicorn.sock",
        "LOBIKU_BODY_FORM": env["PPID_FORM_FIELDS_MAX_BYTES"],
        "LOBIKU_BODY_INTAKE": str(2 * int(env["PPID_UPLOAD_MAX_BYTES"]) + int(env["PPID_FORM_FIELDS_MAX_BYTES"])),
        "LOBIKU_BODY_DOCUMENT": str(int(env["PPID_DOCUMENT_MAX_BYTES"]) + int(env["PPID_FORM_FIELDS_MAX_BYTES"])),
        "LOBIKU_BODY_MATERIAL": str(int(env["PPID_CASE_MATERIAL_MAX_BYTES"]) + int(env["PPID_FORM_FIELDS_MAX_BYTES"])),
        "LOBIKU_BODY_VERIFY": str(LETTER_CHECK_MAX_BYTES + int(env["PPID_FORM_FIELDS_MAX_BYTES"])),
    }
    shell_format = " ".join(f"${{{name}}}" for name in values)
    substituted = subprocess.run(["envsubst", shell_format], input=TEMPLATE.read_text(), env=values,
                                 capture_output=True, text=True, check=True).stdout
    assert substituted == rendered

    # nginx accepts it (the upstream socket need not exist; the certificate must).
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", env["LOBIKU_TLS_KEY"],
                    "-out", env["LOBIKU_TLS_CERT"], "-subj", "/CN=ppid.example.org", "-days", "1"],
                   check=True, capture_output=True)
    (tmp_path / "lobiku.conf").write_text(rendered)  # `nginx -t` binds no port
    (tmp_path / "nginx.conf").write_text("events {}\nhttp {\n  include /etc/nginx/mime.types;\n"
                                         "  include lobiku.conf;\n}\n")
    (tmp_path / "logs").mkdir()
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                             "-e", str(tmp_path / "logs" / "error.log"), "-g", f"pid {tmp_path / 'nginx.pid'};"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
