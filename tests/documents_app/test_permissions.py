"""The library's permission decisions (documents_app/permissions.py) answer alike on the pages and in the API.

One table: a draft and a published document, of DINKES and of DPUPR, × anonymous, a citizen, a pelaksana of
DINKES, a pelaksana of DPUPR, the Atasan PPID of DINKES and a PPID Utama admin, × seeing the document, publishing
the draft, unpublishing the published one. Each situation is sent to the page and to the API endpoint that do it,
and both must give the same outcome (and the expected one): shown or done, 404 out of scope, sign in first.

How a page's answer reads: a redirect to the login page is "sign in" (the API's 401); any other redirect after a
POST is "done" once the document's status changed as asked (the API's 200). A document is "shown" by the pages
when its public page or its officer's review page shows it; otherwise the public page's answer stands.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from rest_framework.test import APIClient

from documents_app import permissions
from documents_app.models import Document, DocumentStatus, ScanState
from opd_app.models import OPD, Role
from opd_app.services import officer_create
from ppid_portal.clock import now
from tests.conftest import pdf_bytes

ROLES = ("anonymous", "citizen", "pelaksana_dinkes", "pelaksana_dpupr", "atasan_dinkes", "utama")
# Whose documents each role manages (PPID Utama: every OPD's).
MANAGES = {"pelaksana_dinkes": {"DINKES"}, "pelaksana_dpupr": {"DPUPR"}, "atasan_dinkes": {"DINKES"},
           "utama": {"DINKES", "DPUPR"}}
SHOWN, DONE, SIGN_IN = "shown", "done", "sign in"


@pytest.fixture
def users(opds):
    password = "pw-Secret-1"
    return {
        "anonymous": None,
        "citizen": get_user_model().objects.create_user(username="warga", email="warga@example.org",
                                                        password=password),
        "pelaksana_dinkes": officer_create(username="petugas.dinkes", opd_code="DINKES", role=Role.PELAKSANA,
                                           password=password),
        "pelaksana_dpupr": officer_create(username="petugas.dpupr", opd_code="DPUPR", role=Role.PELAKSANA,
                                          password=password),
        "atasan_dinkes": officer_create(username="atasan.dinkes", opd_code="DINKES", role=Role.ATASAN,
                                        password=password),
        "utama": officer_create(username="admin.utama", opd_code="DISKOMINFO", role=Role.UTAMA, password=password),
    }


def make_document(opd_code: str, status: str, author) -> Document:
    moment = now()
    return Document.objects.create(
        title="Laporan keuangan", summary="Ringkasan", category="berkala", opd=OPD.objects.get(code=opd_code),
        file=ContentFile(pdf_bytes("Laporan"), name="doc.pdf"), original_filename="doc.pdf",
        content_type="application/pdf", size=100, sha256="0" * 64, status=status, scan_state=ScanState.DONE,
        personal_data_findings=[], published_at=moment if status == DocumentStatus.PUBLISHED else None,
        created_by=author, created_at=moment, updated_at=moment)


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def api_outcome(response):
    if response.status_code == 401:
        return SIGN_IN
    return {200: SHOWN}.get(response.status_code, response.status_code)


def page_outcome(response):
    if response.status_code == 302:
        return SIGN_IN if urlsplit(response["Location"]).path == "/masuk/" else DONE
    return {200: SHOWN}.get(response.status_code, response.status_code)


def expected(role: str, opd_code: str, status: str, act: str):
    manager = opd_code in MANAGES.get(role, set())
    if act == "see":
        return SHOWN if status == DocumentStatus.PUBLISHED or manager else 404
    if role == "anonymous":
        return SIGN_IN
    return DONE if manager else 404


def see_on_pages(user, document):
    client = page_client(user)
    public = page_outcome(client.get(f"/dokumen/{document.pk}/"))
    review = page_outcome(client.get(f"/petugas/dokumen/{document.pk}/"))
    return SHOWN if SHOWN in (public, review) else public


ACTS = {  # act: (the document's status, the page's POST body, the API's path and body, the status it leads to)
    "publish": (DocumentStatus.DRAFT, {"action": "publish"}, "publish", {}, DocumentStatus.PUBLISHED),
    "unpublish": (DocumentStatus.PUBLISHED, {"action": "unpublish", "reason": "Salah unggah"}, "unpublish",
                  {"reason": "Salah unggah"}, DocumentStatus.UNPUBLISHED),
}
SITUATIONS = [(opd, status, "see") for opd in ("DINKES", "DPUPR")
              for status in (DocumentStatus.DRAFT, DocumentStatus.PUBLISHED)]
SITUATIONS += [(opd, ACTS[act][0], act) for opd in ("DINKES", "DPUPR") for act in ACTS]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("opd_code", "status", "act"), SITUATIONS)
def test_page_and_api_answer_alike(users, role, opd_code, status, act):
    user, author = users[role], users["utama"]
    want = expected(role, opd_code, status, act)
    if act == "see":
        document = make_document(opd_code, status, author)
        page, api = see_on_pages(user, document), api_outcome(api_client(user).get(f"/api/v1/documents/{document.pk}/"))
        assert (page, api) == (want, want), f"{role} sees a {status} document of {opd_code}"
        return
    _status, body, path, api_body, after = ACTS[act]
    on_page, on_api = make_document(opd_code, status, author), make_document(opd_code, status, author)
    page = page_outcome(page_client(user).post(f"/petugas/dokumen/{on_page.pk}/aksi/", body))
    response = api_client(user).post(f"/api/v1/documents/{on_api.pk}/{path}/", api_body, format="json")
    api = DONE if response.status_code == 200 else api_outcome(response)
    for document in (on_page, on_api):
        document.refresh_from_db()
    changed = (on_page.status == after, on_api.status == after)
    assert (page, api) == (want, want), f"{role} may {act} a document of {opd_code}"
    assert changed == ((want == DONE),) * 2, f"{role} may {act} a document of {opd_code}: status changed {changed}"


def test_the_decisions_for_the_services_and_the_upload_form(users, opds):
    """The functions the services and the upload form ask agree with the table above."""
    for role, user in users.items():
        for code in ("DINKES", "DPUPR"):
            manager = code in MANAGES.get(role, set())
            assert permissions.can_manage_documents(user, opds[code].pk) is manager, (role, code)
        listed = set(permissions.upload_opds(user).values_list("code", flat=True))
        assert listed & {"DINKES", "DPUPR"} == MANAGES.get(role, set()), role
    assert set(permissions.upload_opds(users["utama"])) == set(opds.values())
    assert permissions.officer_refusal(users["anonymous"], names_a_document=True) is permissions.Refusal.SIGN_IN
    assert permissions.officer_refusal(users["citizen"], names_a_document=True) is permissions.Refusal.NOT_FOUND
    assert permissions.officer_refusal(users["citizen"], names_a_document=False) is permissions.Refusal.FORBIDDEN
    assert permissions.officer_refusal(users["pelaksana_dpupr"], names_a_document=True) is None
