"""Publishing a document with personal-data findings: the redacted upload is the primary action; publishing as
it is ("publish anyway") is secondary and needs a written reason, kept on the document, on its history, on the
review page and (for a case's document) on the case's record; the API asks for the same reason."""

import re

import pytest

from documents_app.models import Document, DocumentEvent, DocumentStatus
from ppid_portal.limits import TEXT_MAX_LENGTH
from tests.documents_app.helpers import PERSONAL_TEXT, api_upload, publish

REASON = "Nomor telepon itu nomor layanan resmi dinas, memang informasi publik."


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def risky(officer_api):
    """A draft whose text holds a NIK, a phone number and an e-mail address."""
    response = api_upload(officer_api, text=PERSONAL_TEXT, title="Penerima bantuan 2025")
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["id"])
    assert document.personal_data_findings
    return document


def _action(client, document, **body):
    return client.post(f"/petugas/dokumen/{document.pk}/aksi/", {"action": "publish", **body})


def test_the_redacted_upload_is_the_primary_action_and_publish_anyway_secondary(officer_client, risky):
    html = officer_client.get(f"/petugas/dokumen/{risky.pk}/").content.decode()
    replace = html.index('value="replace"')
    anyway = html.index('id="publish-anyway"')
    assert replace < anyway  # the safe way comes first
    replace_button = re.search(r'<button class="([^"]+)" type="submit">Unggah versi yang disamarkan</button>', html)
    assert replace_button and replace_button.group(1) == "btn"
    anyway_button = re.search(r'<button class="([^"]+)" type="submit">Tetap publikasikan</button>', html)
    assert anyway_button and anyway_button.group(1) == "btn btn-secondary"
    assert 'name="publish_override_reason"' in html and f'maxlength="{TEXT_MAX_LENGTH}"' in html
    assert "Alasan mempublikasikan meskipun ada temuan" in html


@pytest.mark.parametrize("reason", ["", "   "])
def test_publish_anyway_without_a_reason_is_refused_beside_the_field(officer_client, risky, reason):
    response = _action(officer_client, risky, confirm_personal_data="1", publish_override_reason=reason)
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="f-publish_override_reason"'):]
    field = field[:field.index("</textarea>")]
    assert 'class="field-error"' in field and "Tulis alasan mempublikasikan dokumen ini" in field
    risky.refresh_from_db()
    assert risky.status == DocumentStatus.DRAFT and not risky.personal_data_confirmed
    assert not risky.events.filter(kind=DocumentEvent.Kind.PUBLISHED).exists()


def test_a_refused_form_keeps_the_text_typed(officer_client, risky):
    # Without the confirmation box: refused, and the reason already written is still in its field.
    response = _action(officer_client, risky, publish_override_reason="Nomor layanan resmi & publik")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nomor layanan resmi &amp; publik</textarea>" in html
    assert 'id="f-confirm_personal_data"' in html
    assert "Centang pernyataan ini untuk mempublikasikan tanpa menyamarkan." in html
    risky.refresh_from_db()
    assert risky.status == DocumentStatus.DRAFT


def test_an_overlong_reason_is_refused(officer_client, risky):
    response = _action(officer_client, risky, confirm_personal_data="1",
                       publish_override_reason="x" * (TEXT_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert str(TEXT_MAX_LENGTH) in response.content.decode()
    risky.refresh_from_db()
    assert risky.status == DocumentStatus.DRAFT


def test_publish_anyway_with_a_reason_keeps_it_on_the_record_and_the_page(officer_client, risky):
    response = _action(officer_client, risky, confirm_personal_data="1", publish_override_reason=f"  {REASON} ")
    assert response.status_code == 302
    risky.refresh_from_db()
    assert risky.status == DocumentStatus.PUBLISHED
    assert risky.publish_override_reason == REASON
    published = risky.events.get(kind=DocumentEvent.Kind.PUBLISHED)
    assert published.note == REASON and published.data["override_reason"] == REASON
    assert risky.events.get(kind=DocumentEvent.Kind.CONFIRMED).note == REASON
    html = officer_client.get(f"/petugas/dokumen/{risky.pk}/").content.decode()
    box = html[html.index('id="override-reason"'):]
    assert "Dipublikasikan meskipun ada temuan" in box[:300] and REASON in box[:400]


def test_the_reason_reads_in_english(officer_client, risky):
    _action(officer_client, risky, confirm_personal_data="1", publish_override_reason=REASON)
    officer_client.cookies["django_language"] = "en"
    html = officer_client.get(f"/petugas/dokumen/{risky.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Published despite the findings. Reason:" in html


def test_a_case_document_puts_the_reason_on_the_case_record(officer_client, officer_api, submit):
    from requests_app.models import EventKind

    case = submit().case
    response = api_upload(officer_api, text=PERSONAL_TEXT, registration_number=case.registration_number)
    document = Document.objects.get(pk=response.json()["id"])
    assert document.case_id == case.pk
    _action(officer_client, document, confirm_personal_data="1", publish_override_reason=REASON)
    event = case.events.filter(kind=EventKind.PERSONAL_DATA_CHECK, data__decision="confirmed").get()
    assert REASON in event.note and event.data["reason"] == REASON and not event.public


def test_a_document_without_findings_publishes_without_a_reason(officer_client, officer_api):
    document = Document.objects.get(pk=api_upload(officer_api).json()["id"])
    html = officer_client.get(f"/petugas/dokumen/{document.pk}/").content.decode()
    assert 'name="publish_override_reason"' not in html
    assert _action(officer_client, document).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED and document.publish_override_reason == ""


def test_the_api_needs_the_reason_when_there_are_findings(officer_api, risky):
    refused = publish(officer_api, risky.pk, confirm_personal_data=True)
    assert refused.status_code == 400
    assert "publish_override_reason" in refused.json()
    too_long = publish(officer_api, risky.pk, confirm_personal_data=True,
                       publish_override_reason="x" * (TEXT_MAX_LENGTH + 1))
    assert too_long.status_code == 400
    risky.refresh_from_db()
    assert risky.status == DocumentStatus.DRAFT
    done = publish(officer_api, risky.pk, confirm_personal_data=True, publish_override_reason=REASON)
    assert done.status_code == 200, done.content
    assert done.json()["publish_override_reason"] == REASON
    risky.refresh_from_db()
    assert risky.status == DocumentStatus.PUBLISHED and risky.publish_override_reason == REASON


def test_the_confirm_action_over_findings_needs_the_reason_too(officer_client, risky):
    response = officer_client.post(f"/petugas/dokumen/{risky.pk}/aksi/", {"action": "confirm"}, follow=True)
    assert "Tulis alasan" in response.content.decode()
    risky.refresh_from_db()
    assert not risky.personal_data_confirmed


def test_a_redacted_replacement_clears_the_old_reason(officer_client, officer_api, risky):
    from tests.documents_app.helpers import pdf_upload

    risky_confirmed = officer_client.post(f"/petugas/dokumen/{risky.pk}/aksi/", {"action": "confirm", "note": REASON})
    assert risky_confirmed.status_code == 302
    risky.refresh_from_db()
    assert risky.publish_override_reason == REASON
    officer_client.post(f"/petugas/dokumen/{risky.pk}/aksi/",
                        {"action": "replace", "file": pdf_upload("Daftar penerima bantuan tanpa data pribadi")})
    risky.refresh_from_db()
    assert risky.publish_override_reason == "" and not risky.personal_data_confirmed
    assert risky.events.filter(kind=DocumentEvent.Kind.CONFIRMED, note=REASON).exists()
