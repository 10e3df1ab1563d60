"""Bad input of any kind is a 4xx with a message, never a 5xx: page numbers, over-long text, query parameters that
a page echoes back. On PostgreSQL, where an over-long value overflows its column and a huge OFFSET its bigint."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from documents_app.models import Document, DocumentStatus
from ppid_portal.clock import WITA, now
from ppid_portal.limits import EMAIL_MAX_LENGTH, SEARCH_QUERY_MAX_LENGTH, TEXT_MAX_LENGTH
from requests_app.models import Case, DikEntry, DikRevision, Holiday, LetterDelivery, Objection, Status
from requests_app.models.dik import DIK_CONSEQUENCE_MAX_LENGTH
from requests_app.permissions import TRACKED_CASES_SESSION_KEY, tracked_entry
from requests_app.services.messages import MESSAGE_MAX_LENGTH
from tests.conftest import dik_entry_make, png_bytes, request_data
from tests.documents_app.helpers import pdf_upload

# Not numbers, or numbers no page has: a superscript and an Arabic-Indic digit (str.isdigit says yes), zero,
# negatives, past PostgreSQL's bigint, past Python's int() digit limit, decimals, words.
BAD_PAGES = ["²", "٣", "0", "-1", "99999999999999999999", "9" * 5000, "1.5", "1e3", "abc", "\x00"]


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _page(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(submit, officer, atasan, admin_utama):
    case = submit().case
    document = Document.objects.create(
        title="Laporan keuangan", summary="Laporan keuangan tahunan", category="berkala", opd=case.opd,
        file=SimpleUploadedFile("laporan.pdf", b"%PDF-1.4"), original_filename="laporan.pdf",
        content_type="application/pdf", size=8, sha256="0" * 64, status=DocumentStatus.PUBLISHED,
        published_at=case.received_at, created_by=officer, created_at=case.received_at, updated_at=case.received_at)
    holiday = Holiday.objects.create(date=dt.date(2026, 9, 10), name="Hari jadi", kind="local")
    delivery = LetterDelivery.objects.create(case=case, opd=case.opd, letter="receipt",
                                             issued_at=case.received_at - dt.timedelta(hours=1),
                                             due_on=case.received_on)
    return {"case": case, "document": document, "holiday": holiday, "officer": officer, "atasan": atasan,
            "admin": admin_utama, "delivery": delivery, "dik": dik_entry_make(case.opd)}


# (url, who, paginated): every list of the API. The unpaginated ones ignore `page`.
API_LISTS = [
    ("/api/v1/documents/", None, True),
    ("/api/v1/documents/?q=laporan", None, True),  # the hand-written search page on PostgreSQL
    ("/api/v1/documents/?opd=DINKES&category=berkala", None, True),
    ("/api/v1/cases/", "officer", True),  # the hand-written queue page on PostgreSQL
    ("/api/v1/cases/?show=all", "officer", True),  # the generic paginator
    ("/api/v1/cases/", "admin", True),
    ("/api/v1/deliveries/", "officer", True),
    ("/api/v1/deliveries/?status=delivered", "admin", True),
    ("/api/v1/registers/requests/", "officer", True),
    ("/api/v1/registers/objections/?year=2026", "admin", True),
    ("/api/v1/dik/", None, True),
    ("/api/v1/dik/?opd=DINKES&validity=all", None, True),
    ("/api/v1/opd/", None, False),
    ("/api/v1/holidays/", None, False),
    ("/api/v1/stats/", None, False),
    ("/api/v1/compliance/", "admin", False),
]
# The pages that paginate clamp a bad number to a page that exists.
HTML_LISTS = [
    ("/petugas/", "officer"),
    ("/petugas/?show=all", "officer"),
    ("/dasbor/kasus/", "admin"),
    ("/dokumen/", None),
    ("/dokumen/?q=laporan", None),
    ("/petugas/dokumen/", "officer"),
    ("/petugas/keberatan/", "atasan"),
    ("/petugas/surat/", "officer"),
    ("/petugas/surat/?status=delivered", "admin"),
    ("/petugas/register/", "officer"),
    ("/petugas/register/?kind=objections", "admin"),
    ("/dik/", None),
    ("/dik/?opd=DINKES&validity=expired", None),
    ("/petugas/dik/", "officer"),
    ("/petugas/pengguna/", "admin"),
    ("/petugas/pengguna/?q=dinkes", "admin"),
]


def _with_page(url: str, page: str) -> str:
    from urllib.parse import quote

    return f"{url}{'&' if '?' in url else '?'}page={quote(page)}"


@pytest.mark.postgres
@pytest.mark.parametrize("page", BAD_PAGES)
@pytest.mark.parametrize(("url", "who", "paginated"), API_LISTS)
def test_bad_page_numbers_on_api_lists_are_404_or_ignored(world, url, who, paginated, page):
    response = _api(world[who] if who else None).get(_with_page(url, page))
    if page == "\x00":  # refused before any view (see the NUL tests below)
        assert response.status_code == 400
        return
    assert response.status_code == (404 if paginated else 200), response.content[:300]
    if paginated:
        assert response.json()["detail"] == ["Invalid page."]


@pytest.mark.postgres
@pytest.mark.parametrize("page", BAD_PAGES)
@pytest.mark.parametrize(("url", "who"), HTML_LISTS)
def test_bad_page_numbers_on_pages_clamp(world, url, who, page):
    response = _page(world[who] if who else None).get(_with_page(url, page))
    assert response.status_code == (400 if page == "\x00" else 200)


def test_page_number_takes_ascii_digits_only():
    from ppid_portal.pages import MAX_PAGE, page_number

    assert [page_number(raw) for raw in ("1", "12", str(MAX_PAGE))] == [1, 12, MAX_PAGE]
    assert {page_number(raw) for raw in [*BAD_PAGES, str(MAX_PAGE + 1), " 1", "+1", "", "１"]} == {None}


# ------------------------------------------------------------------------------------------------ over-long text

def _request_body(**overrides):
    data = request_data(**overrides)
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return data


def _long_email() -> str:
    # Valid by every label's rule (63 characters at most) but longer than the column.
    local = "a" * 64
    domain = ".".join(["b" * 60] * 4) + ".id"
    email = f"{local}@{domain}"
    assert len(email) > EMAIL_MAX_LENGTH
    return email


# (endpoint, field, over-long value): one row per free-text field of every API serializer that writes.
OVERLONG_API = [
    *[("request", field, value) for field, value in [
        ("name", "x" * 201), ("identity_number", "1" * 33), ("address", "x" * (TEXT_MAX_LENGTH + 1)),
        ("phone", "0" * 33), ("email", _long_email()), ("occupation", "x" * 121),
        ("information_requested", "x" * (TEXT_MAX_LENGTH + 1)), ("purpose", "x" * (TEXT_MAX_LENGTH + 1)),
        ("on_behalf_of", "x" * 201),
    ]],
    *[("desk", field, value) for field, value in [
        ("name", "x" * 201), ("address", "x" * (TEXT_MAX_LENGTH + 1)), ("on_behalf_of", "x" * 201),
        ("received_note", "x" * 501), ("information_requested", "x" * (TEXT_MAX_LENGTH + 1)),
    ]],
    *[("objection", field, value) for field, value in [
        ("registration_number", "X" * 41), ("tracking_code", "X" * 41), ("reason", "x" * 5001),
    ]],
    *[("message", field, value) for field, value in [
        ("registration_number", "X" * 41), ("tracking_code", "X" * 41), ("text", "x" * (MESSAGE_MAX_LENGTH + 1)),
    ]],
    *[("action", field, value) for field, value in [
        ("officer", "x" * 151), ("reason", "x" * (TEXT_MAX_LENGTH + 1)), ("decision", "x" * 25),
        ("exemption", "ab"), ("consequence_test", "x" * (TEXT_MAX_LENGTH + 1)), ("holder", "x" * 256),
        ("to_opd", "X" * 17), ("note", "x" * (TEXT_MAX_LENGTH + 1)), ("cost_note", "x" * 256),
        ("withheld", "x" * 2001), ("dik_information", "x" * 1001), ("dik_legal_basis", "x" * 501), ("dik", "x" * 30),
    ]],
    *[(endpoint, field, value) for endpoint in ("dik_create", "dik_update") for field, value in [
        ("information", "x" * 1001), ("legal_basis", "x" * 501), ("consequence", "x" * 5001), ("exemption", "ab"),
        ("valid_until", "x" * 30),
    ]],
    ("dik_create", "opd", "X" * 17),
    *[("document", field, value) for field, value in [
        ("title", "x" * 301), ("summary", "x" * (TEXT_MAX_LENGTH + 1)), ("opd", "X" * 17),
        ("registration_number", "X" * 41), ("responsible_official", "x" * 256), ("made_place", "x" * 121),
        ("retention", "x" * 121),
    ]],
    ("unpublish", "reason", "x" * (TEXT_MAX_LENGTH + 1)),
    ("handover", "recipient_name", "x" * 201),
    ("handover", "note", "x" * 1001),
    ("holiday_create", "name", "x" * 201),
    ("holiday_update", "name", "x" * 201),
    ("search", "q", "x" * (SEARCH_QUERY_MAX_LENGTH + 1)),
]


def _send_api(world, endpoint: str, field: str, value: str):
    case, document = world["case"], world["document"]
    if endpoint == "request":
        return _api().post("/api/v1/requests/", _request_body(**{field: value}), format="multipart")
    if endpoint == "desk":
        body = {**request_data(), "channel": "desk", field: value}
        return _api(world["officer"]).post("/api/v1/cases/", body, format="multipart")
    if endpoint == "objection":
        body = {"registration_number": case.registration_number, "tracking_code": "ABCDEFGHJKLM", "ground": "a",
                "reason": "Tidak dijawab", field: value}
        return _api().post("/api/v1/requests/objections/", body, format="json")
    if endpoint == "message":
        body = {"registration_number": case.registration_number, "tracking_code": "ABCDEFGHJKLM", "text": "Halo",
                field: value}
        return _api().post("/api/v1/requests/messages/", body, format="json")
    if endpoint == "action":
        body = {"action": "answer", "decision": "not_held", "holder": "Dinas Pendidikan", field: value}
        return _api(world["officer"]).post(f"/api/v1/cases/{case.registration_number}/actions/", body,
                                           format="json")
    if endpoint == "document":
        body = {"file": pdf_upload("Laporan"), "title": "Laporan", "category": "berkala", "opd": "DINKES",
                field: value}
        return _api(world["officer"]).post("/api/v1/documents/", body, format="multipart")
    if endpoint == "unpublish":
        return _api(world["officer"]).post(f"/api/v1/documents/{document.pk}/unpublish/", {field: value},
                                           format="json")
    if endpoint == "handover":
        body = {"delivered_at": now().isoformat(), "method": "in_person", "recipient_name": "Budi", field: value}
        return _api(world["officer"]).post(f"/api/v1/deliveries/{world['delivery'].pk}/handover/", body,
                                           format="json")
    if endpoint == "dik_create":
        body = {"opd": "DINKES", "information": "Rekam medis", "exemption": "h", "legal_basis": "UU 17/2023 Pasal 4",
                "consequence": "Membukanya merugikan pasien.", "valid_until": "2030-12-31", field: value}
        return _api(world["atasan"]).post("/api/v1/dik/", body, format="json")
    if endpoint == "dik_update":
        return _api(world["atasan"]).patch(f"/api/v1/dik/{world['dik'].pk}/", {field: value}, format="json")
    if endpoint == "holiday_create":
        return _api(world["admin"]).post("/api/v1/holidays/", {"date": "2026-09-09", "kind": "local",
                                                               field: value}, format="json")
    if endpoint == "holiday_update":
        return _api(world["admin"]).patch(f"/api/v1/holidays/{world['holiday'].date}/", {field: value},
                                          format="json")
    assert endpoint == "search"
    return _api().get("/api/v1/documents/", {field: value})


@pytest.mark.postgres
@pytest.mark.parametrize(("endpoint", "field", "value"), OVERLONG_API,
                         ids=[f"{e}-{f}" for e, f, _v in OVERLONG_API])
def test_overlong_text_on_the_api_is_400_naming_the_field(world, endpoint, field, value):
    before = (Case.objects.count(), Objection.objects.count(), Document.objects.count(), Holiday.objects.count())
    response = _send_api(world, endpoint, field, value)
    assert response.status_code == 400, response.content[:300]
    assert field in response.json(), response.json()
    after = (Case.objects.count(), Objection.objects.count(), Document.objects.count(), Holiday.objects.count())
    assert after == before
    assert DikEntry.objects.count() == 1 and not DikRevision.objects.exists()
    assert LetterDelivery.objects.get(pk=world["delivery"].pk).delivered_at is None
    case = Case.objects.get(pk=world["case"].pk)
    assert case.status == Status.SUBMITTED


# (url builder, who, form data, field, over-long value, expected status): the pages' forms.
def _narrative_field() -> str:
    from compliance_app.reports import NARRATIVE_SECTIONS

    return NARRATIVE_SECTIONS[0][0]


OVERLONG_PAGES = [
    *[("request", field, value) for field, value in [
        ("name", "x" * 201), ("address", "x" * (TEXT_MAX_LENGTH + 1)), ("email", _long_email()),
        ("information_requested", "x" * (TEXT_MAX_LENGTH + 1)), ("purpose", "x" * (TEXT_MAX_LENGTH + 1)),
        ("on_behalf_of", "x" * 201),
    ]],
    *[("desk", field, value) for field, value in [
        ("name", "x" * 201), ("on_behalf_of", "x" * 201), ("received_note", "x" * 501),
    ]],
    *[("action", field, value) for field, value in [
        ("holder", "x" * 256), ("cost_note", "x" * 256), ("note", "x" * (TEXT_MAX_LENGTH + 1)),
        ("consequence_test", "x" * (DIK_CONSEQUENCE_MAX_LENGTH + 1)), ("officer", "x" * 151), ("to_opd", "X" * 17),
        ("reason", "x" * (TEXT_MAX_LENGTH + 1)), ("withheld", "x" * 2001), ("dik_information", "x" * 1001),
        ("dik_legal_basis", "x" * 501),
    ]],
    *[("dik_form", field, value) for field, value in [
        ("information", "x" * 1001), ("legal_basis", "x" * 501), ("consequence", "x" * 5001),
    ]],
    *[("upload", field, value) for field, value in [
        ("title", "x" * 301), ("summary", "x" * (TEXT_MAX_LENGTH + 1)), ("registration_number", "X" * 41),
    ]],
    ("message", "text", "x" * (MESSAGE_MAX_LENGTH + 1)),
    ("document_unpublish", "reason", "x" * (TEXT_MAX_LENGTH + 1)),
    ("document_confirm", "note", "x" * (TEXT_MAX_LENGTH + 1)),
    ("handover", "recipient_name", "x" * 201),
    ("handover", "note", "x" * 1001),
    ("holiday", "name", "x" * 201),
    ("narrative", "section", "x" * (TEXT_MAX_LENGTH + 1)),
    ("signup", "email", _long_email()),
    *[("officer", field, value) for field, value in [
        ("username", "x" * 151), ("full_name", "x" * 151), ("email", _long_email()),
    ]],
    ("password_reset", "email", _long_email()),
]


def _send_page(world, form: str, field: str, value: str):
    case, document = world["case"], world["document"]
    if form == "request":
        return _page().post("/permohonan/baru/", _request_body(**{field: value}))
    if form == "desk":
        body = {**request_data(), "channel": "desk", "received_at": now().astimezone(WITA).strftime("%Y-%m-%dT%H:%M"),
                field: value}
        return _page(world["officer"]).post("/petugas/permohonan/baru/", body)
    if form == "action":
        # The answer's second step (its decision's fields shown), sent for review.
        body = {"action": "answer", "decision": "not_held", "fields_for": "not_held", "holder": "Dinas Pendidikan",
                field: value}
        return _page(world["officer"]).post(f"/petugas/kasus/{case.registration_number}/aksi/", body)
    if form == "dik_form":
        body = {"opd": "DINKES", "information": "Rekam medis", "exemption": "h", "legal_basis": "UU 17/2023 Pasal 4",
                "consequence": "Membukanya merugikan pasien.", "decided_on": "2026-01-05", "valid_until": "2030-12-31",
                field: value}
        return _page(world["atasan"]).post("/petugas/dik/baru/", body)
    if form == "message":
        # The requester's form on the tracking page (the session the tracking code opened).
        client = _page()
        session = client.session
        session[TRACKED_CASES_SESSION_KEY] = [tracked_entry(case)]
        session.save()
        return client.post(f"/lacak/{case.registration_number}/pesan/", {field: value})
    if form == "upload":
        body = {"file": pdf_upload("Laporan"), "title": "Laporan", "category": "berkala", "opd": "DINKES",
                "info_form": "softcopy", field: value}
        return _page(world["officer"]).post("/petugas/dokumen/unggah/", body)
    if form == "document_unpublish":
        return _page(world["officer"]).post(f"/petugas/dokumen/{document.pk}/aksi/",
                                            {"action": "unpublish", field: value})
    if form == "document_confirm":
        Document.objects.filter(pk=document.pk).update(scan_state="done")
        return _page(world["officer"]).post(f"/petugas/dokumen/{document.pk}/aksi/",
                                            {"action": "confirm", field: value})
    if form == "handover":
        body = {"delivered_at": now().astimezone(WITA).strftime("%Y-%m-%dT%H:%M"), "method": "in_person",
                "recipient_name": "Budi", field: value}
        return _page(world["officer"]).post(f"/petugas/surat/{world['delivery'].pk}/", body)
    if form == "holiday":
        return _page(world["admin"]).post("/petugas/libur/", {"date": "2026-09-09", "kind": "local", field: value})
    if form == "narrative":
        return _page(world["admin"]).post("/dasbor/laporan/narasi/", {"year": "2026", _narrative_field(): value})
    if form == "officer":
        body = {"username": "baru.dinkes", "full_name": "Petugas Baru", "email": "baru@example.org", "opd": "DINKES",
                "role": "pelaksana", field: value}
        return _page(world["admin"]).post("/petugas/pengguna/baru/", body)
    if form == "password_reset":
        return _page().post("/akun/lupa-sandi/", {field: value})
    assert form == "signup"
    return _page().post("/daftar/", {"username": "warga1", "first_name": "Warga", "email": value,
                                     "password1": "pw-Secret-1x!", "password2": "pw-Secret-1x!"})


@pytest.mark.postgres
@pytest.mark.parametrize(("form", "field", "value"), OVERLONG_PAGES, ids=[f"{f}-{n}" for f, n, _v in OVERLONG_PAGES])
def test_overlong_text_on_the_pages_is_refused_with_a_message(world, form, field, value):
    before = (Case.objects.count(), Document.objects.count(), Holiday.objects.count())
    response = _send_page(world, form, field, value)
    limit = str(EMAIL_MAX_LENGTH if field == "email" else len(value) - 1)
    if form in ("document_unpublish", "document_confirm"):
        # The document action forms answer with a redirect and the message on the next page.
        assert response.status_code == 302
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any(limit in m for m in messages), messages
    else:
        # The upload page re-renders its form with the errors (200), as it always has; the others (the case page
        # with the action's panel open among them) answer 400.
        assert response.status_code == (200 if form == "upload" else 400)
        assert limit in response.content.decode()
    assert (Case.objects.count(), Document.objects.count(), Holiday.objects.count()) == before
    case = Case.objects.get(pk=world["case"].pk)
    document = Document.objects.get(pk=world["document"].pk)
    assert (case.status, case.holder, case.cost_note) == (Status.SUBMITTED, "", "")
    assert (document.status, document.personal_data_confirmed) == (DocumentStatus.PUBLISHED, False)
    assert LetterDelivery.objects.get(pk=world["delivery"].pk).delivered_at is None


# ------------------------------------------------------------------------------------------- echoed query text

XSS = "<script>alert(1)</script>"


@pytest.mark.parametrize("url", [
    f"/dasbor/?opd={XSS}", f"/dasbor/kasus/?metric={XSS}", f"/dasbor/kasus/?opd={XSS}",
    f"/dasbor/kasus/ekspor.csv?metric={XSS}", f"/dasbor/ekspor.csv?opd={XSS}", f"/dasbor/laporan.pdf?year={XSS}",
    f"/dasbor/laporan/unduh/?year={XSS}", f"/dasbor/laporan/narasi/?year={XSS}",
    f"/dasbor/laporan/terbitkan/?year={XSS}",
])
def test_dashboard_400_never_echoes_the_query_as_html(client, admin_utama, url):
    client.force_login(admin_utama)
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "<script>alert(1)" not in body.lower()
    assert "<script" not in body.lower()
    if "opd=" in url or "metric=" in url:
        assert "&lt;" in body  # the message is shown, escaped


# ------------------------------------------------------------------------------------------------- NUL characters

NUL_URLS = [
    "/api/v1/documents/?q=a%00b", "/api/v1/documents/?opd=a%00b", "/api/v1/cases/?opd=a%00",
    "/api/v1/cases/?status=a%00",
    "/api/v1/requests/track/?registration_number=a%00&tracking_code=b", "/api/v1/compliance/?opd=a%00",
    "/api/v1/cases/A%00/", "/api/v1/holidays/2026-01-01%00/", "/dokumen/?q=a%00", "/dip/?opd=a%00",
    "/petugas/?opd=a%00", "/petugas/?status=a%00", "/petugas/kasus/A%00/", "/dasbor/?opd=a%00",
    "/lacak/?registration_number=a%00&tracking_code=x", "/api/v1/stats/report/?year=2026%00",
    "/dasbor/laporan/terbitkan/?year=2026%00",
    "/lacak/?registration_number=a%00&tracking_code=x", "/api/v1/dik/?opd=a%00", "/dik/?validity=a%00",
    "/verifikasi/a%00b/", "/api/v1/cases/A%00/letters/x/",
]


@pytest.mark.postgres
@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_the_path_or_query_is_400(world, url):
    client = _api(world["admin"]) if url.startswith("/api/") else _page(world["admin"])
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "NUL" in response.json()["detail"][0]
    assert response["Content-Security-Policy"]


@pytest.mark.postgres
@pytest.mark.parametrize("multipart", [False, True])
@pytest.mark.parametrize(("action", "field"), [("unpublish", "reason"), ("confirm", "note")])
def test_a_nul_in_a_form_body_is_refused(world, multipart, action, field):
    document = world["document"]
    Document.objects.filter(pk=document.pk).update(scan_state="done")
    body = {"action": action, field: "ditarik\x00"}
    client = _page(world["officer"])
    if multipart:
        response = client.post(f"/petugas/dokumen/{document.pk}/aksi/", body)
        assert response.status_code == 302
        assert any("NUL" in str(m) for m in response.wsgi_request._messages)
    else:
        from urllib.parse import urlencode

        response = client.post(f"/petugas/dokumen/{document.pk}/aksi/", urlencode(body),
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400
    document = Document.objects.get(pk=document.pk)
    assert (document.status, document.personal_data_confirmed) == (DocumentStatus.PUBLISHED, False)


# ------------------------------------------------------------------------------------ garbage in every list filter

GARBAGE = ["x" * 300, "²", "-1", "99999999999999999999", "'; select 1 --", "2026-02-30", "<b>"]
FILTERED = [
    ("/api/v1/cases/", "officer", ["status", "overdue", "opd", "assigned", "show"]),
    ("/api/v1/documents/", None, ["opd", "category"]),
    ("/api/v1/dik/", None, ["opd", "validity"]),
    ("/dik/", None, ["opd", "validity"]),
    ("/petugas/dik/", "officer", ["opd", "validity"]),
    ("/api/v1/holidays/", None, ["year"]),
    ("/api/v1/stats/", None, ["year"]),
    ("/api/v1/stats/report/", None, ["year"]),
    ("/api/v1/compliance/", "admin", ["year", "opd", "start", "end"]),
    ("/api/v1/requests/track/", None, ["registration_number", "tracking_code"]),
    ("/petugas/", "officer", ["status", "overdue", "opd", "assigned", "show"]),
    ("/petugas/keberatan/", "atasan", ["status"]),
    ("/petugas/dokumen/", "officer", ["status"]),
    ("/petugas/libur/", "admin", ["year"]),
    ("/dokumen/", None, ["q", "opd", "category"]),
    ("/dip/", None, ["opd", "category"]),
    ("/statistik/", None, ["year"]),
    ("/dasbor/", "admin", ["year", "opd", "start", "end"]),
    ("/dasbor/kasus/", "admin", ["year", "opd", "start", "end", "metric"]),
    ("/dasbor/laporan/terbitkan/", "admin", ["year"]),
    ("/lacak/", None, ["registration_number", "tracking_code"]),
    ("/api/v1/registers/requests/", "officer", ["year", "month", "opd", "format", "kind"]),
    ("/api/v1/registers/objections/", "admin", ["year", "month", "opd", "format"]),
    ("/petugas/register/", "officer", ["kind", "year", "month", "opd", "format"]),
]


# ------------------------------------------------------------------------------------ the registers' filters

@pytest.mark.parametrize(("param", "value", "message"), [
    ("year", "abc", "Tahun harus angka"), ("year", "1990", "Tahun harus angka"), ("year", "²⁰²⁶", "Tahun harus angka"),
    ("year", "9" * 5000, "Tahun harus angka"), ("month", "13", "Bulan harus angka 1 sampai 12"),
    ("month", "0", "Bulan harus angka"), ("month", "1.5", "Bulan harus angka"), ("format", "docx", "Format harus"),
])
@pytest.mark.parametrize("url", ["/api/v1/registers/requests/", "/api/v1/registers/objections/",
                                 "/petugas/register/", "/petugas/register/?kind=objections"])
def test_bad_register_filters_are_400_with_a_message(world, url, param, value, message):
    if url.startswith("/api/"):
        response = _api(world["officer"]).get(url, {param: value})
        assert response.status_code == 400
        assert message in response.json()[param][0]
    else:
        path, _sep, query = url.partition("?")
        response = _page(world["officer"]).get(path, {**dict([query.split("=")] if query else []), param: value})
        assert response.status_code == 400
        assert message in response.content.decode()


def test_a_register_of_an_unknown_opd_is_404(world):
    assert _api(world["admin"]).get("/api/v1/registers/requests/", {"opd": "TIDAKADA"}).status_code == 404
    assert _page(world["admin"]).get("/petugas/register/", {"opd": "x" * 300}).status_code == 404


@pytest.mark.postgres
@pytest.mark.parametrize("value", GARBAGE)
@pytest.mark.parametrize(("url", "who", "params"), FILTERED)
def test_garbage_in_list_filters_is_never_a_5xx(world, url, who, params, value):
    client = _api(world[who] if who else None) if url.startswith("/api/") else _page(world[who] if who else None)
    for param in params:
        response = client.get(url, {param: value})
        assert response.status_code < 500, (param, value, response.status_code)


def test_a_plain_form_body_without_nul_still_reaches_the_api(officer):
    # The NUL check reads url-encoded bodies before the view: DRF must still parse them.
    from urllib.parse import urlencode

    response = APIClient().post("/api/v1/auth/token/", urlencode({"username": "petugas.dinkes",
                                                                  "password": "pw-Secret-1"}),
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and response.json()["token"]


# ------------------------------------------------------------------------------------------- the published report

@pytest.mark.parametrize("year", ["", "x" * 300, "²", "-1", "99999999999999999999", "2026-02-30", "1999", "2101"])
def test_a_bad_year_for_the_published_report_is_a_400_naming_the_field(opds, year):
    response = APIClient().get("/api/v1/stats/report/", {"year": year})
    assert response.status_code == 400
    assert response.json()["year"][0]


@pytest.mark.parametrize("year", ["x" * 300, "-1", "99999999999999999999", "<b>"])
def test_a_bad_year_when_publishing_is_a_400_and_publishes_nothing(client, admin_utama, year):
    from compliance_app.models import ReportPublication

    client.force_login(admin_utama)
    response = client.post("/dasbor/laporan/terbitkan/", {"year": year, "confirm": "1"})
    assert response.status_code == 400 and "Tahun" in response.content.decode()
    assert not ReportPublication.objects.exists()


# ------------------------------------------------------------------------------------- a letter's verification page

@pytest.mark.parametrize("token", ["x" * 5000, "²", "٣", "'; select 1 --", "-1", "<b>"])
def test_a_garbage_verification_link_is_404(client, db, token):
    from urllib.parse import quote

    assert client.get(f"/verifikasi/{quote(token)}/").status_code == 404


@pytest.mark.parametrize(("name", "content"), [
    ("surat.pdf", b""), ("surat.pdf", png_bytes()), ("surat.exe", b"MZ\x90\x00"),
])
def test_a_file_that_is_not_a_pdf_is_400_on_the_verification_page(client, submit, name, content):
    from requests_app.models import IssuedLetter

    case = submit().case
    letter = IssuedLetter.objects.create(kind="receipt", case=case, reference=case.registration_number, opd=case.opd,
                                         issued_at=now(), sha256="0" * 64)
    response = client.post(f"/verifikasi/{letter.token}/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
