"""Scanned documents: a PDF of page images (or a JPEG/PNG) is OCR'd, its recognised text searched and checked for
personal data like extracted text; OCR failures and time-outs are shown and hold publishing back.

The scans are typed pages drawn with Pillow and saved as image-only PDFs. Real OCRmyPDF and Tesseract run on
them; one OCR costs seconds, so the result for identical input bytes is computed once per module (the cache
below wraps the real function, never a fake)."""

import hashlib
import io
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from documents_app import ocr as ocr_module
from documents_app.models import Document, OcrState, ScanState, TextSource
from documents_app.services import ocr as ocr_service
from tests.documents_app.helpers import api_upload, publish

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NIK = "6403012345678901"
LINES = [
    "KEPUTUSAN BUPATI KUTAI KARTANEGARA",
    "tentang penerima bantuan perumahan",
    "Nama: Budi Santoso",
    f"NIK: {NIK}",
    "Alamat: Jalan Mulawarman, Tenggarong",
]
WORD = "Mulawarman"


def scanned_page(lines=LINES, fmt="PDF") -> bytes:
    """A typed page as a scanner gives it: an image at 300 dpi, no text layer."""
    img = Image.new("L", (1700, 700), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 44)
    for n, line in enumerate(lines):
        draw.text((100, 80 + n * 110), line, fill=0, font=font)
    out = io.BytesIO()
    img.save(out, fmt, resolution=300.0) if fmt == "PDF" else img.save(out, fmt, dpi=(300, 300))
    return out.getvalue()


@pytest.fixture(scope="module")
def ocr_cache():
    return {}


@pytest.fixture(autouse=True)
def cached_ocr(monkeypatch, ocr_cache):
    real = ocr_module.ocr_document

    def once(data, content_type, **kwargs):
        # Only the real programs' run is cached; a fake binary (a failure test) always runs.
        if kwargs["ocrmypdf_binary"] != "/usr/bin/ocrmypdf":
            return real(data, content_type, **kwargs)
        key = (hashlib.sha256(data).hexdigest(), content_type)
        if key not in ocr_cache:
            ocr_cache[key] = real(data, content_type, **kwargs)
        return ocr_cache[key]

    monkeypatch.setattr(ocr_service, "ocr_document", once)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def upload_scan(officer_api, capture, data=None, name="sk-bupati.pdf", content_type="application/pdf"):
    upload = SimpleUploadedFile(name, data or scanned_page(), content_type=content_type)
    with capture(execute=True):  # the OCR task runs (eagerly) once the upload is committed
        response = api_upload(officer_api, upload=upload, title="SK penerima bantuan")
    assert response.status_code == 201, response.content
    return Document.objects.get(pk=response.json()["id"])


@pytest.fixture
def scan(officer_api, django_capture_on_commit_callbacks):
    return upload_scan(officer_api, django_capture_on_commit_callbacks)


def test_a_scanned_pdf_is_ocrd_with_its_confidence(scan, officer_api):
    body = officer_api.get(f"/api/v1/documents/{scan.pk}/").json()
    assert body["text_source"] == "ocr"
    assert body["scan_status"] == "done"
    assert body["ocr_state"] == "done"
    assert 50 <= body["ocr_confidence"] <= 100
    assert WORD in scan.extracted_text


def test_the_personal_data_scan_finds_the_nik_in_recognised_text(scan, officer_api):
    body = officer_api.get(f"/api/v1/documents/{scan.pk}/").json()
    assert [f["kind"] for f in body["personal_data_findings"] if f["field"] == "text"] == ["nik"]
    assert NIK not in str(body["personal_data_findings"])  # masked
    response = publish(officer_api, scan.pk)
    assert response.status_code == 409
    assert "NIK" in str(response.json()["detail"])


def test_a_published_scan_is_found_by_a_word_on_the_page_and_downloads_as_searchable_pdf(scan, officer_api, api):
    assert api.get(f"/api/v1/documents/?q={WORD}").json()["count"] == 0  # a draft is not in the index
    response = publish(officer_api, scan.pk, confirm_personal_data=True,
                       publish_override_reason="Keputusan Bupati memang diumumkan lengkap.")
    assert response.status_code == 200, response.content
    found = api.get(f"/api/v1/documents/?q={WORD}").json()
    assert [r["id"] for r in found["results"]] == [scan.pk]
    download = api.get(found["results"][0]["download_url"])
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    assert WORD in "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    # The original scan is kept as uploaded, without a text layer.
    scan.refresh_from_db()
    with scan.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == scan.sha256


def test_the_officer_page_says_the_text_was_recognised_with_its_confidence(scan, officer_client):
    page = officer_client.get(f"/petugas/dokumen/{scan.pk}/").content.decode()
    assert "Teks dikenali dengan OCR" in page
    assert f"keyakinan rata-rata {scan.ocr_confidence:.0f}%" in page


def test_a_png_becomes_a_searchable_pdf(officer_api, django_capture_on_commit_callbacks):
    document = upload_scan(officer_api, django_capture_on_commit_callbacks, data=scanned_page(fmt="PNG"),
                           name="sk.png", content_type="image/png")
    assert document.text_source == TextSource.OCR
    assert document.content_type == "image/png"  # the original stays the image
    with document.searchable_file.open("rb") as fh:
        assert WORD in PdfReader(fh).pages[0].extract_text()


def test_a_born_digital_pdf_is_not_ocrd(officer_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_upload(officer_api, text="Laporan keuangan tahunan dinas kesehatan 2025")
    document = Document.objects.get(pk=response.json()["id"])
    assert (document.text_source, document.ocr_state, bool(document.searchable_file)) == ("extracted", "", False)


def test_missing_ocrmypdf_fails_visibly_and_blocks_publishing(officer_api, officer_client, settings, tmp_path,
                                                             django_capture_on_commit_callbacks):
    settings.PPID_OCRMYPDF_BINARY = str(tmp_path / "no-ocrmypdf")
    document = upload_scan(officer_api, django_capture_on_commit_callbacks)
    assert document.ocr_state == OcrState.FAILED
    assert "tidak terpasang" in document.ocr_error
    body = officer_api.get(f"/api/v1/documents/{document.pk}/").json()
    assert (body["scan_status"], body["text_source"]) == ("failed", "none")
    response = publish(officer_api, document.pk, confirm_personal_data=True, publish_override_reason="x")
    assert response.status_code == 409
    assert "OCR gagal" in str(response.json()["detail"])
    page = officer_client.get(f"/petugas/dokumen/{document.pk}/").content.decode()
    assert "tidak terpasang" in page and 'value="ocr_retry"' in page


def test_a_failed_ocr_can_be_retried_by_the_officer(officer_api, officer_client, settings, tmp_path,
                                                   django_capture_on_commit_callbacks):
    settings.PPID_OCRMYPDF_BINARY = str(tmp_path / "no-ocrmypdf")
    document = upload_scan(officer_api, django_capture_on_commit_callbacks)
    settings.PPID_OCRMYPDF_BINARY = "/usr/bin/ocrmypdf"  # the program installed
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/petugas/dokumen/{document.pk}/aksi/", {"action": "ocr_retry"})
    document.refresh_from_db()
    assert (document.ocr_state, document.text_source, document.scan_state) == ("done", "ocr", ScanState.DONE)
    assert document.ocr_error == ""


def test_an_ocr_past_its_time_limit_is_recorded_as_a_time_out(officer_api, settings, tmp_path,
                                                              django_capture_on_commit_callbacks):
    slow = tmp_path / "ocrmypdf"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(slow.stat().st_mode | stat.S_IEXEC)
    settings.PPID_OCRMYPDF_BINARY = str(slow)
    settings.PPID_OCR_TIME_LIMIT = ocr_service.SUBPROCESS_MARGIN_SECONDS + 1  # the subprocess gets one second
    document = upload_scan(officer_api, django_capture_on_commit_callbacks)
    assert document.ocr_state == OcrState.FAILED
    assert "batas waktu" in document.ocr_error
    assert publish(officer_api, document.pk).status_code == 409


def test_publishing_waits_while_ocr_is_pending(officer_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the task has not run yet
        response = api_upload(officer_api, upload=SimpleUploadedFile("sk.pdf", scanned_page(),
                                                                    content_type="application/pdf"))
    doc_id = response.json()["id"]
    assert officer_api.get(f"/api/v1/documents/{doc_id}/").json()["scan_status"] == "pending"
    response = publish(officer_api, doc_id, confirm_personal_data=True, publish_override_reason="x")
    assert response.status_code == 409
    assert "OCR" in str(response.json()["detail"])


def test_tesseract_tsv_confidences_count_words_only():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tNIK\n"
           "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t70.5\t6403\n"
           "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t95\t \n")
    assert ocr_module.tsv_word_confidences(tsv) == [90.5, 70.5]


def test_only_pdfs_and_images_with_negligible_text_need_ocr():
    assert ocr_module.needs_ocr("", "application/pdf")
    assert ocr_module.needs_ocr(" 12 ", "application/pdf")
    assert ocr_module.needs_ocr("", "image/png")
    assert not ocr_module.needs_ocr("Profil dinas", "application/pdf")
    assert not ocr_module.needs_ocr("", "text/plain")




def test_an_ocr_whose_task_was_lost_is_given_up_only_past_the_ocr_limit(officer_api, settings,
                                                                       django_capture_on_commit_callbacks):
    import datetime as dt

    from documents_app.services.stale import STALE_SCAN_MARGIN, documents_stale_scans_abandon
    from ppid_portal.clock import now

    settings.PPID_DOCUMENT_TASK_TIME_LIMIT, settings.PPID_OCR_TIME_LIMIT = 180, 3600
    with django_capture_on_commit_callbacks(execute=False):  # the OCR task never reached a worker
        doc_id = api_upload(officer_api, upload=SimpleUploadedFile("sk.pdf", scanned_page(),
                                                                   content_type="application/pdf")).json()["id"]
    past_scan_limit = now() + dt.timedelta(seconds=180) + STALE_SCAN_MARGIN + dt.timedelta(minutes=1)
    assert documents_stale_scans_abandon(at=past_scan_limit) == 0  # OCR may take longer than a text scan
    past_ocr_limit = now() + dt.timedelta(seconds=3660) + STALE_SCAN_MARGIN + dt.timedelta(minutes=1)
    assert documents_stale_scans_abandon(at=past_ocr_limit) == 1
    document = Document.objects.get(pk=doc_id)
    assert (document.ocr_state, document.scan_status) == (OcrState.FAILED, "failed")
