"""The pages and the API give the same answer to the same situation: one table, each cell asked of both.

Situations: reading a case of DINKES, acting on it (acknowledge; assigning another officer), and filing a keberatan
on it as its requester. Roles: anonymous; a citizen account (not the requester); the requester's own account; the
PPID Pelaksana of DINKES (own OPD) and of DPUPR (other OPD); the Atasan PPID of DINKES and of DPUPR; a PPID Utama
admin. Each answer is read as an outcome, so the two idioms of "sign in first" compare equal (a staff page redirects
to the login page, the token-first API answers 401), as do "done" (the page redirects after the act with a success
message, the API answers 200/201).

The rule both follow (opd_app/permissions.py): out of scope is 404; 403 only where the user may see the object but
the role may not do what was asked.

Cells where the two answer differently today are `Differs(page=…, api=…)`: the test pins both answers so neither
changes unnoticed, and the comment says which answer the lead should choose.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opd_app.models import OPD, Membership, Role
from opd_app.permissions import opd_filter_ids_for
from opd_app.services import officer_create
from ppid_portal.clock import now
from requests_app.models import Case, Objection, Status
from requests_app.permissions import case_for_officer_or_404
from requests_app.services.intake import request_submit
from tests.conftest import png_bytes, request_data
from tests.module_data import directory_and_calendar_seed, officers_create, rolled_back_at_end

ROLES = ("anonymous", "citizen", "requester", "officer", "foreign", "atasan", "foreign_atasan", "utama")

OK = "ok"  # shown, or done (a page's redirect after a success message; the API's 200/201)
LOGIN = "sign in first"  # a page's redirect to the login page; the API's 401
NOT_FOUND = "404"
FORBIDDEN = "403"
# The pages' own answers, with no API twin.
REFUSED_WITH_MESSAGE = "redirect back with an error message"
TO_TRACKING_FORM = "redirect to the tracking form"


@dataclass(frozen=True)
class Differs:
    """A cell where page and API answer differently today; `lead` says which answer to choose."""

    page: str
    api: str
    lead: str


def E(anonymous, citizen, requester, officer, foreign, atasan, foreign_atasan, utama) -> dict:  # noqa: N802
    return dict(zip(ROLES, (anonymous, citizen, requester, officer, foreign, atasan, foreign_atasan, utama),
                    strict=True))


# An officer may see the case but a PPID Pelaksana may not assign it to someone else (can_assign): the service
# raises NotPermitted. The API answers 403 (the rule above); the page, like for every refused act (an illegal
# transition is also a flash there, a 409 on the API), redirects back to the case with the error message.
# Lead: choose the API's 403 as the rule's answer, and keep the page's redirect-with-message as the pages' way of
# saying 403 in a form (the officer stays on the case and reads why), unless the pages should render 403.
ASSIGN_REFUSED = Differs(page=REFUSED_WITH_MESSAGE, api=FORBIDDEN, lead="403 (API); the page's flash is its form idiom")

# Without the requester's proof a keberatan is refused: the page sends the browser to the tracking form (where the
# tracking code is the proof), the API, which takes the code in the body, answers 404 "number or code do not
# match". Lead: choose 404 for the API (a wrong code confirms nothing) and keep the page's redirect to the form,
# which tests/security/test_access_matrix.py (REFUSED) already accepts as the same refusal.
NO_PROOF = Differs(page=TO_TRACKING_FORM, api=NOT_FOUND, lead="keep both: the page offers the form to prove it")

EXPECTED = {
    "case read": E(LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK),
    "case acknowledge": E(LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, OK),
    "case assign another officer": E(LOGIN, NOT_FOUND, NOT_FOUND, ASSIGN_REFUSED, NOT_FOUND, OK, NOT_FOUND, OK),
    "objection filing": E(NO_PROOF, NO_PROOF, OK, NO_PROOF, NO_PROOF, NO_PROOF, NO_PROOF, NO_PROOF),
}


class World:
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once inside a transaction rolled back at the end; each test runs in a savepoint inside it."""
    with rolled_back_at_end(django_db_blocker):
        yield _build_world()


def _build_world() -> World:
    w = World()
    directory_and_calendar_seed()
    password = "pw-Secret-1"
    users = get_user_model().objects
    w.users = {
        "citizen": users.create_user(username="warga", email="warga@example.org", password=password),
        "requester": users.create_user(username="pemohon", email="pemohon@example.org", password=password),
        **officers_create(password),
    }
    officer_create(username="petugas2.dinkes", opd_code="DINKES", role=Role.PELAKSANA, password=password)
    w.tokens = {role: Token.objects.create(user=user).key for role, user in w.users.items()}
    dinkes = OPD.objects.get(code="DINKES")

    def submit():
        data = request_data()
        data.pop("opd")
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return request_submit(opd=dinkes, data=data, identity_document=upload, requester_user=w.users["requester"])

    w.case = submit().case  # open, submitted
    objectable = submit()  # answered with a refusal, no objection yet
    w.objectable, w.objectable_code = objectable.case, objectable.tracking_code
    Case.objects.filter(pk=w.objectable.pk).update(
        status=Status.ANSWERED, decision="rejected_exempt", exemption="a", answered_at=now())
    return w


def _page_request(situation, w):
    n = w.case.registration_number
    return {
        "case read": ("get", f"/petugas/kasus/{n}/", None),
        "case acknowledge": ("post", f"/petugas/kasus/{n}/aksi/", {"action": "acknowledge", "note": "Diproses"}),
        "case assign another officer": ("post", f"/petugas/kasus/{n}/aksi/",
                                        {"action": "assign", "officer": "petugas2.dinkes"}),
        "objection filing": ("post", f"/lacak/{w.objectable.registration_number}/keberatan/",
                             {"ground": "a", "reason": "Permohonan saya ditolak tanpa alasan"}),
    }[situation]


def _api_request(situation, w, role):
    n = w.case.registration_number
    # The API's proof of being the requester is the tracking code; whoever else asks does not hold it.
    code = w.objectable_code if role == "requester" else "ABCDEFGHJKLM"
    return {
        "case read": ("get", f"/api/v1/cases/{n}/", None),
        "case acknowledge": ("post", f"/api/v1/cases/{n}/actions/", {"action": "acknowledge", "note": "Diproses"}),
        "case assign another officer": ("post", f"/api/v1/cases/{n}/actions/",
                                        {"action": "assign", "officer": "petugas2.dinkes"}),
        "objection filing": ("post", "/api/v1/requests/objections/",
                             {"registration_number": w.objectable.registration_number, "tracking_code": code,
                              "ground": "a", "reason": "Permohonan saya ditolak tanpa alasan"}),
    }[situation]


def page_outcome(response) -> str:
    status = response.status_code
    if status != 302:
        return {200: OK, 403: FORBIDDEN, 404: NOT_FOUND}.get(status, str(status))
    where = urlsplit(response["Location"]).path
    if where == "/masuk/":
        return LOGIN
    if where == "/lacak/":
        return TO_TRACKING_FORM
    levels = {m.level for m in get_messages(response.wsgi_request)}
    return REFUSED_WITH_MESSAGE if message_levels.ERROR in levels else OK


def api_outcome(response) -> str:
    return {200: OK, 201: OK, 401: LOGIN, 403: FORBIDDEN, 404: NOT_FOUND}.get(response.status_code,
                                                                                str(response.status_code))


def _ask_page(w, role, situation):
    client = Client()
    if role in w.users:
        client.force_login(w.users[role])
    method, url, body = _page_request(situation, w)
    return getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)


def _ask_api(w, role, situation):
    client = APIClient()
    if role in w.tokens:
        client.credentials(HTTP_AUTHORIZATION=f"Token {w.tokens[role]}")
    method, url, body = _api_request(situation, w, role)
    return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)


CELLS = [(situation, role) for situation in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("situation", "role"), CELLS, ids=[f"{s} as {r}" for s, r in CELLS])
def test_page_and_api_answer_alike(world, db, situation, role):
    expected = EXPECTED[situation][role]
    # Each side in its own savepoint: what the page did (an acknowledgement, a keberatan) must not change the
    # situation the API is asked about.
    with transaction.atomic():
        page = page_outcome(_ask_page(world, role, situation))
        transaction.set_rollback(True)
    with transaction.atomic():
        api = api_outcome(_ask_api(world, role, situation))
        transaction.set_rollback(True)
    if isinstance(expected, Differs):
        assert (page, api) == (expected.page, expected.api), f"{situation} as {role}: page {page}, API {api}"
    else:
        assert page == api == expected, f"{situation} as {role}: page {page}, API {api}, expected {expected}"


def test_a_refused_objection_filing_files_nothing(world, db):
    """The refusals above change nothing: no keberatan exists after every role but the requester has tried."""
    for role in ROLES:
        if role != "requester":
            _ask_page(world, role, "objection filing")
            _ask_api(world, role, "objection filing")
    assert not Objection.objects.filter(case=world.objectable).exists()


def test_in_scope_lookup_is_404_outside_the_scope(world, db):
    """The one helper both pages and API use: another OPD's case does not exist for its officers."""
    n = world.case.registration_number
    assert case_for_officer_or_404(world.users["officer"], n).pk == world.case.pk
    assert case_for_officer_or_404(world.users["utama"], n).pk == world.case.pk
    for role in ("foreign", "foreign_atasan", "citizen", "requester"):
        with pytest.raises(Http404):
            case_for_officer_or_404(world.users[role], n)


def test_queue_opd_filter_choices(world, db):
    assert opd_filter_ids_for(world.users["utama"]) is None
    assert opd_filter_ids_for(world.users["officer"]) == set()  # one OPD: no filter offered
    officer_create(username="petugas.ganda", opd_code="DINKES", role=Role.PELAKSANA, password="pw-Secret-1")
    two = get_user_model().objects.get(username="petugas.ganda")
    Membership.objects.create(user=two, opd=OPD.objects.get(code="DPUPR"), role=Role.PELAKSANA)
    assert opd_filter_ids_for(two) == set(OPD.objects.filter(code__in=["DINKES", "DPUPR"]).values_list("pk", flat=True))


