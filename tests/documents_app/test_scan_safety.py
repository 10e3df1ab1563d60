"""Files that break the reader — a zip bomb, too many parts, a damaged archive, a PDF pypdf cannot read, a
scan past its time limit — end as a failed scan the officer sees, publishing is refused (409), never a 500 and
never a draft left pending. Personal data in the title, summary or file name counts like data in the text."""

import io
import zipfile
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from documents_app.extraction import ExtractionError, ExtractionLimits, ExtractionTimeout, extract_text
from documents_app.models import Document, DocumentStatus, ScanState
from documents_app.tasks import document_process_task
from tests.documents_app.helpers import api_upload, pdf_bytes, pdf_upload, publish

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENT_XML = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>')


def docx(text="Rencana kerja", *, zeros: tuple[str, int] | None = None, extra_parts: int = 0,
         document_xml: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml or DOCUMENT_XML.format(text))
        for i in range(extra_parts):
            archive.writestr(f"word/media/part{i}.xml", "<a/>")
        if zeros:
            name, size = zeros
            with archive.open(name, "w", force_zip64=True) as part:
                block = b"\0" * (1 << 20)
                for _ in range(size // len(block)):
                    part.write(block)
                part.write(b"\0" * (size % len(block)))
    return buf.getvalue()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """100 KB on disk, just over the uncompressed cap once opened."""
    return docx(zeros=("word/media/image1.bin", settings.PPID_OFFICE_MAX_UNCOMPRESSED_BYTES + 1))


def docx_upload(data: bytes, name="laporan.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=DOCX)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def assert_failed_and_unpublishable(officer_api, response, reason_fragment):
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["personal_data_check"] == "error"
    assert reason_fragment in body["scan_error"]
    detail = officer_api.get(f"/api/v1/documents/{body['id']}/").json()
    assert detail["personal_data_check"] == "error" and reason_fragment in detail["scan_error"]
    # Not even the officer's confirmation publishes a file that could not be read safely.
    refused = publish(officer_api, body["id"], confirm_personal_data=True,
                      publish_override_reason="Data itu informasi publik.")
    assert refused.status_code == 409
    assert "Pemeriksaan berkas gagal" in refused.json()["detail"][0]
    assert Document.objects.get(pk=body["id"]).status == DocumentStatus.DRAFT
    return body["id"]


# Extraction, as a pure function ----------------------------------------------------------------------------
def test_zip_bomb_is_refused_from_the_directory_before_decompressing(zip_bomb):
    with mock.patch("zipfile.ZipFile.open", side_effect=AssertionError("decompressed")):
        with pytest.raises(ExtractionError, match="melebihi 100 MB"):
            extract_text(zip_bomb, DOCX)


def test_a_part_compressed_beyond_any_document_ratio_is_refused():
    data = docx(zeros=("word/media/image1.bin", 2 * 1024 * 1024))
    with pytest.raises(ExtractionError, match="rasio"):
        extract_text(data, DOCX)


def test_too_many_parts_are_refused():
    with pytest.raises(ExtractionError, match="terlalu banyak bagian"):
        extract_text(docx(extra_parts=2001), DOCX)


def test_reading_stops_at_the_callers_time_limit():
    with pytest.raises(ExtractionTimeout, match="batas waktu"):
        extract_text(pdf_bytes("Rencana kerja"), "application/pdf", ExtractionLimits(max_seconds=-1))
    with pytest.raises(ExtractionTimeout, match="batas waktu"):
        extract_text(docx(), DOCX, ExtractionLimits(max_seconds=-1))


def test_a_slow_file_in_the_api_request_is_left_to_the_task(officer_api, settings,
                                                             django_capture_on_commit_callbacks):
    # No file can hold the request (where no Celery limit applies): past the request's time it goes to the task.
    settings.PPID_EXTRACTION_REQUEST_SECONDS = -1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_upload(officer_api, text="Rencana kerja")
    assert response.status_code == 201
    assert response.json()["personal_data_check"] == "pending"
    assert len(callbacks) == 1
    callbacks[0]()  # the task (eager), without a clock of its own beyond Celery's limits
    document = Document.objects.get(pk=response.json()["id"])
    assert document.scan_state == ScanState.DONE and "Rencana kerja" in document.extracted_text


def test_xml_with_a_dtd_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<w:document xmlns:w="x"><w:t>&b;</w:t></w:document>')
    with pytest.raises(ExtractionError, match="deklarasi XML"):
        extract_text(docx(document_xml=bomb), DOCX)


def test_text_stops_at_the_text_limit(monkeypatch):
    from documents_app import extraction

    monkeypatch.setattr(extraction, "MAX_TEXT_CHARS", 1000)
    text = extract_text(docx(" ".join(["kata"] * 5000)), DOCX)
    assert 900 < len(text) <= 1000


def test_damaged_archive_and_broken_xml_are_extraction_errors():
    good = docx()
    with pytest.raises(ExtractionError):
        extract_text(good[:-30], DOCX)
    with pytest.raises(ExtractionError):
        extract_text(docx(document_xml="<w:document><w:t>tidak ditutup"), DOCX)
    # A sheet without its shared strings, a PDF pypdf cannot read: the same, never another exception.
    with pytest.raises(ExtractionError):
        extract_text(b"PK\x03\x04" + b"\0" * 100, XLSX)
    with pytest.raises(ExtractionError):
        extract_text(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF", "application/pdf")


def test_any_parser_exception_becomes_an_extraction_error():
    with mock.patch("pypdf.PdfReader", side_effect=MemoryError()):
        with pytest.raises(ExtractionError, match="MemoryError"):
            extract_text(b"%PDF-1.7", "application/pdf")
    with mock.patch("pypdf.PdfReader", side_effect=RecursionError("loop")):
        with pytest.raises(ExtractionError):
            extract_text(b"%PDF-1.7", "application/pdf")


# Through the API and the pages ----------------------------------------------------------------------------
def test_zip_bomb_docx_upload_is_a_failed_scan_and_cannot_be_published(officer_api, zip_bomb):
    response = api_upload(officer_api, upload=docx_upload(zip_bomb))
    assert_failed_and_unpublishable(officer_api, response, "melebihi 100 MB")


def test_docx_with_too_many_parts_is_a_failed_scan(officer_api):
    response = api_upload(officer_api, upload=docx_upload(docx(extra_parts=2001)))
    assert_failed_and_unpublishable(officer_api, response, "terlalu banyak bagian")


def test_corrupted_docx_is_a_failed_scan(officer_api):
    response = api_upload(officer_api, upload=docx_upload(docx()[:-30]))
    assert_failed_and_unpublishable(officer_api, response, "rusak")


def test_pdf_pypdf_cannot_read_is_a_failed_scan(officer_api):
    broken = SimpleUploadedFile("rusak.pdf", b"%PDF-1.7\n garbage that is no PDF body", content_type="application/pdf")
    response = api_upload(officer_api, upload=broken)
    assert_failed_and_unpublishable(officer_api, response, "rusak")


def test_replacing_the_failed_file_clears_the_error(officer_api):
    doc_id = api_upload(officer_api, upload=docx_upload(docx()[:-30])).json()["id"]
    document = Document.objects.get(pk=doc_id)
    from documents_app.services.intake import document_replace_file

    document_replace_file(document=document, actor=document.created_by, upload=pdf_upload("Rencana kerja"))
    document.refresh_from_db()
    assert document.scan_state == ScanState.DONE and document.scan_error == ""
    assert publish(officer_api, doc_id).status_code == 200


def test_page_upload_of_a_zip_bomb_shows_the_failure_on_the_review_page(
        officer_client, zip_bomb, django_capture_on_commit_callbacks):
    data = {"file": docx_upload(zip_bomb), "opd": "DINKES", "title": "Rencana kerja", "category": "berkala",
            "info_form": "softcopy"}
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post("/petugas/dokumen/unggah/", data)
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.scan_state == ScanState.ERROR
    page = officer_client.get(f"/petugas/dokumen/{document.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pemeriksaan gagal" in html and "melebihi 100 MB" in html
    listing = officer_client.get("/petugas/dokumen/").content.decode()
    assert "pemeriksaan gagal" in listing
    refused = officer_client.post(f"/petugas/dokumen/{document.pk}/aksi/",
                                  {"action": "publish", "confirm_personal_data": "1",
                                   "publish_override_reason": "Data itu informasi publik."}, follow=True)
    assert refused.status_code == 200 and "Pemeriksaan berkas gagal" in refused.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_task_past_its_soft_time_limit_marks_the_scan_failed(officer_client, django_capture_on_commit_callbacks):
    assert document_process_task.soft_time_limit == settings.PPID_DOCUMENT_TASK_SOFT_TIME_LIMIT
    assert document_process_task.time_limit == settings.PPID_DOCUMENT_TASK_TIME_LIMIT
    assert document_process_task.soft_time_limit < document_process_task.time_limit
    data = {"file": pdf_upload("Rencana kerja"), "opd": "DINKES", "title": "Rencana kerja", "category": "berkala",
            "info_form": "softcopy"}
    with mock.patch("documents_app.services.scanning.extract_text", side_effect=SoftTimeLimitExceeded()):
        with django_capture_on_commit_callbacks(execute=True):
            officer_client.post("/petugas/dokumen/unggah/", data)
    document = Document.objects.get()
    assert document.scan_state == ScanState.ERROR
    assert "batas waktu" in document.scan_error
    assert list(document.events.values_list("kind", flat=True)) == ["uploaded", "scanned"]


def test_task_crash_of_any_kind_leaves_no_draft_pending(officer_client, django_capture_on_commit_callbacks):
    data = {"file": pdf_upload("Rencana kerja"), "opd": "DINKES", "title": "Rencana kerja", "category": "berkala",
            "info_form": "softcopy"}
    with mock.patch("documents_app.services.scanning.document_index", side_effect=[RuntimeError("boom"), None]):
        with django_capture_on_commit_callbacks(execute=True):
            officer_client.post("/petugas/dokumen/unggah/", data)
    document = Document.objects.get()
    assert document.scan_state == ScanState.ERROR and document.scan_error


def test_public_detail_does_not_show_the_review_fields(officer_api):
    doc_id = api_upload(officer_api, text="Rencana kerja").json()["id"]
    assert publish(officer_api, doc_id).status_code == 200
    public = APIClient().get(f"/api/v1/documents/{doc_id}/").json()
    assert "scan_error" not in public and "personal_data_findings" not in public
    assert officer_api.get(f"/api/v1/documents/{doc_id}/").json()["personal_data_check"] == "done"


# Personal data outside the text ------------------------------------------------------------------------------
def test_nik_in_the_title_of_a_clean_pdf_is_a_finding_and_blocks_publishing(officer_api):
    response = api_upload(officer_api, text="Rencana kerja dinas kesehatan",
                          title="Surat untuk NIK 6403012345678901")
    assert response.status_code == 201, response.content
    findings = response.json()["personal_data_findings"]
    assert [(f["kind"], f["field"]) for f in findings] == [("nik", "title")]
    assert "6403012345678901" not in findings[0]["excerpt"]
    doc_id = response.json()["id"]
    refused = publish(officer_api, doc_id)
    assert refused.status_code == 409
    assert Document.objects.get(pk=doc_id).status == DocumentStatus.DRAFT
    assert publish(officer_api, doc_id, confirm_personal_data=True,
                   publish_override_reason="Data itu informasi publik.").status_code == 200


def test_summary_and_file_name_are_scanned_with_their_field(officer_api):
    upload = pdf_upload("Rencana kerja", name="ktp_6403012345678901.pdf")
    response = api_upload(officer_api, upload=upload, summary="Hubungi budi@example.org atau 081234567890")
    fields = sorted((f["kind"], f["field"]) for f in response.json()["personal_data_findings"])
    assert fields == [("email", "summary"), ("nik", "original_filename"), ("phone", "summary")]
    assert publish(officer_api, response.json()["id"]).status_code == 409


def test_editing_a_title_to_carry_a_nik_needs_a_new_confirmation(officer_client, officer_api):
    doc_id = api_upload(officer_api, text="Rencana kerja").json()["id"]
    meta = {"action": "edit", "title": "Data NIK 6403012345678901", "category": "berkala", "info_form": "softcopy"}
    officer_client.post(f"/petugas/dokumen/{doc_id}/aksi/", meta)
    document = Document.objects.get(pk=doc_id)
    assert [f["field"] for f in document.personal_data_findings] == ["title"]
    assert publish(officer_api, doc_id).status_code == 409


def test_a_published_document_does_not_take_a_title_with_a_nik(officer_client, officer_api):
    doc_id = api_upload(officer_api, text="Rencana kerja").json()["id"]
    assert publish(officer_api, doc_id).status_code == 200
    meta = {"action": "edit", "title": "Data NIK 6403012345678901", "category": "berkala", "info_form": "softcopy"}
    page = officer_client.post(f"/petugas/dokumen/{doc_id}/aksi/", meta, follow=True)
    assert "data pribadi" in page.content.decode()
    assert Document.objects.get(pk=doc_id).title == "Laporan Keuangan 2025"


def test_a_scan_that_never_finished_becomes_a_failed_scan(officer_client, django_capture_on_commit_callbacks):
    """The broker refused the task (or its worker was killed at the hard limit): the draft does not stay pending for
    ever. Beat's periodic step records it as failed once it is past the task's hard limit and a margin."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from documents_app.services.stale import STALE_SCAN_MARGIN
    from documents_app.tasks import documents_stale_scans_task

    data = {"file": pdf_upload("Rencana kerja"), "opd": "DINKES", "title": "Rencana kerja", "category": "berkala",
            "info_form": "softcopy"}
    with mock.patch("documents_app.services.intake.SYNC_PROCESS_MAX_BYTES", 0), \
            mock.patch.object(document_process_task, "delay", side_effect=ConnectionRefusedError("redis down")), \
            django_capture_on_commit_callbacks(execute=True):
        officer_client.post("/petugas/dokumen/unggah/", data)
    document = Document.objects.get()
    assert document.scan_state == ScanState.PENDING
    stale_after = dt.timedelta(seconds=settings.PPID_DOCUMENT_TASK_TIME_LIMIT) + STALE_SCAN_MARGIN

    with time_machine.travel(timezone.now() + stale_after - dt.timedelta(minutes=1), tick=False):
        assert documents_stale_scans_task.delay().get() == 0  # a long queue is not yet a lost task
    document.refresh_from_db()
    assert document.scan_state == ScanState.PENDING

    with time_machine.travel(timezone.now() + stale_after + dt.timedelta(minutes=1), tick=False):
        assert documents_stale_scans_task.delay().get() == 1
    document.refresh_from_db()
    assert document.scan_state == ScanState.ERROR and "periksa ulang" in document.scan_error
    page = officer_client.get(f"/petugas/dokumen/{document.pk}/").content.decode()
    assert "periksa ulang" in page
    response = officer_client.post(f"/petugas/dokumen/{document.pk}/aksi/", {"action": "publish"})
    assert response.status_code in (302, 409)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT
    # The officer's re-check reads it again (the broker is back) and it can go on.
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/petugas/dokumen/{document.pk}/aksi/", {"action": "rescan"})
    document.refresh_from_db()
    assert document.scan_state == ScanState.DONE
