"""The requester's identity scan on disk and on the wire: stored and served under the type its content shows,
as a sandboxed download; its file removed when the submission rolls back or the case is deleted."""

import os
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from requests_app.models import Case
from requests_app.services.attachments import attachment_add, letter_attach
from tests.conftest import png_bytes, request_data

# PDF magic, HTML and script after it: a polyglot a browser would render as a page if served as one.
PDF_POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def identity_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "private" / "identity"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def media_path(name: str) -> str:
    return os.path.join(settings.MEDIA_ROOT, name)


def post_request(api, upload):
    data = request_data()
    data["identity_document"] = upload
    return api.post("/api/v1/requests/", data, format="multipart")


@pytest.fixture
def api(opds, calendar):
    return APIClient()


def download(client, case):
    return client.get(f"/petugas/kasus/{case.registration_number}/identitas/")


def test_pdf_uploaded_as_html_is_stored_and_served_as_a_sandboxed_pdf_download(api, client, officer):
    response = post_request(api, SimpleUploadedFile("evil.html", PDF_POLYGLOT, content_type="text/html"))
    assert response.status_code == 201, response.content
    case = Case.objects.get(registration_number=response.json()["registration_number"])
    assert case.identity_document.name.startswith("private/identity/")
    assert case.identity_document.name.endswith(".pdf") and "evil" not in case.identity_document.name
    assert case.identity_document_type == "application/pdf"
    with open(media_path(case.identity_document.name), "rb") as fh:
        assert fh.read() == PDF_POLYGLOT

    client.force_login(officer)
    served = download(client, case)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert f'filename="identitas-{case.registration_number}.pdf"' in served["Content-Disposition"]
    assert "sandbox" in served["Content-Security-Policy"].split("; ")
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == PDF_POLYGLOT


def test_png_keeps_png_whatever_the_uploaded_name(api):
    response = post_request(api, SimpleUploadedFile("ktp.pdf.exe", png_bytes(), content_type="application/pdf"))
    case = Case.objects.get(registration_number=response.json()["registration_number"])
    assert case.identity_document.name.endswith(".png")
    assert case.identity_document_type == "image/png"


def test_legacy_scan_under_a_wrong_extension_is_served_by_its_bytes(submit, client, officer):
    case = submit().case
    legacy = default_storage.save("private/identity/legacy-upload.html", ContentFile(png_bytes()))
    Case.objects.filter(pk=case.pk).update(identity_document=legacy, identity_document_type="")
    client.force_login(officer)
    served = download(client, case)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert f'filename="identitas-{case.registration_number}.png"' in served["Content-Disposition"]
    assert served["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in served["Content-Security-Policy"].split("; ")


def test_legacy_file_of_no_accepted_type_is_served_as_opaque_bytes(submit, client, officer):
    case = submit().case
    legacy = default_storage.save("private/identity/legacy-page.png", ContentFile(b"<script>alert(1)</script>"))
    Case.objects.filter(pk=case.pk).update(identity_document=legacy, identity_document_type="image/png")
    client.force_login(officer)
    served = download(client, case)
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in served["Content-Security-Policy"].split("; ")


def test_answer_material_is_stored_under_its_sniffed_type_not_its_name(submit, officer):
    case = submit().case
    att = attachment_add(case=case, actor=officer,
                         upload=SimpleUploadedFile("laporan.html", PDF_POLYGLOT, content_type="text/html"))
    assert att.file.name.endswith(".pdf") and att.content_type == "application/pdf"
    assert att.filename == "laporan.html"  # the name shown to people stays as given


# ------------------------------------------------------------------------------------------------ clean-up


def test_a_submission_that_rolls_back_leaves_no_file(submit):
    submit()  # the calendar and counters exist; one file is there before
    before = identity_files()
    with mock.patch("requests_app.services.intake.notifications_queue", side_effect=RuntimeError("db down")), \
            pytest.raises(RuntimeError):
        submit()
    assert identity_files() == before
    assert Case.objects.count() == 1


def test_a_submission_failing_in_the_database_leaves_no_file(submit):
    before = identity_files()
    from django.db import IntegrityError

    with mock.patch("requests_app.services.intake.event_record", side_effect=IntegrityError("constraint")), \
            pytest.raises(IntegrityError):
        submit()
    assert identity_files() == before
    assert not Case.objects.exists()


@pytest.fixture
def case_with_files(submit, officer):
    case = submit().case
    letter = letter_attach(case=case, kind="receipt", filename="receipt.pdf", pdf=b"%PDF-1.4 letter")
    material = attachment_add(case=case, actor=officer,
                              upload=SimpleUploadedFile("data.png", png_bytes(), content_type="image/png"))
    paths = [media_path(case.identity_document.name), media_path(letter.file.name), media_path(material.file.name)]
    assert all(os.path.exists(p) for p in paths)
    return case, paths


def test_deleting_a_case_removes_its_files_after_commit(case_with_files, django_capture_on_commit_callbacks):
    case, paths = case_with_files
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.get(pk=case.pk).delete()
        assert all(os.path.exists(p) for p in paths)  # not before the delete is committed
    assert not any(os.path.exists(p) for p in paths)


def test_deleting_cases_by_queryset_removes_their_files(case_with_files, submit,
                                                         django_capture_on_commit_callbacks):
    case, paths = case_with_files
    other = submit().case
    paths.append(media_path(other.identity_document.name))
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk__in=[case.pk, other.pk]).delete()
    assert not any(os.path.exists(p) for p in paths)


def test_a_rolled_back_delete_keeps_the_files(case_with_files, django_capture_on_commit_callbacks):
    case, paths = case_with_files
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).delete()
            raise RuntimeError("abort")
    assert callbacks == []
    assert Case.objects.filter(pk=case.pk).exists()
    assert all(os.path.exists(p) for p in paths)


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw-Secret-1"))
    return client


def test_admin_delete_is_refused_and_the_files_stay(case_with_files, superuser_client,
                                                   django_capture_on_commit_callbacks):
    # A case's events are immutable (their admin grants no delete), so the admin cannot delete a case either:
    # whatever deletes one goes through Case.delete / the queryset's delete above.
    case, paths = case_with_files
    with django_capture_on_commit_callbacks(execute=True):
        single = superuser_client.post(f"/django-admin/requests_app/case/{case.pk}/delete/", {"post": "yes"})
        bulk = superuser_client.post("/django-admin/requests_app/case/", {
            "action": "delete_selected", "_selected_action": [case.pk], "post": "yes"})
    assert single.status_code == 403 and bulk.status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()
    assert all(os.path.exists(p) for p in paths)
