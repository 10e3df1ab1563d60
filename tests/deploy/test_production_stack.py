"""The production path of deploy/README.md, proven on this machine: production settings, gunicorn on a unix socket,
a Celery worker and beat, nginx from deploy/nginx/ terminating TLS with a certificate from a local CA, a fresh
PostgreSQL database, its own Redis and an SMTP sink.

Through https a citizen on a 360 px phone files a request and an officer answers it (forms work: no CSRF 403;
session and CSRF cookies are Secure); the worker's e-mails arrive; nginx serves the static files gzip-encoded with a
year's immutable cache, refuses bodies over the portal's limits with 413 before gunicorn sees them, redirects http to
https and passes /healthz; the limiters count the browser's own address, whatever X-Forwarded-For a client sends.
"""

import gzip
import json
import re
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from tests.browser.support import CITIZEN, PHONE, fill_request_form, page_width
from tests.deploy.conftest import OFFICER_PASSWORD, TRACK_LIMIT
from tests.deploy.stack import HASHED, HTTPS_HOST, Stack

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(stack: Stack, path: str, *, headers: dict | None = None, https: bool = True) -> Reply:
    """One request from this process (127.0.0.1), the certificate checked against the local CA; no redirects."""
    url = (stack.base_url if https else f"http://{HTTPS_HOST}:{stack.http_port}") + path
    context = ssl.create_default_context(cafile=str(stack.ca))
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def first_response_line(stack: Stack, path: str, length: int) -> tuple[str, bytes]:
    """POST headers declaring `length` bytes with `Expect: 100-continue`, no body: nginx answers at once, "100
    Continue" when the body may come, 413 when it is over the route's cap. (status line, what followed)."""
    context = ssl.create_default_context(cafile=str(stack.ca))
    with socket.create_connection((HTTPS_HOST, stack.https_port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=HTTPS_HOST) as tls:
            tls.sendall((f"POST {path} HTTP/1.1\r\nHost: {HTTPS_HOST}:{stack.https_port}\r\n"
                         f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {length}\r\n"
                         "Expect: 100-continue\r\n\r\n").encode())
            data = b""
            while b"\r\n\r\n" not in data or (data.startswith(b"HTTP/1.1 413") and b"</html>" not in data):
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
    return data.split(b"\r\n", 1)[0].decode(), data


def gunicorn_requests(stack: Stack, pattern: str) -> int:
    """How many requests matching `pattern` reached gunicorn (its access log, the units' --access-logfile -)."""
    return len(re.findall(pattern, stack.log("web")))


def test_a_citizen_files_and_an_officer_answers_over_https(stack, browser):
    context = browser.new_context(viewport=PHONE, locale="id-ID", ignore_https_errors=True,
                                  extra_http_headers={"Accept-Language": "id-ID"})
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        # Typed as http: nginx sends the phone to the same page on https.
        page.goto(f"http://{HTTPS_HOST}:{stack.http_port}/permohonan/baru/")
        assert page.url == f"{stack.base_url}/permohonan/baru/"
        fill_request_form(page, nik="6403012345678901")
        page.click("button[type=submit]:has-text('Kirim permohonan')")
        page.wait_for_url(re.compile(r"/permohonan/DINKES-\d{4}-\d{5}/terkirim/$"))
        registration = page.inner_text("#registration-number")
        code = page.inner_text("#tracking-code")
        assert page_width(page) <= PHONE["width"]
        stack.case.update(registration=registration, code=code)
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["csrftoken"]["secure"], cookies["csrftoken"]
        # The hashed stylesheet name the page links to (the manifest of production's collectstatic).
        stack.case["stylesheet"] = page.get_attribute("link[rel=stylesheet]", "href")

        # The worker, over the production Redis, sends the receipt to the SMTP server EMAIL_URL names.
        stack.smtp.wait_for(lambda to, text: CITIZEN["email"] in to and registration in text)

        officer = context.browser.new_context(viewport=PHONE, locale="id-ID", ignore_https_errors=True,
                                              base_url=stack.base_url)
        officer.set_default_timeout(20_000)
        desk = officer.new_page()
        case_url = f"/petugas/kasus/{registration}/"
        desk.goto(f"/masuk/?next={case_url}")
        desk.fill("#id_username", "petugas.dinkes")
        desk.fill("#id_password", OFFICER_PASSWORD)
        desk.click("main button[type=submit]")
        desk.wait_for_url(f"**{case_url}")
        officer_cookies = {c["name"]: c for c in officer.cookies()}
        assert officer_cookies["sessionid"]["secure"] and officer_cookies["sessionid"]["httpOnly"]
        assert officer_cookies["csrftoken"]["secure"]
        # The answer in two steps, the letter reviewed, then sent.
        desk.click("#panel-answer summary")
        desk.select_option("#answer-decision", "granted")
        desk.click("#panel-answer button:has-text('Lanjut')")
        desk.wait_for_load_state()
        desk.fill("#answer-note", "Data jumlah puskesmas per kecamatan terlampir.")
        desk.click("#panel-answer button:has-text('Periksa surat')")
        desk.wait_for_load_state()
        assert registration in desk.inner_text(".letter-sheet")
        desk.click("#review-confirm button[type=submit]")
        desk.wait_for_url(f"**{case_url}")
        assert "Tersimpan: Pemberitahuan tertulis." in desk.inner_text("main")
        assert page_width(desk) <= PHONE["width"]
        officer.close()

        # The citizen tracks the case: answered.
        page.goto(f"{stack.base_url}/lacak/")
        page.fill("#id_registration_number", registration)
        page.fill("#id_tracking_code", code)
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/lacak/{registration}/")
        assert page.inner_text("#case-status") == "Dijawab"
    finally:
        context.close()

    # Every form went through: gunicorn never answered 403 (a CSRF failure behind https would be one). Its access
    # log has the citizen's submission, so the log is read right.
    assert gunicorn_requests(stack, r'"POST /permohonan/baru/ HTTP/[0-9.]+" 302 ') == 1, stack.log("web")[-3000:]
    assert not re.search(r'"(GET|POST) [^"]*" 403 ', stack.log("web")), stack.log("web")[-3000:]
    assert all(rc is None for rc in stack.alive().values()), stack.alive()


def test_nginx_serves_static_files_gzipped_with_a_year_long_cache(stack):
    href = stack.case.get("stylesheet") or "/static/css/portal.css"
    assert HASHED.search(href), f"production links the content-hashed file, not {href}"
    before = gunicorn_requests(stack, r"GET /static/")
    reply = fetch(stack, href, headers={"Accept-Encoding": "gzip"})
    assert reply.status == 200
    assert reply.headers["content-encoding"] == "gzip"
    assert reply.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert reply.headers["content-type"].startswith("text/css")
    on_disk = (stack.directory / "static" / href.removeprefix("/static/")).read_bytes()
    assert gzip.decompress(reply.body) == on_disk
    # An unhashed name is not promised for a year.
    assert fetch(stack, "/static/css/portal.css").headers["cache-control"] == "public, max-age=60"
    assert gunicorn_requests(stack, r"GET /static/") == before, "static files must not reach gunicorn"


def test_bodies_over_the_portal_limits_are_refused_by_nginx(stack, browser):
    intake = 2 * 5 * 1024 * 1024 + 2_621_440  # two files of PPID_UPLOAD_MAX_BYTES + PPID_FORM_FIELDS_MAX_BYTES
    before = gunicorn_requests(stack, r"POST /permohonan/baru/")

    # A real upload over the request form's cap, from the browser: nginx's 413, in the portal's words.
    context = browser.new_context(ignore_https_errors=True, base_url=stack.base_url)
    try:
        response = context.request.post("/permohonan/baru/", multipart={
            "name": "Siti", "identity_document": {"name": "ktp.png", "mimeType": "image/png",
                                                  "buffer": b"\x89PNG" + b"0" * (intake + 1024)}})
        assert response.status == 413
        assert "Kiriman terlalu besar" in response.text()
    finally:
        context.close()
    assert gunicorn_requests(stack, r"POST /permohonan/baru/") == before, "the oversized body reached gunicorn"

    # Each route's cap is its own limit: just over is 413, just within may come (nginx asks for the body).
    status, body = first_response_line(stack, "/permohonan/baru/", intake + 1)
    assert status.startswith("HTTP/1.1 413") and b"Kiriman terlalu besar" in body
    assert first_response_line(stack, "/permohonan/baru/", intake)[0] == "HTTP/1.1 100 Continue"
    assert first_response_line(stack, "/lacak/", 2_621_441)[0].startswith("HTTP/1.1 413")
    document = 25 * 1024 * 1024 + 2_621_440
    assert first_response_line(stack, "/petugas/dokumen/unggah/", document)[0] == "HTTP/1.1 100 Continue"
    assert first_response_line(stack, "/petugas/dokumen/unggah/", document + 1)[0].startswith("HTTP/1.1 413")
    material = 100 * 1024 * 1024 + 2_621_440
    assert first_response_line(stack, "/petugas/kasus/DINKES-2026-00001/aksi/", material)[0] == "HTTP/1.1 100 Continue"
    assert first_response_line(stack, "/api/v1/cases/X/actions/", material + 1)[0].startswith("HTTP/1.1 413")
    assert gunicorn_requests(stack, r"POST /permohonan/baru/") == before


def test_healthz_and_http_to_https(stack):
    from tests.deploy.stack import wait_until

    def answered():
        reply = fetch(stack, "/healthz")
        health = json.loads(reply.body)
        # A worker busy starting may miss one ping (1 s, then cached for 10 s): ask again until it answers.
        return (reply, health) if health["workers"]["status"] == "ok" else None

    reply, health = wait_until(answered, 40, "a worker answering /healthz's ping", stack)
    assert reply.status == 200
    assert (health["status"], health["database"], health["broker"]) == ("ok", "ok", "ok"), health
    # The units' worker answers the ping; beat has written its schedule and waits for the sweep's first run.
    assert health["workers"]["status"] == "ok" and health["beat"]["status"] in ("starting", "ok"), health
    redirect = fetch(stack, "/lacak/?nomor=1", https=False)
    assert redirect.status == 301
    assert redirect.headers["location"] == f"{stack.base_url}/lacak/?nomor=1"


def test_the_limiters_count_the_browsers_address_whatever_x_forwarded_for_says(stack, browser):
    import redis

    registration = stack.case.get("registration", "DINKES-2026-00001")
    code = stack.case.get("code", "AAAA-BBBB-CC")
    wrong = f"/api/v1/requests/track/?registration_number={registration}&tracking_code=SALAH-SALAH"
    # Failed look-ups, each claiming another address: the limit still arrives after TRACK_LIMIT of them.
    for i in range(TRACK_LIMIT):
        assert fetch(stack, wrong, headers={"X-Forwarded-For": f"203.0.113.{i + 1}"}).status == 404
    spoofed = fetch(stack, f"/api/v1/requests/track/?registration_number={registration}&tracking_code={code}",
                    headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.99"})
    assert spoofed.status == 429

    # The counter is the one of 127.0.0.1, the address nginx saw; no spoofed address has one.
    cache = redis.Redis(port=stack.redis_port, db=1)
    keys = sorted(k.decode() for k in cache.keys("*ppid-throttle:ppid_track:*"))
    assert [k.rsplit(":", 1)[1] for k in keys] == ["127.0.0.1"], keys
    assert int(cache.get(keys[0])) == TRACK_LIMIT

    # The browser, on the same machine and sending no such header, is that same client: even the right code now
    # gets the "too many attempts" page.
    context = browser.new_context(viewport=PHONE, ignore_https_errors=True, base_url=stack.base_url)
    try:
        page = context.new_page()
        page.goto("/lacak/")
        page.fill("#id_registration_number", registration)
        page.fill("#id_tracking_code", code)
        with page.expect_response(lambda r: r.url.endswith("/lacak/") and r.request.method == "POST") as posted:
            page.click("main button[type=submit]")
        assert posted.value.status == 429
    finally:
        context.close()


def test_beat_keeps_the_schedule_in_the_database(stack):
    """The one beat of the units runs on the production database: the schedule in code is synced into
    django-celery-beat's tables."""
    import psycopg2

    from tests.deploy.stack import wait_until

    def scheduled() -> set[str]:
        with psycopg2.connect(stack.env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT name FROM django_celery_beat_periodictask")
            return {row[0] for row in cursor.fetchall()}

    names = wait_until(lambda: {"sweep-deadlines", "resend-notifications"} <= scheduled() and scheduled(), 30,
                       "beat's schedule in the database", stack)
    assert {"stale-document-scans", "daily-digest"} <= names
    assert stack.alive()["beat"] is None


def test_a_second_migrate_and_seed_run_keeps_what_the_admins_edited(stack):
    """Upgrading runs migrate and the seeds again (deploy/README.md): an OPD whose name and letterhead the admins
    edited, and a holiday they renamed, come through unchanged."""
    import psycopg2

    def query(sql, *params):
        with psycopg2.connect(stack.env["DATABASE_URL"]) as conn, conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    query("UPDATE opd_app_opd SET name = %s, address = %s WHERE code = 'DINKES'",
          "Dinas Kesehatan Kabupaten Kutai Kartanegara", "Jl. Mulawarman No. 99, Tenggarong")
    [(holiday_id,)] = query("SELECT id FROM requests_app_holiday ORDER BY date LIMIT 1")
    query("UPDATE requests_app_holiday SET name = %s WHERE id = %s", "Tahun Baru (ditetapkan Bupati)", holiday_id)
    before = query("SELECT code, name, address FROM opd_app_opd ORDER BY code")
    holidays = query("SELECT id, date, name FROM requests_app_holiday ORDER BY id")

    for step in (["migrate", "--noinput"], ["seed_opd"], ["seed_holidays"]):
        stack.run(f"again-{step[0]}", [*stack.manage, *step], stack.manage_env)

    assert query("SELECT code, name, address FROM opd_app_opd ORDER BY code") == before
    assert query("SELECT id, date, name FROM requests_app_holiday ORDER BY id") == holidays
    assert ("DINKES", "Dinas Kesehatan Kabupaten Kutai Kartanegara", "Jl. Mulawarman No. 99, Tenggarong") in before
