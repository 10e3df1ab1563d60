"""The citizen and officer pages, through Django's test client (the browser journeys are in tests/browser)."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app.models import Case
from tests.conftest import pdf_text, png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))


def form_data(**overrides):
    data = request_data(**overrides)
    data["publish_consent"] = "on" if data["publish_consent"] else ""
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return data


@pytest.fixture
def citizen(opds, calendar):
    return Client()


@time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False)
def test_file_a_request_see_code_once_and_download_receipt(citizen):
    response = citizen.post("/permohonan/baru/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/permohonan/DINKES-2026-00001/terkirim/"
    page = citizen.get(response["Location"]).content.decode()
    assert "DINKES-2026-00001" in page
    assert 'id="tracking-code"' in page
    assert "6 April 2026" in page  # due date, in Indonesian
    # The tracking code is shown once only.
    assert 'id="tracking-code"' not in citizen.get(response["Location"]).content.decode()

    receipt = citizen.get("/permohonan/DINKES-2026-00001/tanda-bukti.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert "TANDA BUKTI PENERIMAAN PERMOHONAN INFORMASI PUBLIK" in text.upper()
    assert "DINKES-2026-00001" in text
    assert "Dinas Kesehatan" in text
    assert "13 Maret 2026" in text  # date received
    assert "6 April 2026" in text  # due date


def test_receipt_and_status_are_private_to_the_requester(citizen):
    citizen.post("/permohonan/baru/", form_data())
    number = Case.objects.get().registration_number
    stranger = Client()
    assert stranger.get(f"/permohonan/{number}/tanda-bukti.pdf").status_code == 404
    assert stranger.get(f"/lacak/{number}/").status_code == 302


def test_invalid_form_keeps_input_and_marks_the_field(citizen):
    response = citizen.post("/permohonan/baru/", form_data(identity_number="123456789012345"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "NIK harus terdiri dari 16 angka." in page
    assert 'value="Siti Rahmawati"' in page  # kept what the person typed
    assert "Data jumlah puskesmas" in page
    assert Case.objects.count() == 0


def test_form_refuses_disguised_upload(citizen):
    data = form_data()
    data["identity_document"] = SimpleUploadedFile("ktp.jpg", b"#!/bin/sh\nrm -rf /\n" * 20, content_type="image/jpeg")
    response = citizen.post("/permohonan/baru/", data)
    assert response.status_code == 400
    assert "Jenis berkas tidak diterima" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False)
def test_tracking_page_with_number_and_code(submit):
    submission = submit()
    client = Client()
    bad = client.post("/lacak/", {"registration_number": submission.case.registration_number,
                                  "tracking_code": "WRONGCODE123"})
    assert bad.status_code == 404
    assert "tidak cocok" in bad.content.decode()
    ok = client.post("/lacak/", {"registration_number": submission.case.registration_number,
                                 "tracking_code": submission.tracking_code})
    assert ok.status_code == 302
    page = client.get(ok["Location"]).content.decode()
    assert "Diterima" in page and "6 April 2026" in page
    assert "6403012345678901" not in page  # no identity on the requester's page either


def test_english_switch(citizen):
    citizen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = citizen.get("/permohonan/baru/").content.decode()
    assert '<html lang="en">' in page


def test_officer_pages_scope_and_actions(submit, officer, other_officer):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        case = submit().case
    client = Client()
    assert client.get("/petugas/").status_code == 302  # login first
    client.login(username="petugas.dinkes", password="pw-Secret-1")
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), tick=False):
        queue = client.get("/petugas/").content.decode()
        assert case.registration_number in queue
        # Urgency as text, not colour alone: the working days left to the due date.
        assert re.search(r"\d+ hari kerja lagi", queue)
        detail = client.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
        assert "6403012345678901" in detail and 'value="acknowledge"' in detail
        assert 'value="close"' not in detail  # only the actions of the current state
        response = client.post(f"/petugas/kasus/{case.registration_number}/aksi/",
                               {"action": "extend", "reason": "", "confirm": "1"})
        assert response.status_code == 400  # the page again, the reason asked for beside its field
        assert 'id="extend-reason_error"' in response.content.decode()
        case.refresh_from_db()
        assert case.status == "submitted"
        client.post(f"/petugas/kasus/{case.registration_number}/aksi/", {"action": "acknowledge"})
        case.refresh_from_db()
        assert case.status == "in_process" and case.assigned_to == officer
        identity = client.get(f"/petugas/kasus/{case.registration_number}/identitas/")
        assert identity.status_code == 200 and b"".join(identity.streaming_content).startswith(b"\x89PNG")

    foreign = Client()
    foreign.login(username="petugas.dpupr", password="pw-Secret-1")
    assert foreign.get(f"/petugas/kasus/{case.registration_number}/").status_code == 404
    assert foreign.get(f"/petugas/kasus/{case.registration_number}/identitas/").status_code == 404
    assert foreign.post(f"/petugas/kasus/{case.registration_number}/aksi/", {"action": "close"}).status_code == 404
    assert case.registration_number not in foreign.get("/petugas/").content.decode()


def test_queue_shows_overdue_as_text(submit, officer):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=WITA), tick=False):
        submit()
    client = Client()
    client.login(username="petugas.dinkes", password="pw-Secret-1")
    with time_machine.travel(dt.datetime(2026, 3, 17, 10, 0, tzinfo=WITA), tick=False):
        assert "Terlambat" in client.get("/petugas/").content.decode()


def test_queue_offers_the_opd_filter_only_to_those_with_several_opds(officer, opds, admin_utama):
    from opd_app.models import Membership, Role

    client = Client()
    client.force_login(officer)
    assert 'id="q-opd"' not in client.get("/petugas/").content.decode()
    Membership.objects.create(user=officer, opd=opds["DPUPR"], role=Role.PELAKSANA)
    page = client.get("/petugas/").content.decode()
    assert 'id="q-opd"' in page and '<option value="DPUPR"' in page and '<option value="BAPPEDA"' not in page
    client.force_login(admin_utama)
    assert '<option value="BAPPEDA"' in client.get("/petugas/").content.decode()


def test_home_lists_all_opd(citizen):
    page = citizen.get("/").content.decode()
    assert "Dinas Kesehatan" in page and "Inspektorat Daerah" in page
    assert page.count("/permohonan/baru/?opd=") == 28


def test_requester_withdraws_an_open_request(submit):
    submission = submit()
    number = submission.case.registration_number
    client = Client()
    assert client.post(f"/lacak/{number}/cabut/", {"confirm": "1"}).status_code == 404  # no access without the code
    client.post("/lacak/", {"registration_number": number, "tracking_code": submission.tracking_code})
    assert "Cabut permohonan" in client.get(f"/lacak/{number}/").content.decode()
    # The first post asks for a confirmation; only the confirming one withdraws.
    assert client.post(f"/lacak/{number}/cabut/", {"note": "Sudah dapat dari sumber lain"}).status_code == 200
    assert Case.objects.get(pk=submission.case.pk).status == "submitted"
    client.post(f"/lacak/{number}/cabut/", {"note": "Sudah dapat dari sumber lain", "confirm": "1"})
    case = Case.objects.get(pk=submission.case.pk)
    assert case.status == "withdrawn"
    assert case.events.last().note == "Sudah dapat dari sumber lain"
    page = client.get(f"/lacak/{number}/").content.decode()
    assert "Cabut permohonan" not in page
    client.post(f"/lacak/{number}/cabut/", {"confirm": "1"})
    assert Case.objects.get(pk=case.pk).events.filter(kind="withdrawn").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_code_shown_on_the_confirmation_page_is_kept_nowhere_on_the_server(citizen):
    from django.contrib.sessions.models import Session

    response = citizen.post("/permohonan/baru/", form_data())
    page = citizen.get(response["Location"]).content.decode()
    code = re.search(r'id="tracking-code"[^>]*>([A-Z0-9-]+)<', page).group(1).replace("-", "")
    assert len(code) == 12
    # Not in any session (the page was reached through a short-lived cookie on the requester's device) ...
    sessions = [str(s.get_decoded()) for s in Session.objects.all()]
    assert sessions and not any(code in s for s in sessions)
    # ... and the cookie is gone once the page has been shown.
    assert citizen.cookies["ppid_new_code"].value == ""
    # A tampered cookie shows no code.
    citizen.cookies["ppid_new_code"] = "DINKES-2026-00001:AAAABBBBCCCC"
    assert 'id="tracking-code"' not in citizen.get(response["Location"]).content.decode()
