"""Letters fit for the archive: every letter is PDF/A-3b with its archival metadata (title, number, OPD, date,
classification code and retention of its kind), carries a verification link printed and as a QR code, and is kept
as issued; the public verification page says whether an uploaded PDF is the letter issued."""

import datetime as dt
import io
import re

import pytest
import segno
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from rest_framework.test import APIClient

from ppid_portal.clock import WITA
from requests_app import letters
from requests_app.models import IssuedLetter, LetterClassification, LetterDelivery
from requests_app.services.actions import case_answer, case_extend
from requests_app.services.deliveries import letter_handover
from requests_app.services.issued_letters import pdf_sha256
from requests_app.services.objections import objection_answer, objection_file
from tests.conftest import pdf_text, request_data

PHONE_ONLY = {"email": "", "delivery_method": "pickup"}
SITE = "https://ppid.kukarkab.go.id"


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=WITA), tick=False)


@pytest.fixture(autouse=True)
def site(settings):
    settings.PPID_SITE_URL = SITE


def stored(record: IssuedLetter) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


def assert_archival(pdf: bytes, record: IssuedLetter, *, reference: str, opd_name: str) -> None:
    """PDF/A-3b identified in the XMP, every font embedded, the archival description in Info and XMP, and the
    verification link of its record printed in the text. (veraPDF is not in Debian: conformance is checked so.)"""
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
    classification = LetterClassification.objects.get(kind=record.kind)
    info = reader.metadata
    assert reference in info.title
    assert info["/PPIDNumber"] == reference and info["/PPIDOPD"] == opd_name
    assert info["/PPIDClassificationCode"] == classification.code
    assert info["/PPIDRetention"] == classification.retention
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["/PPIDDate"])
    for value in (reference, opd_name, classification.code, classification.retention):
        assert value in xmp  # dc:description and pdf:Keywords carry them
    assert info["/PPIDVerificationURL"] == f"{SITE}/verifikasi/{record.token}/"
    assert f"{SITE}/verifikasi/{record.token}/" in pdf_text(pdf)
    assert record.sha256 == pdf_sha256(pdf)


def test_every_letter_is_pdfa_with_its_archival_metadata_and_link(submit, officer, atasan,
                                                                 django_capture_on_commit_callbacks):
    with at(2026, 3, 13), django_capture_on_commit_callbacks(execute=True):
        case = submit(**PHONE_ONLY).case
    receipt, receipt_pdf = letters.receipt_issued(case)
    with at(2026, 3, 26):
        case_extend(case=case, actor=officer, reason="Data masih dihimpun dari 18 puskesmas.")
    with at(2026, 4, 1), django_capture_on_commit_callbacks(execute=True):
        case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")
    with at(2026, 4, 6):
        objection = objection_file(case=case, ground="e", reason="Biaya yang dikenakan tidak wajar.")
    with at(2026, 4, 20):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Data sudah lengkap.")
    delivery = LetterDelivery.objects.get(case=case, letter="notice")
    with at(2026, 4, 21):
        letter_handover(delivery=delivery, actor=officer, delivered_at=dt.datetime(2026, 4, 21, 9, tzinfo=WITA),
                        method="in_person", recipient_name="Siti Rahmawati", note="")

    issued = {r.kind: r for r in IssuedLetter.objects.filter(case=case).exclude(file="")}
    assert set(issued) == {"receipt", "extension", "notice", "objection_receipt", "objection_answer",
                           "delivery_receipt"}
    assert stored(receipt) == receipt_pdf
    for kind, record in issued.items():
        reference = objection.objection_number if kind.startswith("objection_") else case.registration_number
        assert_archival(stored(record), record, reference=reference, opd_name=case.opd.name)
    # The kept numbered letter (sent by e-mail, printed for delivery) is the one issued, byte for byte.
    notice = case.attachments.get(kind="notice")
    with notice.file.open("rb") as fh:
        assert pdf_sha256(fh.read()) == issued["notice"].sha256


def test_the_yearly_report_is_issued_as_pdfa(opds, calendar):
    from compliance_app.reports import annual_report_pdf

    with at(2027, 2, 10):
        pdf = annual_report_pdf(2026)
    record = IssuedLetter.objects.get(kind="annual_report", year=2026)
    assert stored(record) == pdf
    assert_archival(pdf, record, reference="2026", opd_name=opds["DISKOMINFO"].name)


def test_the_qr_code_encodes_the_printed_link(submit):
    case = submit().case
    record, pdf = letters.receipt_issued(case)
    url = f"{SITE}/verifikasi/{record.token}/"
    # segno cannot decode; the code drawn is the one segno makes for the link (same modules, same SVG).
    from ppid_portal.pdf import qr_svg

    expected = segno.make(url, error="m").svg_inline(scale=2, border=2)
    assert qr_svg(url) == expected
    assert url in pdf_text(pdf) and len(record.token) >= 20


def test_the_receipt_is_kept_at_issue_and_served_as_issued(submit, officer, client):
    case = submit().case
    first_record, first = letters.receipt_issued(case)
    again_record, again = letters.receipt_issued(case)
    assert again_record.pk == first_record.pk and again == first
    client.force_login(officer)
    response = client.get(f"/petugas/permohonan/{case.registration_number}/tanda-bukti.pdf")
    assert response.content == first
    assert IssuedLetter.objects.filter(case=case, kind="receipt").count() == 1


def test_a_receipt_printed_with_the_tracking_code_is_recorded_by_hash_only(submit):
    case = submit().case
    pdf = letters.receipt_copy_pdf(case, tracking_code="ABCD-EFGH-JKLM")
    record = IssuedLetter.objects.get(case=case, kind="receipt")
    assert not record.file and record.sha256 == pdf_sha256(pdf)
    assert "ABCD-EFGH-JKLM" in pdf_text(pdf)
    assert b"ABCD-EFGH-JKLM" not in IssuedLetter.objects.values_list("filename", flat=True)[0].encode()


# ---------------------------------------------------------------------------------------------------------------
# The verification page


@pytest.fixture
def issued_receipt(submit):
    case = submit().case
    record, pdf = letters.receipt_issued(case)
    return case, record, pdf


def test_the_verification_page_shows_the_letter_and_no_personal_data(client, issued_receipt):
    case, record, _pdf = issued_receipt
    page = client.get(f"/verifikasi/{record.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert case.registration_number in html and record.sha256 in html and "Tanda bukti penerimaan" in html
    data = request_data()
    for personal in (data["name"], data["identity_number"], data["address"], data["phone"], data["email"]):
        assert personal not in html


def test_uploading_the_issued_pdf_says_cocok_and_a_changed_byte_tidak_cocok(client, issued_receipt):
    _case, record, pdf = issued_receipt
    same = client.post(f"/verifikasi/{record.token}/", {"file": SimpleUploadedFile("a.pdf", pdf)})
    assert same.status_code == 200 and "<strong>Cocok</strong>" in same.content.decode()
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    other = client.post(f"/verifikasi/{record.token}/", {"file": SimpleUploadedFile("a.pdf", bytes(changed))})
    assert other.status_code == 200 and "<strong>Tidak cocok</strong>" in other.content.decode()


def test_an_unknown_letter_is_404(client, db):
    assert client.get("/verifikasi/tidak-ada-surat-ini/").status_code == 404
    assert client.post("/verifikasi/tidak-ada-surat-ini/", {}).status_code == 404


@pytest.mark.parametrize(("upload", "message"), [
    (None, "wajib"),
    (SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>"), "PDF"),
])
def test_a_bad_upload_is_a_400_with_a_message(client, issued_receipt, upload, message):
    _case, record, _pdf = issued_receipt
    response = client.post(f"/verifikasi/{record.token}/", {"file": upload} if upload else {})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode() and message in response.content.decode()


def test_a_file_over_the_limit_is_refused_while_it_streams(client, issued_receipt):
    _case, record, _pdf = issued_receipt
    big = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024 + 1))
    assert client.post(f"/verifikasi/{record.token}/", {"file": big}).status_code == 413


def test_checking_files_is_rate_limited(client, issued_receipt, settings):
    _case, record, pdf = issued_receipt
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "ppid_verify": "2/hour"}}
    codes = [client.post(f"/verifikasi/{record.token}/", {"file": SimpleUploadedFile("a.pdf", pdf)}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]


# ---------------------------------------------------------------------------------------------------------------
# The case API


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_case_api_lists_letters_and_downloads_each_as_issued(issued_receipt, officer, other_officer):
    case, record, pdf = issued_receipt
    detail = api_for(officer).get(f"/api/v1/cases/{case.registration_number}/")
    assert detail.status_code == 200
    url = f"{SITE}/api/v1/cases/{case.registration_number}/letters/{record.token}/"
    assert detail.json()["letters"] == [{"kind": "receipt", "issued_at": detail.json()["letters"][0]["issued_at"],
                                         "url": url}]
    download = api_for(officer).get(url.removeprefix(SITE))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf == stored(record)
    assert api_for(other_officer).get(url.removeprefix(SITE)).status_code == 404
    unknown = f"/api/v1/cases/{case.registration_number}/letters/bukan-token/"
    assert api_for(officer).get(unknown).status_code == 404
