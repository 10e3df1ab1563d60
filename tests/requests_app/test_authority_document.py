"""A legal entity, a group, or someone filing for another brings papers: the deed or registration, or a surat kuasa
(the authority document). Required then on every surface (the web form, the public API, the desk), checked by
content, stored under a random private name, served only to the officers of the case, purged with the identity scan."""

import datetime as dt
import os

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from requests_app.models import Case, CaseEvent, EventKind
from tests.conftest import pdf_bytes, png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))
ENTITY = {"requester_type": "legal_entity", "identity_number": "AHU-0012345.AH.01.01", "name": "PT Maju Jaya"}
FOR_ANOTHER = {"on_behalf_of": "Hj. Aminah (ibu pemohon)"}


def identity():
    return SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")


def deed():
    return SimpleUploadedFile("akta.pdf", pdf_bytes("Akta pendirian PT Maju Jaya"), content_type="application/pdf")


def disguised():
    return SimpleUploadedFile("akta.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def web_form(client, **overrides):
    data = {**request_data(), "publish_consent": "on", "identity_document": identity(), **overrides}
    return client.post("/permohonan/baru/", {k: v for k, v in data.items() if v is not None})


def public_api(client, **overrides):
    data = {**request_data(), "identity_document": identity(), **overrides}
    return client.post("/api/v1/requests/", {k: v for k, v in data.items() if v is not None}, format="multipart")


def desk_api(client, **overrides):
    data = {**request_data(), "channel": "letter", **overrides}
    return client.post("/api/v1/cases/", {k: v for k, v in data.items() if v is not None}, format="multipart")


@pytest.fixture
def surfaces(opds, calendar, officer):
    desk = APIClient()
    desk.force_authenticate(officer)
    return {
        "web form": (lambda **kw: web_form(Client(), **kw), 302),
        "public API": (lambda **kw: public_api(APIClient(), **kw), 201),
        "desk API": (lambda **kw: desk_api(desk, **kw), 201),
    }


def errors_of(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return " ".join(response.json().get("authority_document", []))
    page = response.content.decode()
    return page.split('id="f-authority_document"')[1].split("</div>\n</div>")[0] if 'id="f-authority' in page else ""


@pytest.mark.parametrize("surface", ["web form", "public API", "desk API"])
@pytest.mark.parametrize("who", [ENTITY, {"requester_type": "group"}, FOR_ANOTHER], ids=["legal entity", "group",
                                                                                        "on behalf of"])
def test_required_for_a_legal_entity_a_group_and_someone_filing_for_another(surfaces, surface, who):
    send, created = surfaces[surface]
    response = send(**who)
    assert response.status_code == 400
    assert "surat kuasa" in errors_of(response)
    assert not Case.objects.exists()
    assert send(**who, authority_document=deed()).status_code == created
    case = Case.objects.get()
    assert case.authority_document_type == "application/pdf"
    assert case.authority_document.name.startswith("private/authority/") and case.authority_document.name.endswith(
        ".pdf")
    assert "akta" not in case.authority_document.name  # never the uploader's name


@pytest.mark.parametrize("surface", ["web form", "public API", "desk API"])
def test_checked_by_content(surfaces, surface):
    send, _created = surfaces[surface]
    response = send(**ENTITY, authority_document=disguised())
    assert response.status_code == 400
    assert "bukan" in errors_of(response)
    assert not Case.objects.exists()


@pytest.mark.parametrize("surface", ["web form", "public API", "desk API"])
def test_an_individual_filing_for_themselves_needs_none(surfaces, surface):
    send, created = surfaces[surface]
    assert send().status_code == created
    assert not Case.objects.get().authority_document


@pytest.mark.parametrize("surface", ["web form", "public API"])
def test_on_behalf_of_is_length_limited(surfaces, surface):
    send, _created = surfaces[surface]
    response = send(on_behalf_of="x" * 201, authority_document=deed())
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_the_web_form_asks_for_it(opds, calendar):
    import re

    page = Client().get("/permohonan/baru/").content.decode()
    field = re.search(r'<input type="file" name="authority_document"[^>]*>', page).group(0)
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in field and "required" not in field
    assert re.search(r'<input type="text" name="on_behalf_of"[^>]*maxlength="200"', page)


def test_served_only_to_the_officers_of_the_case(opds, calendar, officer, other_officer, submit):
    from requests_app.services.intake import request_submit

    data = request_data(**FOR_ANOTHER)
    data.pop("opd")
    case = request_submit(opd=opds["DINKES"], data=data, identity_document=identity(),
                          authority_document=SimpleUploadedFile("kuasa.png", png_bytes(), "image/png")).case
    url = f"/petugas/kasus/{case.registration_number}/kewenangan/"
    own = Client()
    own.force_login(officer)
    response = own.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"] and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == png_bytes()
    page = own.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    assert url in page and "Hj. Aminah" in page
    foreign = Client()
    foreign.force_login(other_officer)
    assert foreign.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    # A case without one: 404.
    plain = submit().case
    assert own.get(f"/petugas/kasus/{plain.registration_number}/kewenangan/").status_code == 404
    # The public API's tracking answer never mentions it.
    assert "kewenangan" not in str(APIClient().get("/api/v1/requests/track/", {
        "registration_number": case.registration_number, "tracking_code": "X"}).content)


def test_the_retention_sweep_purges_it_with_the_identity_scan(opds, calendar, officer,
                                                              django_capture_on_commit_callbacks):
    from requests_app.deadlines.sweep import sweep_run
    from requests_app.services.actions import case_answer, case_close
    from requests_app.services.intake import request_submit

    data = request_data(**ENTITY)
    data.pop("opd")
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, tzinfo=WITA), tick=False):
        case = request_submit(opd=opds["DINKES"], data=data, identity_document=identity(),
                              authority_document=deed()).case
    paths = [os.path.join(settings.MEDIA_ROOT, f.name) for f in (case.identity_document, case.authority_document)]
    assert all(os.path.exists(p) for p in paths)
    with time_machine.travel(dt.datetime(2026, 4, 1, 14, tzinfo=WITA), tick=False):
        case = case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=WITA), tick=False):
        case_close(case=case, actor=officer)
    # The objection filing window ends on 19 May 2026; 180 days more: kept until 15 November 2026.
    with time_machine.travel(dt.datetime(2026, 11, 16, 10, tzinfo=WITA), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert sweep_run()["identity_documents_purged"] == 1
    fresh = Case.objects.get(pk=case.pk)
    assert not fresh.identity_document and not fresh.authority_document and fresh.authority_document_type == ""
    assert not any(os.path.exists(p) for p in paths)
    event = CaseEvent.objects.get(case=fresh, kind=EventKind.IDENTITY_DOCUMENT_PURGED)
    assert event.data["purged"] == ["identity_document", "authority_document"]
    assert "dokumen kewenangan" in event.note and event.public is False


def test_the_sweep_purges_an_authority_document_alone(opds, calendar, officer, django_capture_on_commit_callbacks):
    """A request recorded at the desk whose identity scan never came: its surat kuasa is purged all the same."""
    from requests_app.deadlines.sweep import sweep_run
    from requests_app.services.actions import case_answer, case_close
    from requests_app.services.intake import request_record

    data = request_data(**FOR_ANOTHER)
    data.pop("opd")
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, tzinfo=WITA), tick=False):
        case = request_record(opd=opds["DINKES"], data=data, recorded_by=officer,
                              authority_document=deed()).case
    assert case.identity_owed and not case.identity_document
    with time_machine.travel(dt.datetime(2026, 4, 1, 14, tzinfo=WITA), tick=False):
        case = case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")
    with time_machine.travel(dt.datetime(2026, 4, 2, 9, tzinfo=WITA), tick=False):
        case_close(case=case, actor=officer)
    with time_machine.travel(dt.datetime(2026, 11, 16, 10, tzinfo=WITA), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert sweep_run()["identity_documents_purged"] == 1
    fresh = Case.objects.get(pk=case.pk)
    assert not fresh.authority_document and not fresh.identity_owed
    assert CaseEvent.objects.get(case=fresh, kind=EventKind.IDENTITY_DOCUMENT_PURGED).data["purged"] == [
        "authority_document"]


def test_deleting_a_case_deletes_its_authority_document(opds, calendar, django_capture_on_commit_callbacks):
    from requests_app.services.intake import request_submit

    data = request_data(**ENTITY)
    data.pop("opd")
    case = request_submit(opd=opds["DINKES"], data=data, identity_document=identity(), authority_document=deed()).case
    path = os.path.join(settings.MEDIA_ROOT, case.authority_document.name)
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=case.pk).delete()
    assert not os.path.exists(path)
