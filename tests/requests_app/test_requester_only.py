"""The requester's own acts — withdraw, file a keberatan, report a dispute — need proof of being the requester
(the tracking-code session or the requester's own account); an officer's, Atasan's or admin's role is no proof.
Staff of the case's OPD may still look at the tracking page, without the requester's forms."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from requests_app.models import Case, CaseEvent, EventKind, Objection
from requests_app.services.actions import case_answer
from requests_app.services.intake import request_submit
from requests_app.services.objections import objection_answer, objection_file
from tests.conftest import dik_entry_make, png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))
STAFF = ["officer", "atasan", "admin_utama", "other_officer"]
STAFF_OF_THE_OPD = ["officer", "atasan", "admin_utama"]


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def citizen_user(db):
    return get_user_model().objects.create_user(username="siti", password="pw-Secret-1", email="siti@example.org")


@pytest.fixture
def make_submission(opds, calendar):
    def _make(requester_user=None):
        data = request_data()
        data.pop("opd")
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return request_submit(opd=opds["DINKES"], data=data, identity_document=upload, requester_user=requester_user)

    return _make


def answered(submission, officer):
    """An answer (rejected) on 1 April 2026: a keberatan may be filed from the next day."""
    case_answer(case=submission.case, actor=officer, decision="rejected_exempt",
                dik=dik_entry_make(submission.case.opd))


@pytest.fixture
def open_submission(make_submission):
    with at(dt.date(2026, 3, 13), 10):
        return make_submission()


@pytest.fixture
def answered_submission(make_submission, officer, atasan):
    with at(dt.date(2026, 3, 13), 10):
        sub = make_submission()
    with at(dt.date(2026, 4, 1), 14):
        answered(sub, officer)
    return sub


@pytest.fixture
def answered_objection(answered_submission, atasan):
    """A keberatan filed on 2 April and dismissed on 10 April: the requester may record a dispute."""
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=answered_submission.case, ground="a", reason="Data agregat saja.")
    with at(dt.date(2026, 4, 10)):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Uji konsekuensi benar.")
    return objection


def staff_client(request, role: str) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue(role))
    return client


def tracking_client(submission, client=None) -> Client:
    client = client or Client()
    response = client.post("/lacak/", {"registration_number": submission.case.registration_number,
                                       "tracking_code": submission.tracking_code})
    assert response.status_code == 302
    return client


def events_of(case, kind):
    return CaseEvent.objects.filter(case=case, kind=kind)


# ---------------------------------------------------------------------------------------------- staff refused


@pytest.mark.parametrize("role", STAFF)
def test_staff_cannot_withdraw_the_request(request, role, open_submission):
    case = open_submission.case
    events_before = case.events.count()
    client = staff_client(request, role)
    with at(dt.date(2026, 3, 16)):
        response = client.post(f"/lacak/{case.registration_number}/cabut/", {"note": "Dicabut petugas", "confirm": "1"})
    assert response.status_code == 404
    with at(dt.date(2026, 3, 16)):  # nor do they get the confirmation page
        assert client.get(f"/lacak/{case.registration_number}/cabut/").status_code == 404
    case.refresh_from_db()
    assert case.status == "submitted" and case.closed_at is None
    assert case.events.count() == events_before
    assert not events_of(case, EventKind.WITHDRAWN).exists()


@pytest.mark.parametrize("role", STAFF)
def test_staff_cannot_file_an_objection(request, role, answered_submission):
    case = answered_submission.case
    number = case.registration_number
    events_before = case.events.count()
    client = staff_client(request, role)
    with at(dt.date(2026, 4, 2)):
        assert client.get(f"/lacak/{number}/keberatan/")["Location"] == "/lacak/"
        response = client.post(f"/lacak/{number}/keberatan/", {"ground": "a", "reason": "Diajukan petugas."})
    assert response.status_code == 302 and response["Location"] == "/lacak/"
    assert not Objection.objects.exists()
    assert case.events.count() == events_before
    assert not events_of(case, EventKind.OBJECTION_FILED).exists()


@pytest.mark.parametrize("role", STAFF)
def test_staff_cannot_report_a_dispute(request, role, answered_submission, answered_objection):
    case = answered_submission.case
    events_before = case.events.count()
    client = staff_client(request, role)
    with at(dt.date(2026, 4, 20)):
        response = client.post(f"/lacak/{case.registration_number}/keberatan/"
                               f"{answered_objection.objection_number}/sengketa/", {"note": "Dicatat petugas"})
    assert response.status_code == 404
    answered_objection.refresh_from_db()
    assert answered_objection.status == "answered" and answered_objection.referred_at is None
    assert case.events.count() == events_before
    assert not events_of(case, EventKind.OBJECTION_REFERRED).exists()


@pytest.mark.parametrize("role", STAFF_OF_THE_OPD)
def test_staff_of_the_opd_see_the_tracking_page_without_the_requester_forms(request, role, answered_submission,
                                                                             answered_objection):
    number = answered_submission.case.registration_number
    client = staff_client(request, role)
    with at(dt.date(2026, 4, 20)):
        response = client.get(f"/lacak/{number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert answered_objection.objection_number in page  # read-only sight stays
    assert 'id="staff-view-note"' in page
    assert f"/lacak/{number}/keberatan/\"" not in page  # no "Ajukan keberatan" link
    assert "/sengketa/" not in page and "Catat pengajuan sengketa" not in page
    assert f"/lacak/{number}/cabut/" not in page


@pytest.mark.parametrize("role", STAFF_OF_THE_OPD)
def test_staff_of_the_opd_see_no_withdraw_form_on_an_open_request(request, role, open_submission):
    number = open_submission.case.registration_number
    page = staff_client(request, role).get(f"/lacak/{number}/").content.decode()
    assert "Cabut permohonan ini" not in page and f"/lacak/{number}/cabut/" not in page


def test_officer_of_another_opd_gets_the_tracking_form(request, open_submission):
    number = open_submission.case.registration_number
    response = staff_client(request, "other_officer").get(f"/lacak/{number}/")
    # The tracking form, with the number filled in (the code is never in a URL).
    assert response.status_code == 302 and response["Location"] == f"/lacak/?registration_number={number}"


# ---------------------------------------------------------------------------------------------- requester allowed


def requester_client(request, proof: str, submission, citizen_user) -> Client:
    """A client holding one proof of being the requester: the tracking-code session, the requester's account, or
    an officer of the OPD who typed the tracking code (helping at the desk): the code is the proof, not the role."""
    if proof == "account":
        client = Client()
        client.force_login(citizen_user)
        return client
    return tracking_client(submission, staff_client(request, "officer") if proof == "code_as_officer" else None)


@pytest.fixture(params=["code", "account", "code_as_officer"])
def proof(request):
    return request.param


@pytest.fixture
def requester_submission(proof, make_submission, citizen_user):
    return lambda: make_submission(requester_user=citizen_user if proof == "account" else None)


def test_requester_withdraws(request, proof, requester_submission, citizen_user):
    with at(dt.date(2026, 3, 13), 10):
        submission = requester_submission()
    client = requester_client(request, proof, submission, citizen_user)
    case = submission.case
    page = client.get(f"/lacak/{case.registration_number}/").content.decode()
    assert f'href="/lacak/{case.registration_number}/cabut/"' in page
    with at(dt.date(2026, 3, 16)):
        assert "Ya, cabut permohonan ini" in client.get(f"/lacak/{case.registration_number}/cabut/").content.decode()
        response = client.post(f"/lacak/{case.registration_number}/cabut/",
                               {"note": "Sudah dapat di tempat lain", "confirm": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"
    event = events_of(case, EventKind.WITHDRAWN).get()
    assert event.actor_id is None  # the requester's act, never a staff account's


def test_requester_files_an_objection_and_reports_the_dispute(request, proof, requester_submission, citizen_user,
                                                               officer, atasan):
    with at(dt.date(2026, 3, 13), 10):
        submission = requester_submission()
    with at(dt.date(2026, 4, 1), 14):
        answered(submission, officer)
    client = requester_client(request, proof, submission, citizen_user)
    number = submission.case.registration_number
    with at(dt.date(2026, 4, 2)):
        assert f"/lacak/{number}/keberatan/\"" in client.get(f"/lacak/{number}/").content.decode()
        response = client.post(f"/lacak/{number}/keberatan/", {"ground": "a", "reason": "Data agregat saja."})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{number}/"
    objection = Objection.objects.get()
    assert events_of(submission.case, EventKind.OBJECTION_FILED).get().actor_id is None
    with at(dt.date(2026, 4, 10)):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Uji konsekuensi benar.")
    with at(dt.date(2026, 4, 20)):
        assert "Catat pengajuan sengketa" in client.get(f"/lacak/{number}/").content.decode()
        response = client.post(f"/lacak/{number}/keberatan/{objection.objection_number}/sengketa/",
                               {"note": "Register KI Kaltim 12/2026"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "referred_to_commission"
    assert events_of(submission.case, EventKind.OBJECTION_REFERRED).get().actor_id is None


def test_an_officer_who_filed_with_their_own_account_is_the_requester(make_submission, officer):
    """An officer may ask for information too: with their own account they are that case's requester."""
    with at(dt.date(2026, 3, 13), 10):
        case = make_submission(requester_user=officer).case
    client = Client()
    client.force_login(officer)
    with at(dt.date(2026, 3, 16)):
        response = client.post(f"/lacak/{case.registration_number}/cabut/", {"confirm": "1"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "withdrawn"


def test_a_requester_account_proves_nothing_for_someone_elses_case(open_submission, citizen_user):
    client = Client()
    client.force_login(citizen_user)
    number = open_submission.case.registration_number
    assert client.post(f"/lacak/{number}/cabut/", {"confirm": "1"}).status_code == 404
    assert client.get(f"/lacak/{number}/")["Location"] == f"/lacak/?registration_number={number}"
    assert Case.objects.get(pk=open_submission.case.pk).status == "submitted"


# ---------------------------------------------------------------------------------------------- the API


@pytest.mark.parametrize("role", STAFF_OF_THE_OPD)
def test_api_objection_takes_the_tracking_code_never_staff_auth(request, role, answered_submission):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))
    number = answered_submission.case.registration_number
    with at(dt.date(2026, 4, 2)):
        missing = client.post("/api/v1/requests/objections/",
                              {"registration_number": number, "ground": "a", "reason": "x"}, format="json")
        wrong = client.post("/api/v1/requests/objections/",
                            {"registration_number": number, "tracking_code": "WRONGCODE234", "ground": "a",
                             "reason": "x"}, format="json")
    assert missing.status_code == 400 and wrong.status_code == 404
    assert not Objection.objects.exists()


@pytest.mark.parametrize("role", STAFF_OF_THE_OPD)
def test_api_case_actions_offer_no_withdraw(request, role, open_submission):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(role))
    case = open_submission.case
    with at(dt.date(2026, 3, 16)):
        response = client.post(f"/api/v1/cases/{case.registration_number}/actions/", {"action": "withdraw"},
                               format="json")
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "submitted"
    assert not events_of(case, EventKind.WITHDRAWN).exists()


# ---------------------------------------------------------------------------------------------- the Django admin


def test_django_admin_neither_files_nor_edits_an_objection(answered_submission, answered_objection):
    superuser = get_user_model().objects.create_superuser(username="root", password="pw-Secret-1",
                                                          email="root@example.org")
    client = Client()
    client.force_login(superuser)
    assert client.get("/django-admin/requests_app/objection/").status_code == 200  # it may still read them
    add = client.post("/django-admin/requests_app/objection/add/", {
        "objection_number": "KEB-DINKES-2026-00099", "case": answered_submission.case.pk,
        "opd": answered_submission.case.opd_id, "ground": "a", "reason": "x", "status": "filed",
        "filed_at_0": "2026-04-02", "filed_at_1": "09:00:00", "received_on": "2026-04-02", "due_date": "2026-05-20"})
    assert add.status_code == 403
    change = client.post(f"/django-admin/requests_app/objection/{answered_objection.pk}/change/",
                         {"status": "referred_to_commission"})
    assert change.status_code == 403
    assert Objection.objects.count() == 1
    answered_objection.refresh_from_db()
    assert answered_objection.status == "answered"
