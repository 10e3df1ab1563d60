"""Journey: an officer records a walk-in request at the desk, prints the receipt with the tracking code (shown once),
attaches the identity scan the requester brings later, answers the request through the case page, and hands the
written notice over at the desk (no e-mail, pickup), keeping the receipt of delivery."""

import io
import re

import pytest
from pypdf import PdfReader

from requests_app.models import Case, CaseAttachment, EventKind, Status
from tests.browser.support import CITIZEN, DESK, PHONE, check_page, login, page_width
from tests.conftest import pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages).split())


def fill_desk_form(page, nik: str) -> None:
    """The walk-in's answers, as the officer types them; no identity scan (the requester brings it later)."""
    page.select_option("#id_channel", "desk")
    page.select_option("#id_requester_type", "individual")
    page.fill("#id_name", CITIZEN["name"])
    page.fill("#id_identity_number", nik)
    page.fill("#id_address", CITIZEN["address"])
    page.fill("#id_phone", CITIZEN["phone"])
    page.fill("#id_occupation", CITIZEN["occupation"])
    page.fill("#id_information_requested", CITIZEN["information_requested"])
    page.fill("#id_purpose", CITIZEN["purpose"])
    page.check("input[name=obtain_method][value=copy]")
    page.select_option("#id_copy_format", "hardcopy")
    page.select_option("#id_delivery_method", "pickup")


def test_officer_records_a_walk_in_prints_the_receipt_and_answers(new_page, officer, other_officer):
    page = new_page(viewport=DESK)
    login(page, "petugas.dinkes")
    page.click("#desk-intake-link")
    page.wait_for_url("**/petugas/permohonan/baru/")
    check_page(page, "desk-01-form")
    # The officer's only OPD is chosen already; the time received is now (the officer changes it for a letter
    # that came earlier).
    assert page.input_value("#id_opd") == "DINKES"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page.input_value("#id_received_at"))

    fill_desk_form(page, nik="6403012345678901")
    page.click("button[type=submit]:has-text('Simpan dan buat tanda bukti')")
    page.wait_for_url(re.compile(r"/petugas/permohonan/DINKES-\d{4}-00001/tanda-bukti/$"))
    number = page.inner_text("#registration-number")
    code = page.inner_text("#tracking-code")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert page.inner_text("#receipt-channel") == "Loket (datang langsung)"
    assert "Belum diserahkan" in page.inner_text("#receipt-identity-owed")
    # The letter to print is on the page, with the code.
    sheet = page.inner_text("#receipt-sheet")
    assert number in sheet and code in sheet and CITIZEN["name"] in sheet
    assert page.is_visible("button[data-print]")
    check_page(page, "desk-02-receipt")

    case = Case.objects.get(registration_number=number)
    assert case.requester_user is None and case.channel == "desk" and case.identity_owed
    submitted = case.events.get(kind=EventKind.SUBMITTED)
    assert submitted.actor == officer and submitted.data["channel"] == "desk"

    # The receipt as PDF, downloaded with the officer's browser: it names the registration number and the code.
    response = page.context.request.get(page.get_attribute("#receipt-pdf", "href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert number in text and code in text
    assert "Loket (datang langsung)" in text and "belum diserahkan" in text

    # Shown once: a reload no longer shows the code, on the page or on the letter.
    page.reload()
    assert page.locator("#tracking-code").count() == 0 and page.is_visible("#code-gone")
    assert code not in page.inner_text("main")

    # The same pages on a 360 px screen: no horizontal scroll, no serious accessibility finding.
    phone = new_page(viewport=PHONE)
    login(phone, "petugas.dinkes")
    phone.goto("/petugas/permohonan/baru/")
    check_page(phone, "desk-03-form-phone")
    phone.goto(f"/petugas/permohonan/{number}/tanda-bukti/")
    assert phone.locator("#tracking-code").count() == 0
    assert page_width(phone) <= PHONE["width"]
    check_page(phone, "desk-04-receipt-phone")

    # Another OPD's officer cannot see the receipt.
    foreign = new_page(viewport=DESK)
    login(foreign, "petugas.dpupr")
    assert foreign.goto(f"/petugas/permohonan/{number}/tanda-bukti/").status == 404

    # The requester comes back with the KTP: the officer attaches it on the case page.
    page.click("#receipt-case")
    page.wait_for_url(f"**/petugas/kasus/{number}/")
    assert "Belum diserahkan" in page.inner_text("#case-identity")
    assert page.inner_text("#case-channel").startswith("Loket")
    check_page(page, "desk-05-case-identity-owed")
    page.set_input_files("#identity-identity_document",
                         files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.click("#identity-upload button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{number}/")
    assert "Lihat dokumen identitas" in page.inner_text("#case-identity")
    case.refresh_from_db()
    assert not case.identity_owed and case.identity_document_type == "image/png"

    # Answer it, granted, through the case page as any other request.
    page.click("summary:has-text('Jawab (pemberitahuan tertulis)')")
    page.select_option("#answer-decision", "granted")
    page.click("form:has(#answer-decision) button:has-text('Lanjut')")
    page.fill("#answer-note", "Salinan data jumlah puskesmas dapat diambil di loket PPID.")
    page.click("form:has(#answer-note) button:has-text('Periksa surat')")
    assert "dapat diambil di loket PPID" in page.inner_text(".letter-sheet")
    page.set_input_files("#review-files", files=[{"name": "puskesmas-2025.pdf", "mimeType": "application/pdf",
                                                   "buffer": pdf_bytes("Jumlah puskesmas 2025: 32")}])
    page.click("#review-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{number}/")
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.decision == "granted"
    assert page.inner_text("#case-status").startswith("Dijawab")
    check_page(page, "desk-06-answered")
    notice = case.attachments.get(kind=CaseAttachment.Kind.NOTICE)
    response = page.context.request.get(page.get_attribute(f"a[href$='/lampiran/{notice.pk}/']", "href"))
    text = pdf_text(response.body())
    assert number in text and "Dikabulkan seluruhnya" in text

    # No e-mail and pickup: the receipt and the written notice wait in the OPD's letters to deliver, the notice
    # handed over at the desk is recorded, and its receipt of delivery names the letter and who took it.
    page.click("nav a:has-text('Penyerahan surat')")
    page.wait_for_url("**/petugas/surat/")
    rows = page.locator("#deliveries tbody tr")
    assert rows.count() == 2 and all(number in text for text in rows.all_inner_texts())
    check_page(page, "desk-07-letters-to-deliver")
    notice_row = page.locator("#deliveries tbody tr", has_text="Pemberitahuan tertulis")
    notice_row.locator("a:has-text('Catat penyerahan')").click()
    page.wait_for_url(re.compile(r"/petugas/surat/\d+/$"))
    # The letter handed over is the one issued: its PDF is the kept copy of the written notice.
    letter = page.context.request.get(page.get_attribute("a:has-text('Cetak surat (PDF)')", "href"))
    assert letter.status == 200 and "Dikabulkan seluruhnya" in pdf_text(letter.body())
    page.check("input[name=method][value=in_person]")
    page.fill("#id_recipient_name", CITIZEN["name"])
    page.fill("#id_note", "Diambil sendiri di loket, KTP diperlihatkan.")
    check_page(page, "desk-08-handover-form")
    page.click("button[type=submit]:has-text('Catat penyerahan')")
    page.wait_for_selector("#handover-record")
    assert CITIZEN["name"] in page.inner_text("#handover-record")
    receipt = page.context.request.get(page.get_attribute("a:has-text('Unduh tanda bukti penyerahan')", "href"))
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert "TANDA BUKTI PENYERAHAN" in text.upper() and number in text
    assert "Pemberitahuan tertulis" in text and CITIZEN["name"] in text
    delivery = case.letter_deliveries.get(letter="notice")
    assert delivery.delivered_by == officer and delivery.recipient_name == CITIZEN["name"]
    assert case.events.filter(kind=EventKind.LETTER_DELIVERED).count() == 1
    # One letter (the receipt) still waits; the 360 px list has no horizontal scroll.
    phone.goto("/petugas/surat/")
    assert phone.locator("#deliveries tbody tr").count() == 1
    assert page_width(phone) <= PHONE["width"]
    check_page(phone, "desk-09-letters-phone")
