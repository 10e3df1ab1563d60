"""POST /api/v1/requests/ and tracking: the contract's shapes, validation messages, the clock, hashing."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from requests_app.models import Case, EventKind, Notification
from requests_app.tracking import display
from tests.conftest import pdf_bytes, png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))


def post_request(client, upload=None, **overrides):
    data = request_data(**overrides)
    data["identity_document"] = upload or SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return client.post("/api/v1/requests/", data, format="multipart")


@pytest.fixture
def api(opds, calendar):
    return APIClient()


@time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False)
def test_submit_registers_numbers_and_dates_the_case(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_request(api)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registration_number"] == "DINKES-2026-00001"
    assert body["status"] == "submitted"
    assert body["due_date"] == "2026-04-06"
    assert body["opd"] == "DINKES"
    assert body["received_at"].startswith("2026-03-13T")
    assert len(body["tracking_code"]) >= 10
    case = Case.objects.get(registration_number="DINKES-2026-00001")
    # Stored hashed, never in clear.
    assert body["tracking_code"] not in case.tracking_code_hash
    assert case.events.get().kind == EventKind.SUBMITTED
    # The receipt e-mail carries the code and the PDF receipt.
    receipt = [m for m in mail.outbox if m.to == ["siti@example.org"]][0]
    assert display(body["tracking_code"]) in receipt.body  # grouped as the confirmation page shows it
    assert receipt.attachments[0][0] == "tanda-bukti-DINKES-2026-00001.pdf"
    assert receipt.attachments[0][1].startswith(b"%PDF")
    assert Notification.objects.get(kind="receipt").status == "sent"


def test_numbers_run_per_opd_per_year(api):
    with time_machine.travel(dt.datetime(2025, 12, 31, 15, 0, tzinfo=WITA), tick=False):
        assert post_request(api).json()["registration_number"] == "DINKES-2025-00001"
        assert post_request(api, opd="DPUPR").json()["registration_number"] == "DPUPR-2025-00001"
        assert post_request(api).json()["registration_number"] == "DINKES-2025-00002"
    with time_machine.travel(dt.datetime(2026, 1, 2, 9, 0, tzinfo=WITA), tick=False):
        assert post_request(api).json()["registration_number"] == "DINKES-2026-00001"


@time_machine.travel(dt.datetime(2026, 2, 7, 11, 0, tzinfo=WITA), tick=False)
def test_weekend_submission_is_counted_from_monday(api):
    body = post_request(api).json()
    assert body["due_date"] == "2026-02-25"
    assert Case.objects.get().received_on == dt.date(2026, 2, 9)


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"identity_number": "12345"}, "identity_number", "16 angka"),
        ({"identity_number": "64030123456789AB"}, "identity_number", "16 angka"),
        ({"email": "", "phone": ""}, "email", "e-mail atau nomor telepon"),
        ({"information_requested": "   "}, "information_requested", "kosong"),
        ({"opd": "NOPE"}, "opd", ""),
        ({"requester_type": "alien"}, "requester_type", ""),
        ({"obtain_method": "copy", "copy_format": ""}, "copy_format", "format salinan"),
    ],
)
def test_bad_input_is_400_with_a_message_on_the_field(api, overrides, field, fragment):
    response = post_request(api, **overrides)
    assert response.status_code == 400
    assert field in response.json()
    assert fragment in " ".join(response.json()[field])
    assert Case.objects.count() == 0


def test_identity_document_is_required(api):
    data = request_data()
    response = api.post("/api/v1/requests/", data, format="multipart")
    assert response.status_code == 400
    assert "identity_document" in response.json()


def test_disguised_executable_is_refused_by_content(api):
    fake = SimpleUploadedFile("ktp.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = post_request(api, upload=fake)
    assert response.status_code == 400
    assert "bukan" in response.json()["identity_document"][0]


def test_oversized_upload_is_refused(api, settings):
    settings.PPID_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("ktp.pdf", pdf_bytes("x" * 5000) + b"\0" * 2048, content_type="application/pdf")
    response = post_request(api, upload=big)
    # Cut off while it streams (ppid_portal.uploads), before the view sees it.
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"][0]
    assert Case.objects.count() == 0


def test_pdf_and_jpeg_identity_documents_are_accepted(api):
    assert post_request(api, upload=SimpleUploadedFile("k.pdf", pdf_bytes(), "application/pdf")).status_code == 201


@time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False)
def test_track_shows_status_and_public_timeline_only_with_the_right_code(api):
    body = post_request(api).json()
    number, code = body["registration_number"], body["tracking_code"]
    ok = api.get("/api/v1/requests/track/", {"registration_number": number, "tracking_code": code})
    assert ok.status_code == 200
    data = ok.json()
    assert data["status"] == "submitted" and data["due_date"] == "2026-04-06" and data["overdue"] is False
    assert data["timeline"][0]["status"] == "submitted"
    assert "identity_number" not in str(data) and "Siti" not in str(data)
    # Lower case and dashes are forgiven; a wrong code or number is 404.
    assert api.get("/api/v1/requests/track/", {"registration_number": number.lower(),
                                               "tracking_code": f"{code[:4]}-{code[4:]}".lower()}).status_code == 200
    wrong = {"registration_number": number, "tracking_code": "X" * 12}
    assert api.get("/api/v1/requests/track/", wrong).status_code == 404
    assert api.get("/api/v1/requests/track/", {"registration_number": "DINKES-2026-09999",
                                               "tracking_code": code}).status_code == 404


def test_failed_tracking_lookups_are_throttled(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"ppid_track": "3/minute", "ppid_submit": "20/hour"}}
    codes = [api.get("/api/v1/requests/track/", {"registration_number": "X-2026-00001",
                                                 "tracking_code": "AAAAAAAAAAAA"}).status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404]
    assert codes[3:] == [429, 429]


def test_security_headers_on_every_response(api):
    response = api.get("/api/v1/opd/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    codes = [o["code"] for o in response.json()]
    assert len(codes) == 28 and "DISKOMINFO" in codes
    assert [o for o in response.json() if o["is_ppid_utama"]][0]["code"] == "DISKOMINFO"
