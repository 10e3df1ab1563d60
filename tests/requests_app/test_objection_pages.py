"""Keberatan pages: the requester files from the tracking page and reports a dispute; the Atasan PPID's
queue and answer; foreign objections are 404."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from opd_app.models import Role
from opd_app.services import officer_create
from requests_app.models import CaseAttachment, Objection
from requests_app.services.actions import case_answer
from requests_app.services.objections import objection_file

WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def submission(submit, officer, atasan, dik_entry):
    with at(dt.date(2026, 3, 13), 10):
        sub = submit()
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=sub.case, actor=officer, decision="rejected_exempt", dik=dik_entry)
    return sub


@pytest.fixture
def citizen(submission):
    client = Client()
    response = client.post("/lacak/", {"registration_number": submission.case.registration_number,
                                       "tracking_code": submission.tracking_code})
    assert response.status_code == 302
    return client


def test_file_an_objection_from_the_tracking_page(citizen, submission):
    number = submission.case.registration_number
    with at(dt.date(2026, 4, 2)):
        page = citizen.get(f"/lacak/{number}/").content.decode()
        assert "Ajukan keberatan" in page and f"/lacak/{number}/keberatan/" in page
        form = citizen.get(f"/lacak/{number}/keberatan/")
        assert form.status_code == 200
        html = form.content.decode()
        assert 'value="a"' in html and 'value="c"' not in html  # only the grounds that fit
        assert "19 Mei 2026" in html or "19 May 2026" in html
        response = citizen.post(f"/lacak/{number}/keberatan/", {"ground": "a", "reason": "Data agregat saja."})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{number}/"
    objection = Objection.objects.get()
    assert objection.objection_number == "KEB-DINKES-2026-00001"
    page = citizen.get(f"/lacak/{number}/").content.decode()
    assert "KEB-DINKES-2026-00001" in page
    receipt = submission.case.attachments.get(kind=CaseAttachment.Kind.OBJECTION_RECEIPT)
    assert f"/lacak/{number}/lampiran/{receipt.pk}/" in page
    download = citizen.get(f"/lacak/{number}/lampiran/{receipt.pk}/")
    assert download.status_code == 200
    # A letter the citizen downloads is a sandboxed attachment, never a page of the portal.
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"].split("; ")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_errors_are_shown_next_to_the_field(citizen, submission):
    number = submission.case.registration_number
    with at(dt.date(2026, 4, 2)):
        response = citizen.post(f"/lacak/{number}/keberatan/", {"ground": "a", "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    assert not Objection.objects.exists()


def test_outside_the_window_the_page_says_so(citizen, submission):
    number = submission.case.registration_number
    with at(dt.date(2026, 5, 20)):
        html = citizen.get(f"/lacak/{number}/keberatan/").content.decode()
        assert "telah berakhir" in html and "<form method=\"post\" novalidate>" not in html
        response = citizen.post(f"/lacak/{number}/keberatan/", {"ground": "a", "reason": "x"})
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_without_the_tracking_code_no_access(submission):
    number = submission.case.registration_number
    client = Client()
    assert client.get(f"/lacak/{number}/keberatan/")["Location"] == "/lacak/"
    assert client.post(f"/lacak/{number}/keberatan/", {"ground": "a", "reason": "x"}).status_code == 302
    assert not Objection.objects.exists()


def test_atasan_queue_answer_and_foreign_404(submission, atasan, officer, admin_utama, opds):
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=submission.case, ground="a", reason="Data agregat saja.")
    foreign_atasan = officer_create(username="atasan.dpupr", opd_code="DPUPR", role=Role.ATASAN, password="pw",
                                    email="a.dpupr@example.org")
    client = Client()
    client.force_login(foreign_atasan)
    assert objection.objection_number not in client.get("/petugas/keberatan/").content.decode()
    assert client.get(f"/petugas/keberatan/{objection.objection_number}/").status_code == 404
    assert client.post(f"/petugas/keberatan/{objection.objection_number}/",
                       {"outcome": "upheld", "answer": "x"}).status_code == 404
    client.force_login(officer)  # a PPID Pelaksana officer has no objection queue
    assert client.get("/petugas/keberatan/").status_code == 404

    client.force_login(atasan)
    html = client.get("/petugas/keberatan/").content.decode()
    assert objection.objection_number in html and "20-05-2026" in html
    assert 'href="/petugas/keberatan/"' in client.get("/petugas/").content.decode()  # nav link
    with at(dt.date(2026, 4, 10)):
        bad = client.post(f"/petugas/keberatan/{objection.objection_number}/", {"outcome": "upheld", "answer": ""})
        assert bad.status_code == 400 and 'id="id_answer_error"' in bad.content.decode()
        response = client.post(f"/petugas/keberatan/{objection.objection_number}/",
                               {"outcome": "upheld", "answer": "Berikan data agregat per kecamatan."})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "answered" and objection.outcome == "upheld"
    detail = client.get(f"/petugas/keberatan/{objection.objection_number}/").content.decode()
    assert "tanggapan-keberatan-KEB-DINKES-2026-00001.pdf" in detail

    client.force_login(admin_utama)
    assert client.get("/petugas/keberatan/?status=answered").content.decode().count(objection.objection_number) >= 1


def test_requester_records_the_dispute(citizen, submission, atasan):
    from requests_app.services.objections import objection_answer

    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=submission.case, ground="a", reason="x")
    with at(dt.date(2026, 4, 10)):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Uji konsekuensi benar.")
    number = submission.case.registration_number
    page = citizen.get(f"/lacak/{number}/").content.decode()
    assert "Catat pengajuan sengketa" in page and "Uji konsekuensi benar." in page
    with at(dt.date(2026, 4, 20)):
        response = citizen.post(f"/lacak/{number}/keberatan/{objection.objection_number}/sengketa/",
                                {"note": "Register KI Kaltim 12/2026"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "referred_to_commission"
    assert "Register KI Kaltim 12/2026" in citizen.get(f"/lacak/{number}/").content.decode()
