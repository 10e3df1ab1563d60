"""The personal-data scanner's findings told in words (Indonesian, English for an English reader), with the
field named where a finding records it: on the review page, in the document's history and the case record."""

import pytest
from django.utils import translation

from documents_app.models import Document, DocumentEvent
from documents_app.services.scanning import describe_findings
from tests.documents_app.helpers import PERSONAL_TEXT, api_upload, publish

FINDINGS = [
    {"kind": "phone", "excerpt": "08**********90", "field": "text"},
    {"kind": "nik", "excerpt": "64************01", "field": "text"},
    {"kind": "nik", "excerpt": "64************02", "field": "title"},
    {"kind": "email", "excerpt": "b***@example.org"},
]


def test_findings_in_indonesian_with_the_field_named():
    with translation.override("id"):
        assert describe_findings(FINDINGS) == "NIK 1, NIK 1 (di judul), nomor telepon 1, alamat e-mail 1"
        assert describe_findings([{"kind": "nik"}, {"kind": "phone"}]) == "NIK 1, nomor telepon 1"


def test_findings_in_english():
    with translation.override("en"):
        assert describe_findings([{"kind": "nik"}, {"kind": "phone"}]) == "ID number (NIK) 1, phone number 1"
        assert describe_findings([{"kind": "phone", "field": "original_filename"}]) == \
            "phone number 1 (in the file name)"


def test_counts_by_kind_and_nothing():
    with translation.override("id"):
        assert describe_findings({"phone": 2, "nik": 1}) == "NIK 1, nomor telepon 2"
        assert describe_findings([]) == "" and describe_findings({}) == ""


@pytest.fixture
def scanned(officer_api):
    response = api_upload(officer_api, text=PERSONAL_TEXT, title="Penerima bantuan 2025")
    return Document.objects.get(pk=response.json()["id"])


def test_the_history_keeps_the_words_in_indonesian_and_no_raw_codes(scanned):
    note = scanned.events.get(kind=DocumentEvent.Kind.SCANNED).note
    assert note == "Ditemukan: NIK 1, nomor telepon 1, alamat e-mail 1."


def test_the_review_page_tells_the_findings_in_the_readers_language(client, officer, scanned):
    client.force_login(officer)
    html = client.get(f"/petugas/dokumen/{scanned.pk}/").content.decode()
    assert "NIK 1, nomor telepon 1, alamat e-mail 1" in html
    assert "nik 1" not in html and "phone 1" not in html
    client.cookies["django_language"] = "en"
    html = client.get(f"/petugas/dokumen/{scanned.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Found: ID number (NIK) 1, phone number 1, e-mail address 1." in html  # the history line
    assert 'id="findings-summary">ID number (NIK) 1, phone number 1, e-mail address 1<' in html


def test_publishing_without_confirmation_names_the_findings(officer_api, scanned):
    refused = publish(officer_api, scanned.pk)
    assert refused.status_code == 409
    assert "NIK 1, nomor telepon 1, alamat e-mail 1" in refused.json()["detail"][0]


def test_an_older_scan_event_with_counts_only_is_told_in_words(client, officer, scanned):
    event = scanned.events.get(kind=DocumentEvent.Kind.SCANNED)
    DocumentEvent.objects.filter(pk=event.pk).update(note="Ditemukan: email 1, nik 1, phone 1",
                                                     data={"counts": {"nik": 1, "phone": 1, "email": 1},
                                                           "state": "done"})
    client.force_login(officer)
    html = client.get(f"/petugas/dokumen/{scanned.pk}/").content.decode()
    assert "nik 1" not in html and "Ditemukan: NIK 1, nomor telepon 1, alamat e-mail 1." in html


def test_the_officers_document_list_tells_the_findings_in_words(client, officer, scanned):
    client.force_login(officer)
    html = client.get("/petugas/dokumen/").content.decode()
    assert '<span class="findings-words">NIK 1, nomor telepon 1, alamat e-mail 1</span>' in html
    client.cookies["django_language"] = "en"
    html = client.get("/petugas/dokumen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="findings-words">ID number (NIK) 1, phone number 1, e-mail address 1</span>' in html
