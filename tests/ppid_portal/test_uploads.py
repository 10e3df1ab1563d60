"""Request bodies are capped per route while they stream (ppid_portal.uploads): a body over its route's limit
is a 413 before it is read, a file over its limit is cut off mid-stream; nothing reaches storage or the
database either way."""

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from documents_app.models import Document
from requests_app.models import Case, Objection
from tests.conftest import png_bytes, request_data


def stored_files() -> list[str]:
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found.extend(os.path.join(root, f) for f in files)
    return found


def png_of(size: int) -> SimpleUploadedFile:
    head = png_bytes()
    return SimpleUploadedFile("ktp.png", head + b"\0" * (size - len(head)), content_type="image/png")


def intake_body_limit() -> int:
    # Two files (identity scan, authority document) and the other fields.
    return 2 * settings.PPID_UPLOAD_MAX_BYTES + settings.PPID_FORM_FIELDS_MAX_BYTES


@pytest.fixture
def citizen(opds, calendar, client):
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def officer_api(officer):
    api = APIClient()
    api.force_authenticate(officer)
    return api


def test_request_form_body_over_the_limit_is_413_in_the_portal_layout_before_it_is_read(citizen):
    before = stored_files()
    data = {**request_data(), "identity_document": png_of(intake_body_limit() + 1)}
    response = citizen.post("/permohonan/baru/", data)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Kiriman terlalu besar" in page and "LOBIKU" in page and "5 MB" in page
    assert response["Content-Security-Policy"]
    assert Case.objects.count() == 0
    assert stored_files() == before


def test_request_form_file_over_the_limit_is_cut_off_while_streaming(citizen, tmp_path):
    before = stored_files()
    # The body stays under the route's cap; the file alone passes the 5 MB limit, so the stream is stopped.
    data = {**request_data(), "identity_document": png_of(settings.PPID_UPLOAD_MAX_BYTES + 1)}
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        response = citizen.post("/permohonan/baru/", data)
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()
    assert Case.objects.count() == 0
    assert stored_files() == before
    # The part already spooled to a temporary file was removed when the upload was stopped.
    assert list(tmp_path.iterdir()) == []


def test_request_form_file_at_the_limit_is_accepted(citizen):
    data = {**request_data(), "identity_document": png_of(settings.PPID_UPLOAD_MAX_BYTES)}
    response = citizen.post("/permohonan/baru/", data)
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_request_api_body_over_the_limit_is_413_json(opds, calendar):
    data = {**request_data(), "identity_document": png_of(intake_body_limit() + 1)}
    response = APIClient().post("/api/v1/requests/", data, format="multipart")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "terlalu besar" in response.json()["detail"][0]
    assert Case.objects.count() == 0


def test_request_api_file_over_the_limit_is_413_json(opds, calendar):
    before = stored_files()
    data = {**request_data(), "identity_document": png_of(settings.PPID_UPLOAD_MAX_BYTES + 1)}
    response = APIClient().post("/api/v1/requests/", data, format="multipart")
    assert response.status_code == 413
    assert response.json() == {"detail": ["Berkas terlalu besar; batasnya 5 MB per berkas."]}
    assert Case.objects.count() == 0
    assert stored_files() == before


def test_declared_length_alone_decides_before_any_byte_is_read(opds, calendar):
    # A small body that claims to be larger than the limit: refused on the header, the stream is never read.
    response = APIClient().post("/api/v1/requests/", {"name": "x"}, format="multipart",
                                CONTENT_LENGTH=str(intake_body_limit() + 1))
    assert response.status_code == 413
    assert Case.objects.count() == 0


@override_settings(PPID_DOCUMENT_MAX_BYTES=200_000)
def test_officer_document_page_upload_over_the_limit_is_413(officer_client):
    before = stored_files()
    data = {"file": SimpleUploadedFile("besar.pdf", b"%PDF-1.7\n" + b"0" * 200_000, "application/pdf"),
            "opd": "DINKES", "title": "Besar", "category": "berkala", "info_form": "softcopy"}
    response = officer_client.post("/petugas/dokumen/unggah/", data)
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files() == before


@override_settings(PPID_DOCUMENT_MAX_BYTES=200_000)
def test_officer_document_api_body_over_the_limit_is_413(officer_api):
    big = 200_000 + settings.PPID_FORM_FIELDS_MAX_BYTES + 1
    data = {"file": SimpleUploadedFile("besar.pdf", b"%PDF-1.7\n" + b"0" * big, "application/pdf"),
            "opd": "DINKES", "title": "Besar", "category": "berkala"}
    response = officer_api.post("/api/v1/documents/", data, format="multipart")
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"][0]
    assert Document.objects.count() == 0


def test_objection_api_takes_no_large_body(opds, calendar):
    body = {"registration_number": "DINKES-2026-00001", "tracking_code": "X" * 12, "ground": "c",
            "reason": "x" * (settings.PPID_FORM_FIELDS_MAX_BYTES + 1)}
    response = APIClient().post("/api/v1/requests/objections/", body, format="json")
    assert response.status_code == 413
    assert Objection.objects.count() == 0


def test_a_file_sent_to_a_route_without_uploads_is_refused(citizen):
    response = citizen.post("/lacak/", {"registration_number": "X", "tracking_code": "Y",
                                        "junk": SimpleUploadedFile("a.bin", b"0" * 1000)})
    assert response.status_code == 413


# Under ASGI (ppid_portal.asgi) ----------------------------------------------------------------------------
def asgi_post(path: str, chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes, int]:
    """POST through the project's ASGI application; returns the status, the body and how many chunks the
    application read."""
    import asyncio
    import concurrent.futures

    from ppid_portal.asgi import application

    pending = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        if pending:
            read += 1
            return pending.pop(0)
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80)}
    # In a thread of its own: Playwright's sync API (the browser tests, earlier in the same run) keeps an event loop
    # running in the main thread, where asyncio.run would refuse to start another.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(application(scope, receive, send), 30)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, read


def test_asgi_chunked_body_without_length_is_cut_off_at_the_limit():
    chunk = b"0" * (1024 * 1024)
    chunks = [chunk] * 40  # 40 MB announced by nobody
    status, body, read = asgi_post("/api/v1/requests/objections/", chunks,
                                   [(b"content-type", b"application/json")])
    assert status == 413 and b"terlalu besar" in body
    # Stopped just past the route's limit, not after the whole body.
    assert read == settings.PPID_FORM_FIELDS_MAX_BYTES // len(chunk) + 1


def test_asgi_declared_length_over_the_limit_is_never_read():
    status, _body, read = asgi_post("/api/v1/requests/", [b"x" * 10],
                                    [(b"content-type", b"multipart/form-data; boundary=x"),
                                     (b"content-length", str(intake_body_limit() + 1).encode())])
    assert status == 413 and read == 0


def test_asgi_small_body_passes():
    status, _body, _read = asgi_post("/api/v1/requests/objections/", [b"{}"],
                                     [(b"content-type", b"application/json"), (b"content-length", b"2")])
    assert status == 400


@override_settings(PPID_DOCUMENT_MAX_BYTES=200_000)
def test_answer_material_over_the_document_limit_is_413_and_the_case_is_not_answered(submit, officer_api):
    case = submit().case
    big = SimpleUploadedFile("lampiran.pdf", b"%PDF-1.7\n" + b"0" * 200_000, "application/pdf")
    body = {"action": "acknowledge", "files": [big]}
    response = officer_api.post(f"/api/v1/cases/{case.registration_number}/actions/", body, format="multipart")
    assert response.status_code == 413
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.attachments.filter(kind="material").count() == 0
