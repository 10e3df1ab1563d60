"""The officer's desk pages: the form (/petugas/permohonan/baru/), the printable receipt with the tracking code
shown once, the receipt PDF, the identity scan handed over later and the authority document's view."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app.models import Case, EventKind
from tests.conftest import pdf_bytes, pdf_text, png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))
TUESDAY = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WITA)


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def desk(opds, calendar, officer):
    client = Client()
    client.force_login(officer)
    return client


def form_data(**overrides) -> dict:
    data = {**request_data(), "publish_consent": "on", "channel": "desk", "received_at": "2026-03-17T09:55",
            "received_note": ""}
    data.update(overrides)
    return data


def code_of(page: str) -> str:
    found = re.search(r'id="tracking-code">([A-Z0-9-]+)<', page)
    return found.group(1) if found else ""


def test_the_queue_links_to_the_desk_form(desk):
    assert 'href="/petugas/permohonan/baru/"' in desk.get("/petugas/").content.decode()


def test_the_form_offers_the_officers_own_opds_and_now_as_the_time_received(desk, clock):
    page = desk.get("/petugas/permohonan/baru/").content.decode()
    options = re.findall(r'<option value="([A-Z]+)"', page.split('name="opd"')[1].split("</select>")[0])
    assert options == ["DINKES"]
    assert 'value="2026-03-17T10:00"' in page and 'type="datetime-local"' in page
    for channel in ("desk", "letter", "phone", "email", "fax"):
        assert f'value="{channel}"' in page
    assert 'value="web"' not in page


def test_utama_chooses_among_every_opd(admin_utama, opds, calendar):
    client = Client()
    client.force_login(admin_utama)
    page = client.get("/petugas/permohonan/baru/").content.decode()
    assert page.count("<option value=") >= len(opds)


def test_recording_ends_on_the_receipt_that_shows_the_code_once(desk, officer, clock):
    response = desk.post("/petugas/permohonan/baru/", form_data())
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/petugas/permohonan/{case.registration_number}/tanda-bukti/"
    assert case.requester_user is None and case.channel == "desk" and case.identity_owed
    event = case.events.get()
    assert event.actor == officer and event.data["channel"] == "desk" and "di loket" in event.note

    first = desk.get(response["Location"])
    page = first.content.decode()
    code = code_of(page)
    assert len(code) == 14 and first["Cache-Control"] == "no-store"
    assert case.registration_number in page and "Loket (datang langsung)" in page
    # The letter on the page prints the code, and says the identity scan is still owed.
    sheet = page.split('id="receipt-sheet"')[1]
    assert code in sheet and "belum diserahkan" in sheet
    # The PDF fetched in the next minutes prints it too.
    pdf = desk.get(f"/petugas/permohonan/{case.registration_number}/tanda-bukti.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert case.registration_number in text and code in text and "Loket" in text

    again = desk.get(response["Location"]).content.decode()
    assert code_of(again) == "" and code not in again and 'id="code-gone"' in again


def test_a_past_receipt_without_a_note_keeps_the_work_and_says_why(desk, clock):
    response = desk.post("/petugas/permohonan/baru/", form_data(received_at="2026-03-16T15:00"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Jelaskan mengapa" in page and "Siti Rahmawati" in page
    assert not Case.objects.exists()
    ok = desk.post("/petugas/permohonan/baru/", form_data(received_at="2026-03-13T15:00",
                                                          received_note="Surat tiba Jumat sore."))
    assert ok.status_code == 302
    case = Case.objects.get()
    assert case.due_date == dt.date(2026, 4, 6) and case.received_note == "Surat tiba Jumat sore."


@pytest.mark.parametrize(("received_at", "fragment"), [("2026-03-17T11:00", "masa depan"),
                                                       ("2026-02-14T09:00", "30 hari")])
def test_future_and_too_old_receipts_are_refused_on_the_page(desk, clock, received_at, fragment):
    response = desk.post("/petugas/permohonan/baru/", form_data(received_at=received_at, received_note="Catatan."))
    assert response.status_code == 400 and fragment in response.content.decode()


@pytest.mark.parametrize(("field", "length"), [("received_note", 501), ("on_behalf_of", 201)])
def test_length_limits_on_the_page(desk, clock, field, length):
    response = desk.post("/petugas/permohonan/baru/", form_data(**{field: "x" * length}))
    assert response.status_code == 400 and f'id="f-{field}"' in response.content.decode()
    assert 'class="field has-error" id="f-' + field in response.content.decode()
    assert not Case.objects.exists()


def test_another_opds_code_posted_on_the_page_is_404(opds, calendar, other_officer, clock):
    client = Client()
    client.force_login(other_officer)
    assert client.post("/petugas/permohonan/baru/", form_data(opd="DINKES")).status_code == 404
    assert not Case.objects.exists()


def test_a_citizen_never_sees_the_desk_pages(opds, calendar, submit):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_user(username="warga", password="pw-Secret-1"))
    case = submit().case
    for url in ("/petugas/permohonan/baru/", f"/petugas/permohonan/{case.registration_number}/tanda-bukti/",
                f"/petugas/permohonan/{case.registration_number}/tanda-bukti.pdf"):
        assert client.get(url).status_code == 404


def test_the_receipt_of_another_opds_case_is_404(opds, calendar, submit, other_officer):
    client = Client()
    client.force_login(other_officer)
    number = submit().case.registration_number
    assert client.get(f"/petugas/permohonan/{number}/tanda-bukti/").status_code == 404
    assert client.get(f"/petugas/permohonan/{number}/tanda-bukti.pdf").status_code == 404


def test_the_identity_scan_handed_over_later(desk, officer, clock):
    desk.post("/petugas/permohonan/baru/", form_data())
    case = Case.objects.get()
    url = f"/petugas/kasus/{case.registration_number}/identitas/unggah/"
    page = desk.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    assert "Belum diserahkan" in page and 'id="identity-upload"' in page

    fake = SimpleUploadedFile("ktp.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    refused = desk.post(url, {"identity_document": fake})
    assert refused.status_code == 400 and "bukan" in refused.content.decode()
    assert Case.objects.get().identity_owed

    scan = SimpleUploadedFile("ktp.pdf", pdf_bytes("KTP Siti"), content_type="application/pdf")
    assert desk.post(url, {"identity_document": scan}).status_code == 302
    case.refresh_from_db()
    assert not case.identity_owed and case.identity_document_type == "application/pdf"
    event = case.events.get(kind=EventKind.IDENTITY_DOCUMENT_ADDED)
    assert event.actor == officer and event.public is False
    served = desk.get(f"/petugas/kasus/{case.registration_number}/identitas/")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    page = desk.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    assert 'id="identity-upload"' not in page and "Lihat dokumen identitas" in page

    # Nothing is owed any more: a second scan does not replace the first.
    again = desk.post(url, {"identity_document": SimpleUploadedFile("k.png", png_bytes(), "image/png")})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.identity_document_type == "application/pdf"
    assert case.events.filter(kind=EventKind.IDENTITY_DOCUMENT_ADDED).count() == 1


def test_another_opds_officer_cannot_attach_the_scan(desk, other_officer, clock):
    desk.post("/petugas/permohonan/baru/", form_data())
    case = Case.objects.get()
    client = Client()
    client.force_login(other_officer)
    scan = SimpleUploadedFile("k.png", png_bytes(), "image/png")
    assert client.post(f"/petugas/kasus/{case.registration_number}/identitas/unggah/",
                       {"identity_document": scan}).status_code == 404
    assert Case.objects.get().identity_owed


def test_the_api_detail_and_case_page_show_the_channel_and_note(desk, clock):
    desk.post("/petugas/permohonan/baru/", form_data(channel="letter", received_at="2026-03-16T08:00",
                                                      received_note="Surat via pos kemarin."))
    case = Case.objects.get()
    page = desk.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    assert 'id="case-channel">Surat<' in page and "Surat via pos kemarin." in page
    # The receipt can be printed again from the case, without the code.
    assert f'href="/petugas/permohonan/{case.registration_number}/tanda-bukti/" id="case-receipt"' in page
