"""Library pages: officer upload (extraction in a Celery task after commit), review and publish, the public
document page and download headers, the DIP page/CSV/PDF, publishing a case's answer material."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from documents_app.models import Document, DocumentStatus, ScanState
from requests_app.models import CaseAttachment, EventKind
from requests_app.services.actions import case_answer
from tests.documents_app.helpers import PERSONAL_TEXT, pdf_text, pdf_upload

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def page_upload(client, **overrides):
    data = {"file": pdf_upload(PERSONAL_TEXT, "penerima.pdf"), "opd": "DINKES", "title": "Penerima bantuan 2025",
            "summary": "Daftar penerima bantuan kesehatan", "category": "setiap_saat", "info_form": "softcopy",
            "responsible_official": "Sekretaris Dinas Kesehatan", "made_place": "Tenggarong",
            "made_on": "2025-12-01", "retention": "5 tahun", "registration_number": ""}
    data.update(overrides)
    return client.post("/petugas/dokumen/unggah/", data)


def test_page_upload_scans_in_a_task_after_commit_and_review_shows_findings(
        officer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = page_upload(officer_client)
    assert response.status_code == 302, response.content
    doc = Document.objects.get()
    assert doc.scan_state == ScanState.PENDING and doc.extracted_text == ""
    assert len(callbacks) == 1
    callbacks[0]()  # the commit happens: the task runs (eagerly in tests)
    doc.refresh_from_db()
    assert doc.scan_state == ScanState.DONE
    assert {f["kind"] for f in doc.personal_data_findings} == {"nik", "phone", "email"}

    page = officer_client.get(f"/petugas/dokumen/{doc.pk}/").content.decode()
    assert "Ditemukan 3 kemungkinan data pribadi" in page
    assert "64************01" in page and "6403012345678901" not in page
    assert 'name="confirm_personal_data"' in page

    # Publishing without the confirmation box is refused with the reason; with it, it is public.
    response = officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish"}, follow=True)
    assert "data pribadi" in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DRAFT
    officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish", "confirm_personal_data": "1",
                                                             "publish_override_reason": "Data itu informasi publik."})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PUBLISHED and doc.published_by.username == "petugas.dinkes"


def test_page_upload_refuses_a_disguised_file_next_to_the_field(officer_client):
    fake = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00" + b"\x00" * 400, content_type="application/pdf")
    response = page_upload(officer_client, file=fake)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="f-file"' in html and "Jenis berkas tidak diterima" in html
    assert Document.objects.count() == 0


def test_redacted_replacement_is_rescanned_and_old_file_removed(officer_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page_upload(officer_client)
    doc = Document.objects.get()
    old_name = doc.file.name
    storage = doc.file.storage
    clean = pdf_upload("Daftar penerima bantuan: Budi Santoso NIK [disamarkan], HP [disamarkan].", "bersih.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "replace", "file": clean})
    doc.refresh_from_db()
    assert doc.personal_data_findings == [] and doc.scan_state == ScanState.DONE
    assert doc.original_filename == "bersih.pdf"
    assert not storage.exists(old_name)
    assert list(doc.events.values_list("kind", flat=True)) == ["uploaded", "scanned", "replaced", "scanned"]
    officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish"})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PUBLISHED


def test_image_without_text_needs_an_officers_confirmation(officer_client, django_capture_on_commit_callbacks):
    # A photo with no writing on it: OCR runs and recognises nothing, so nothing could be checked.
    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 30, 30)).save(photo, "PNG", dpi=(150, 150))
    with django_capture_on_commit_callbacks(execute=True):
        page_upload(officer_client, file=SimpleUploadedFile("foto.png", photo.getvalue(), content_type="image/png"))
    doc = Document.objects.get()
    assert doc.ocr_state == "done" and doc.text_source == "none"
    assert doc.scan_state == ScanState.FAILED and doc.needs_confirmation
    officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish"})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DRAFT


def published(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        page_upload(client, **overrides)
    doc = Document.objects.order_by("-id").first()
    client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish", "confirm_personal_data": "1",
                                                     "publish_override_reason": "Data itu informasi publik."})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.PUBLISHED
    return doc


def test_public_page_and_download_headers(officer_client, django_capture_on_commit_callbacks, client):
    doc = published(officer_client, django_capture_on_commit_callbacks)
    client.logout()
    page = client.get(f"/dokumen/{doc.pk}/").content.decode()
    for text in ("Penerima bantuan 2025", "Sekretaris Dinas Kesehatan", "5 tahun", "Informasi tersedia setiap saat",
                 doc.sha256, f"/dokumen/{doc.pk}/unduh/"):
        assert text in page
    response = client.get(f"/dokumen/{doc.pk}/unduh/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "penerima.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # The stored file is not under a public URL: MEDIA is not routed.
    assert client.get("/" + doc.file.url.lstrip("/")).status_code == 404


def test_library_search_page_and_home_search_box(officer_client, django_capture_on_commit_callbacks, client):
    doc = published(officer_client, django_capture_on_commit_callbacks)
    html = client.get("/dokumen/?q=Mulawarman").content.decode()
    assert f"/dokumen/{doc.pk}/" in html
    assert f"/dokumen/{doc.pk}/" not in client.get("/dokumen/?q=zzzyyyxxx").content.decode()
    home = client.get("/").content.decode()
    assert 'action="/dokumen/"' in home and 'name="q"' in home


def test_dip_page_csv_and_pdf(officer_client, django_capture_on_commit_callbacks, client, other_officer):
    doc = published(officer_client, django_capture_on_commit_callbacks)
    html = client.get("/dip/").content.decode()
    assert "Penerima bantuan 2025" in html and "Sekretaris Dinas Kesehatan" in html
    assert "Penerima bantuan 2025" in client.get("/dip/DINKES/").content.decode()
    assert "Penerima bantuan 2025" not in client.get("/dip/DPUPR/").content.decode()
    assert "Penerima bantuan 2025" not in client.get("/dip/?category=berkala").content.decode()
    assert client.get("/dip/NOPE/").status_code == 404

    response = client.get("/dip/dip.csv?opd=DINKES")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["No", "Ringkasan isi informasi", "OPD"] and rows[0][8] == "Nomor registrasi"
    # An English reader gets the same register headed in English.
    client.cookies["django_language"] = "en"
    english = client.get("/dip/dip.csv?opd=DINKES", HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    del client.cookies["django_language"]
    header = next(csv.reader(io.StringIO(english)))
    assert header[1] == "Summary of the information" and header[8] == "Registration number"
    assert header[9] == "Link"
    assert rows[1][0] == "1" and rows[1][1].startswith("Penerima bantuan 2025")
    assert rows[1][4] == "Sekretaris Dinas Kesehatan" and rows[1][5] == "Tenggarong, 01-12-2025"
    assert rows[1][9].endswith(f"/dokumen/{doc.pk}/")

    response = client.get("/dip/dip.pdf?opd=DINKES")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "DAFTAR INFORMASI PUBLIK" in text.upper()
    assert "Penerima bantuan 2025" in text and "Sekretaris Dinas Kesehatan" in text


def test_csv_neutralises_formulas(officer_client, django_capture_on_commit_callbacks, client):
    published(officer_client, django_capture_on_commit_callbacks, title="=HYPERLINK(\"http://x\")")
    rows = list(csv.reader(io.StringIO(client.get("/dip/dip.csv").content.decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=")


def test_officer_pages_are_scoped_to_the_opd(officer_client, django_capture_on_commit_callbacks, client,
                                             other_officer):
    with django_capture_on_commit_callbacks(execute=True):
        page_upload(officer_client)
    doc = Document.objects.get()
    client.force_login(other_officer)
    assert client.get(f"/petugas/dokumen/{doc.pk}/").status_code == 404
    assert client.get(f"/petugas/dokumen/{doc.pk}/berkas/").status_code == 404
    assert client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish"}).status_code == 404
    assert "Penerima bantuan" not in client.get("/petugas/dokumen/").content.decode()
    # And an officer cannot upload for an OPD that is not theirs.
    response = page_upload(client, opd="DINKES")
    assert response.status_code == 200 and Document.objects.count() == 1


def test_case_material_published_to_library_without_requester_identity(
        submit, officer, client, django_capture_on_commit_callbacks):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        case = submit().case
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=WITA), tick=False):
        case_answer(case=case, actor=officer, decision="granted",
                    files=[pdf_upload("Rekap tenaga kesehatan: kontak petugas 081298765432.", "rekap-nakes.pdf")])
    material = case.attachments.get(kind=CaseAttachment.Kind.MATERIAL)
    client.force_login(officer)
    case_page = client.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    assert f"/petugas/kasus/{case.registration_number}/lampiran/{material.pk}/publikasi/" in case_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/petugas/kasus/{case.registration_number}/lampiran/{material.pk}/publikasi/")
    doc = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/petugas/dokumen/{doc.pk}/"
    assert doc.case == case and doc.title == "rekap-nakes"
    assert [f["kind"] for f in doc.personal_data_findings] == ["phone"]
    check = case.events.get(kind=EventKind.PERSONAL_DATA_CHECK)
    assert check.public is False and check.data["counts"] == {"phone": 1}

    client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "publish", "confirm_personal_data": "1",
                                                     "publish_override_reason": "Data itu informasi publik."})
    published_event = case.events.get(kind=EventKind.DOCUMENT_PUBLISHED)
    assert published_event.public is True and published_event.data["document"] == doc.pk
    assert case.events.filter(kind=EventKind.PERSONAL_DATA_CHECK).count() == 2  # the scan and the decision

    client.logout()
    page = client.get(f"/dokumen/{doc.pk}/").content.decode()
    assert case.registration_number in page
    for secret in ("Siti Rahmawati", "6403012345678901", "siti@example.org", "081234567890", "Mulawarman No. 1"):
        assert secret not in page
    api = client.get(f"/api/v1/documents/{doc.pk}/").content.decode()
    assert case.registration_number in api and "Siti" not in api


def test_letters_cannot_be_published_from_a_case(submit, officer, client):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        case = submit().case
        case_answer(case=case, actor=officer, decision="granted")
    notice = case.attachments.get(kind=CaseAttachment.Kind.NOTICE)
    client.force_login(officer)
    response = client.post(f"/petugas/kasus/{case.registration_number}/lampiran/{notice.pk}/publikasi/", follow=True)
    assert "Hanya materi jawaban" in response.content.decode()
    assert Document.objects.count() == 0


def test_page_unpublish_needs_a_reason_and_keeps_the_record(officer_client, django_capture_on_commit_callbacks, client):
    doc = published(officer_client, django_capture_on_commit_callbacks)
    response = officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "unpublish", "reason": " "},
                                   follow=True)
    assert "Alasan penarikan wajib diisi." in response.content.decode()
    officer_client.post(f"/petugas/dokumen/{doc.pk}/aksi/", {"action": "unpublish", "reason": "Data diperbarui"})
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.UNPUBLISHED
    listing = officer_client.get("/petugas/dokumen/?status=unpublished").content.decode()
    assert "Penerima bantuan 2025" in listing
    review = officer_client.get(f"/petugas/dokumen/{doc.pk}/").content.decode()
    assert "Data diperbarui" in review and "Ditarik dari publikasi" in review
    assert "Penerima bantuan 2025" not in client.get("/dip/").content.decode()
