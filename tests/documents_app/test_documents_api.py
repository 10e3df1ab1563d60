"""The documents API: upload draft with findings, 409 until confirmed, public 404 for drafts,
type/size refusals, OPD scoping, search."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from documents_app.models import Document, DocumentEvent, DocumentStatus
from tests.documents_app.helpers import PERSONAL_TEXT, api_upload, pdf_upload, publish

EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def test_upload_without_personal_data_is_a_draft_and_publishes(officer_api, api):
    response = api_upload(officer_api, text="Rencana kerja dinas kesehatan tahun 2026")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["personal_data_findings"] == []
    assert body["personal_data_check"] == "done"
    doc = Document.objects.get(pk=body["id"])
    assert "Rencana kerja dinas kesehatan" in doc.extracted_text
    assert len(doc.sha256) == 64 and doc.content_type == "application/pdf"
    # Not public yet.
    assert api.get(f"/api/v1/documents/{doc.pk}/").status_code == 404
    assert api.get("/api/v1/documents/").json()["count"] == 0
    response = publish(officer_api, doc.pk)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    detail = api.get(f"/api/v1/documents/{doc.pk}/").json()
    assert detail["title"] == "Laporan Keuangan 2025"
    assert detail["opd"] == "DINKES"
    assert detail["download_url"].endswith(f"/dokumen/{doc.pk}/unduh/")
    assert api.get("/api/v1/documents/").json()["count"] == 1


def test_personal_data_in_a_pdf_is_found_and_blocks_publishing_until_confirmed(officer_api, api):
    response = api_upload(officer_api, text=PERSONAL_TEXT, title="Penerima bantuan")
    assert response.status_code == 201, response.content
    findings = response.json()["personal_data_findings"]
    assert sorted(f["kind"] for f in findings) == ["email", "nik", "phone"]
    excerpts = " ".join(f["excerpt"] for f in findings)
    # The answer shows where, never the whole value.
    assert "6403012345678901" not in excerpts and "0812-3456-7890" not in excerpts
    assert "budi.santoso@example.org" not in excerpts
    assert "64************01" in excerpts
    doc_id = response.json()["id"]

    response = publish(officer_api, doc_id)
    assert response.status_code == 409
    assert "data pribadi" in response.json()["detail"][0]
    assert Document.objects.get(pk=doc_id).status == DocumentStatus.DRAFT
    assert api.get(f"/api/v1/documents/{doc_id}/").status_code == 404

    response = publish(officer_api, doc_id, confirm_personal_data=True,
                       publish_override_reason="Data itu informasi publik.")
    assert response.status_code == 200
    doc = Document.objects.get(pk=doc_id)
    assert doc.status == DocumentStatus.PUBLISHED and doc.personal_data_confirmed
    kinds = list(doc.events.values_list("kind", flat=True))
    assert kinds == [DocumentEvent.Kind.UPLOADED, DocumentEvent.Kind.SCANNED, DocumentEvent.Kind.CONFIRMED,
                     DocumentEvent.Kind.PUBLISHED]


def test_disguised_executable_named_pdf_is_refused(officer_api):
    upload = SimpleUploadedFile("laporan.pdf", EXE_BYTES, content_type="application/pdf")
    response = api_upload(officer_api, upload=upload)
    assert response.status_code == 400
    message = response.json()["file"][0]
    assert "Jenis berkas tidak diterima" in message and "Nama berkas tidak menentukan jenisnya" in message
    assert Document.objects.count() == 0


@override_settings(PPID_DOCUMENT_MAX_BYTES=2000)
def test_oversized_file_is_refused_with_the_limit(officer_api):
    response = api_upload(officer_api, upload=pdf_upload("x " * 3000))
    # Cut off while it streams (ppid_portal.uploads), before the view sees it.
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"][0]
    assert Document.objects.count() == 0


def test_text_file_by_name_must_really_be_text(officer_api):
    ok = SimpleUploadedFile("data.csv", b"kecamatan,puskesmas\nTenggarong,3\n", content_type="text/csv")
    response = api_upload(officer_api, upload=ok, title="Data puskesmas")
    assert response.status_code == 201, response.content
    assert "Tenggarong" in Document.objects.get(pk=response.json()["id"]).extracted_text
    bad = SimpleUploadedFile("data.txt", b"\x00\x01\x02binary\xff\xfe", content_type="text/plain")
    assert api_upload(officer_api, upload=bad).status_code == 400


def test_anonymous_cannot_upload(api, opds):
    response = api_upload(api)
    assert response.status_code in (401, 403)
    assert Document.objects.count() == 0


def test_a_citizen_account_cannot_upload_or_publish(officer_api, django_user_model):
    doc_id = api_upload(officer_api, text="Profil dinas").json()["id"]
    citizen = APIClient()
    citizen.force_authenticate(django_user_model.objects.create_user("warga", password="pw-Secret-1"))
    assert api_upload(citizen).status_code == 403
    # Naming a document it may not manage is a 404, as for an officer of another OPD (the upload above stays 403).
    assert publish(citizen, doc_id).status_code == 404
    assert citizen.get(f"/api/v1/documents/{doc_id}/").status_code == 404
    assert Document.objects.get(pk=doc_id).status == DocumentStatus.DRAFT


def test_bad_input_is_a_4xx(officer_api, api):
    assert api.get("/api/v1/documents/?page=abc").status_code == 404
    assert api.get("/api/v1/documents/?q=%27%22%26%7C%21%28").status_code == 200
    response = api_upload(officer_api, made_on="31-12-2025")
    assert response.status_code == 400 and "made_on" in response.json()
    response = api_upload(officer_api, category="rahasia")
    assert response.status_code == 400 and "category" in response.json()
    empty = SimpleUploadedFile("kosong.pdf", b"", content_type="application/pdf")
    response = api_upload(officer_api, upload=empty)
    assert response.status_code == 400 and response.json()["file"] == ["Berkas kosong."]
    doc_id = api_upload(officer_api).json()["id"]
    assert publish(officer_api, doc_id, confirm_personal_data="mungkin").status_code == 400
    assert publish(officer_api, 999999).status_code == 404


def test_officer_of_another_opd_gets_404_and_cannot_upload_for_it(officer_api, other_officer):
    doc_id = api_upload(officer_api, text="Profil dinas").json()["id"]
    other = APIClient()
    other.force_authenticate(other_officer)
    assert publish(other, doc_id).status_code == 404
    assert other.get(f"/api/v1/documents/{doc_id}/").status_code == 404
    response = api_upload(other, opd="DINKES")
    assert response.status_code == 400 and "opd" in response.json()


def test_ppid_utama_may_publish_any_opd(officer_api, admin_utama):
    doc_id = api_upload(officer_api, text="Profil dinas").json()["id"]
    utama = APIClient()
    utama.force_authenticate(admin_utama)
    assert publish(utama, doc_id).status_code == 200


def test_unpublished_document_is_404_to_the_public_but_keeps_its_history(officer_api, api, client):
    doc_id = api_upload(officer_api, text="Profil dinas").json()["id"]
    assert publish(officer_api, doc_id).status_code == 200
    assert client.get(f"/dokumen/{doc_id}/unduh/").status_code == 200
    response = officer_api.post(f"/api/v1/documents/{doc_id}/unpublish/", {"reason": ""}, format="json")
    assert response.status_code == 400
    response = officer_api.post(f"/api/v1/documents/{doc_id}/unpublish/", {"reason": "Salah unggah"}, format="json")
    assert response.status_code == 200
    assert api.get(f"/api/v1/documents/{doc_id}/").status_code == 404
    assert api.get("/api/v1/documents/").json()["count"] == 0
    assert client.get(f"/dokumen/{doc_id}/").status_code == 404
    assert client.get(f"/dokumen/{doc_id}/unduh/").status_code == 404
    doc = Document.objects.get(pk=doc_id)
    assert doc.unpublished_reason == "Salah unggah"
    assert doc.events.filter(kind=DocumentEvent.Kind.UNPUBLISHED, note="Salah unggah").exists()
    # The officer still sees it (status "unpublished").
    assert officer_api.get(f"/api/v1/documents/{doc_id}/").json()["status"] == "unpublished"


def test_draft_is_404_on_public_page_and_download(officer_api, client):
    doc_id = api_upload(officer_api, text="Profil dinas").json()["id"]
    assert client.get(f"/dokumen/{doc_id}/").status_code == 404
    assert client.get(f"/dokumen/{doc_id}/unduh/").status_code == 404
    assert client.get("/dokumen/?q=Profil").content.decode().count(f"/dokumen/{doc_id}/") == 0


def test_search_filters_by_opd_and_category(officer_api, admin_utama, api):
    utama = APIClient()
    utama.force_authenticate(admin_utama)
    a = api_upload(officer_api, text="Jadwal imunisasi", title="Jadwal imunisasi", category="berkala").json()["id"]
    b = api_upload(utama, text="Jadwal imunisasi jalan", title="Jadwal perbaikan jalan", opd="DPUPR",
                   category="serta_merta").json()["id"]
    publish(officer_api, a)
    publish(utama, b)
    ids = lambda r: [d["id"] for d in r.json()["results"]]  # noqa: E731
    assert ids(api.get("/api/v1/documents/?opd=DPUPR")) == [b]
    assert ids(api.get("/api/v1/documents/?category=berkala")) == [a]
    assert sorted(ids(api.get("/api/v1/documents/?q=jadwal"))) == sorted([a, b])
    assert ids(api.get("/api/v1/documents/?q=jadwal&opd=DINKES")) == [a]
    assert ids(api.get("/api/v1/documents/?category=bogus")) == []


def test_search_finds_a_word_inside_the_pdf_and_never_shows_drafts(officer_api, api):
    published = api_upload(officer_api, text="Jumlah tenaga kesehatan di Puskesmas Loa Kulu", title="Data SDM").json()
    api_upload(officer_api, text="Puskesmas Loa Kulu rahasia", title="Draf")
    publish(officer_api, published["id"])
    results = api.get("/api/v1/documents/?q=Kulu").json()["results"]
    assert [r["id"] for r in results] == [published["id"]]


@pytest.mark.postgres
def test_postgres_full_text_ranks_title_first_and_stems_indonesian(officer_api, api):
    body_only = api_upload(officer_api, title="Laporan tahunan dinas",
                           text="Bab tiga membahas pembangunan puskesmas baru di Kecamatan Tenggarong.").json()["id"]
    title_hit = api_upload(officer_api, title="Pembangunan Puskesmas Tenggarong",
                           text="Dokumen perencanaan fisik tahun anggaran 2026.").json()["id"]
    unrelated = api_upload(officer_api, title="Jadwal imunisasi", text="Posyandu bulan Maret.").json()["id"]
    for doc_id in (body_only, title_hit, unrelated):
        assert publish(officer_api, doc_id).status_code == 200
    results = api.get("/api/v1/documents/?q=puskesmas").json()["results"]
    assert [r["id"] for r in results] == [title_hit, body_only]
    # The word is found inside the PDF's text and highlighted there.
    assert "«puskesmas»" in results[1]["headline"].lower()
    # Indonesian stemming: "membangun" finds "pembangunan" (both stem to "bangun").
    stemmed = [r["id"] for r in api.get("/api/v1/documents/?q=membangun").json()["results"]]
    assert stemmed == [title_hit, body_only]
    # websearch syntax: a minus excludes.
    assert [r["id"] for r in api.get("/api/v1/documents/?q=puskesmas -laporan").json()["results"]] == [title_hit]


def test_large_upload_is_scanned_by_the_task_and_cannot_be_published_before(officer_api, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    from documents_app.services import intake

    monkeypatch.setattr(intake, "SYNC_PROCESS_MAX_BYTES", 100)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api_upload(officer_api, text=PERSONAL_TEXT)
    assert response.status_code == 201
    body = response.json()
    assert body["personal_data_check"] == "pending" and body["personal_data_findings"] == []
    response = publish(officer_api, body["id"], confirm_personal_data=True,
                       publish_override_reason="Data itu informasi publik.")
    assert response.status_code == 409 and "belum selesai" in response.json()["detail"][0]
    for callback in callbacks:
        callback()
    doc = Document.objects.get(pk=body["id"])
    assert doc.scan_state == "done" and len(doc.personal_data_findings) == 3
    assert publish(officer_api, body["id"]).status_code == 409


def test_reindex_command_rescans_pending_documents(officer_api, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from documents_app.services import intake

    monkeypatch.setattr(intake, "SYNC_PROCESS_MAX_BYTES", 100)
    with django_capture_on_commit_callbacks(execute=False):  # the broker never got it
        doc_id = api_upload(officer_api, text=PERSONAL_TEXT).json()["id"]
    call_command("documents_reindex", "--rescan")
    assert Document.objects.get(pk=doc_id).scan_state == "done"


@pytest.mark.postgres
def test_only_published_documents_are_in_the_search_index(officer_api):
    doc_id = api_upload(officer_api, text=PERSONAL_TEXT).json()["id"]
    assert Document.objects.get(pk=doc_id).search_vector is None
    publish(officer_api, doc_id, confirm_personal_data=True, publish_override_reason="Data itu informasi publik.")
    assert "tenggarong" in Document.objects.get(pk=doc_id).search_vector
    officer_api.post(f"/api/v1/documents/{doc_id}/unpublish/", {"reason": "Salah unggah"}, format="json")
    assert Document.objects.get(pk=doc_id).search_vector is None
