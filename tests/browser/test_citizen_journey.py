"""Journey 1: a citizen on a 360×740 phone files a request, keeps the receipt, tracks it and objects."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from ppid_portal.clock import wita_date
from requests_app import workdays
from requests_app.models import Case, Status
from tests.browser.support import CITIZEN, PHONE, check_page, fill_request_form, page_width
from tests.conftest import dik_entry_make, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_request_form_keeps_input_and_puts_the_error_next_to_the_nik(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/permohonan/baru/")
    fill_request_form(page, nik="640301234567890")  # 15 digits
    page.click("button[type=submit]:has-text('Kirim permohonan')")

    assert Case.objects.count() == 0
    nik = page.locator("#f-identity_number")
    assert nik.locator(".field-error").inner_text() == "NIK harus terdiri dari 16 angka."
    assert page.get_attribute("#id_identity_number", "aria-invalid") == "true"
    assert "id_identity_number_error" in page.get_attribute("#id_identity_number", "aria-describedby")
    # Everything else the person typed or chose is still there.
    assert page.input_value("#id_identity_number") == "640301234567890"
    for field, value in CITIZEN.items():
        assert page.input_value(f"#id_{field}") == value, field
    assert page.input_value("#id_opd") == "DINKES"
    assert page.input_value("#id_copy_format") == "softcopy"
    assert page.is_checked("input[name=obtain_method][value=copy]")
    assert page.is_checked("#id_publish_consent")
    # Only the NIK is marked: no other field carries an error.
    assert page.locator(".field-error").count() == 1
    # The summary at the top links to the field.
    assert page.locator(".msg-error a[href='#f-identity_number']").count() == 1
    # A browser never keeps a chosen file: the page says to choose it again, next to the upload field.
    assert "Pilih berkasnya sekali lagi" in page.locator("#f-identity_document").inner_text()
    check_page(page, "citizen-02b-form-error")


def test_citizen_files_downloads_receipt_tracks_and_objects(new_page):
    """Phone: request with an identity upload, receipt PDF, tracking, and an objection after the answer."""
    page = new_page(viewport=PHONE)
    page.goto("/")
    check_page(page, "citizen-01-home")
    page.click("main >> text=Ajukan permohonan informasi")
    page.wait_for_url("**/permohonan/baru/")
    check_page(page, "citizen-02-request-form")

    fill_request_form(page, nik="6403012345678901")
    page.click("button[type=submit]:has-text('Kirim permohonan')")
    page.wait_for_url(re.compile(r"/permohonan/DINKES-\d{4}-\d{5}/terkirim/$"))
    registration = page.inner_text("#registration-number")
    code = page.inner_text("#tracking-code")
    assert re.fullmatch(r"DINKES-\d{4}-00001", registration)
    assert len(code.replace("-", "").replace(" ", "")) >= 10
    assert page_width(page) <= PHONE["width"]
    check_page(page, "citizen-03-done")

    case = Case.objects.get(registration_number=registration)
    assert case.name == CITIZEN["name"] and case.identity_number == "6403012345678901"
    assert case.identity_document.read().startswith(b"\x89PNG")

    # The receipt: a PDF with the registration number, downloaded with the browser's own session.
    href = page.get_attribute("#receipt-link", "href")
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert registration in text
    assert "Siti Rahmawati" in text

    # Tracking from a fresh browser: registration number + tracking code.
    tracker = new_page(viewport=PHONE)
    tracker.goto("/lacak/")
    check_page(tracker, "citizen-04-track")
    tracker.fill("#id_registration_number", registration)
    tracker.fill("#id_tracking_code", code)
    tracker.click("main button[type=submit]")
    tracker.wait_for_url(f"**/lacak/{registration}/")
    assert tracker.inner_text("#case-status") == "Diterima"
    check_page(tracker, "citizen-05-track-case")

    # An officer answers (through the service), and the requester sees it.
    from opd_app.models import Role
    from opd_app.services import officer_create
    from requests_app.services.actions import case_answer

    officer = officer_create(username="petugas.dinkes", opd_code="DINKES", role=Role.PELAKSANA,
                             password="pw-Secret-1", email="petugas@example.org")
    case_answer(case=case, actor=officer, decision="partially_granted", note="Sebagian data terlampir.",
                withheld="Nama pasien.", dik=dik_entry_make(case.opd),
                files=[SimpleUploadedFile("data.pdf", pdf_bytes("Data puskesmas"), content_type="application/pdf")])
    tracker.reload()
    assert tracker.inner_text("#case-status") == "Dijawab"
    assert tracker.inner_text("#case-decision") == "Dikabulkan sebagian"
    check_page(tracker, "citizen-06-answered")
    case.refresh_from_db()
    assert case.status == Status.ANSWERED

    # Not satisfied: an objection (keberatan) to the Atasan PPID, from the tracking page.
    tracker.click("a:has-text('Ajukan keberatan')")
    tracker.wait_for_url(f"**/lacak/{registration}/keberatan/")
    check_page(tracker, "citizen-07-objection-form")
    tracker.check("input[name=ground][value=d]")
    tracker.fill("#id_reason", "Data per kecamatan tidak diberikan, hanya total kabupaten.")
    tracker.click("main button[type=submit]:has-text('Kirim keberatan')")
    tracker.wait_for_url(f"**/lacak/{registration}/")
    objection = case.objections.get()
    assert objection.ground == "d"
    # 30 working days after the day it counts as received (the next working day when filed on a day off).
    assert objection.due_date == workdays.add_working_days(workdays.receipt_day(wita_date(objection.filed_at)), 30)
    assert objection.objection_number in tracker.inner_text(".messages")
    assert objection.objection_number in tracker.inner_text("#keberatan-h ~ dl")
    check_page(tracker, "citizen-08-objection-filed")


def test_a_request_can_be_filed_with_javascript_off(new_page):
    """A cheap phone with scripts off: the form, the confirmation and the tracking page still work."""
    page = new_page(viewport=PHONE, javascript=False)
    page.goto("/permohonan/baru/")
    fill_request_form(page, nik="6403012345678901")
    page.click("button[type=submit]:has-text('Kirim permohonan')")
    page.wait_for_url(re.compile(r"/terkirim/$"))
    registration = page.inner_text("#registration-number")
    assert Case.objects.filter(registration_number=registration).exists()
    assert page.inner_text("#tracking-code")
    page.click("a:has-text('Lihat status')")
    page.wait_for_url(f"**/lacak/{registration}/")
    assert page.inner_text("#case-status") == "Diterima"
    # The language switch is a plain form: it works without scripts too.
    page.click("form.lang button[value=en]")
    page.wait_for_url(f"**/lacak/{registration}/")
    assert page.inner_text("#case-status") == "Received"
