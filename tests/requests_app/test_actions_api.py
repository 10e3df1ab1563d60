"""POST /api/v1/cases/{n}/actions/: every action's legal and illegal transitions, reasons, events, scoping."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import TestCase
from rest_framework.test import APIClient

from requests_app.models import Case, CaseEvent, Status

WITA = dt.timezone(dt.timedelta(hours=8))
SUBMIT_AT = dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA)  # due Mon 6 Apr 2026


@pytest.fixture
def case(submit):
    with time_machine.travel(SUBMIT_AT, tick=False):
        return submit().case


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def act(user, case, **body):
    # Run what the action enqueues on commit (e-mails), as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client_for(user).post(f"/api/v1/cases/{case.registration_number}/actions/", body, format="json")


def set_status(case, status):
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()


@time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), tick=False)
def test_acknowledge_moves_to_in_process_and_claims(case, officer):
    response = act(officer, case, action="acknowledge", note="Sedang dicari datanya")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_process"
    assert body["assigned_to"] == "petugas.dinkes"
    event = body["events"][-1]
    assert (event["kind"], event["from_status"], event["to_status"], event["actor"]) == (
        "acknowledged", "submitted", "in_process", "petugas.dinkes")
    # The contract's case shape, with the requester's identity for the handling officer.
    assert body["requester"]["identity_number"] == "6403012345678901"
    assert set(body) >= {"registration_number", "status", "decision", "opd", "assigned_to", "received_at",
                         "due_date", "extended_due_date", "overdue", "requester", "events"}


@time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), tick=False)
def test_acknowledge_twice_is_409(case, officer):
    assert act(officer, case, action="acknowledge").status_code == 200
    response = act(officer, case, action="acknowledge")
    assert response.status_code == 409
    assert "detail" in response.json()


@time_machine.travel(dt.datetime(2026, 4, 6, 16, 0, tzinfo=WITA), tick=False)
def test_extend_on_the_due_date_adds_seven_working_days_from_first_due_date(case, officer):
    response = act(officer, case, action="extend", reason="Data tersebar di 18 puskesmas")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "extended"
    assert body["due_date"] == "2026-04-06"
    assert body["extended_due_date"] == "2026-04-15"
    assert body["extension_reason"] == "Data tersebar di 18 puskesmas"
    case.refresh_from_db()
    assert case.effective_due_date == dt.date(2026, 4, 15)
    # The extension notice goes to the requester with its letter.
    notice = [m for m in mail.outbox if m.to == ["siti@example.org"] and "diperpanjang" in m.subject][0]
    assert notice.attachments[0][1].startswith(b"%PDF")


def test_extend_without_reason_is_400(case, officer):
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), tick=False):
        response = act(officer, case, action="extend", reason="  ")
    assert response.status_code == 400
    assert "reason" in response.json()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.extended_due_date is None


def test_extend_after_first_due_date_passed_is_409(case, officer):
    with time_machine.travel(dt.datetime(2026, 4, 7, 8, 0, tzinfo=WITA), tick=False):
        response = act(officer, case, action="extend", reason="terlambat")
    assert response.status_code == 409


def test_extend_only_once(case, officer):
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=WITA), tick=False):
        assert act(officer, case, action="extend", reason="pertama").status_code == 200
        assert act(officer, case, action="extend", reason="kedua").status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": ""}, "decision"),
        ({"decision": "maybe"}, "decision"),
        # A refusal rests on a DIK entry: a PPID Pelaksana names one (its letter and consequence test alone, as
        # before the DIK, are not enough).
        ({"decision": "rejected_exempt"}, "dik"),
        ({"decision": "rejected_exempt", "exemption": "h", "consequence_test": "x"}, "dik"),
        ({"decision": "rejected_exempt", "dik": "abc"}, "dik"),
        ({"decision": "rejected_exempt", "dik": 999999}, "dik"),
        ({"decision": "partially_granted", "withheld": "Nama pasien"}, "dik"),
        ({"decision": "not_held"}, "holder"),
    ],
)
def test_answer_requires_what_the_decision_needs(case, officer, body, field):
    response = act(officer, case, action="answer", **body)
    assert response.status_code == 400
    assert field in response.json()


@time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=WITA), tick=False)
def test_answer_refusal_records_letter_and_consequence_test(case, officer, dik_entry):
    response = act(officer, case, action="answer", decision="rejected_exempt", dik=dik_entry.pk, note="Ditolak")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decision"], body["exemption"]) == ("answered", "rejected_exempt", "h")
    assert body["overdue"] is False
    case.refresh_from_db()
    assert case.answered_at is not None
    kinds = list(case.attachments.values_list("kind", flat=True))
    assert "notice" in kinds
    email = [m for m in mail.outbox if m.to == ["siti@example.org"] and "Jawaban" in m.subject][0]
    assert email.attachments and email.attachments[0][0] == "pemberitahuan-tertulis-DINKES-2026-00001.pdf"


@time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=WITA), tick=False)
def test_answer_not_held_names_the_holder(case, officer):
    response = act(officer, case, action="answer", decision="not_held", holder="Badan Pusat Statistik Kab. Kukar")
    assert response.status_code == 200
    assert response.json()["holder"] == "Badan Pusat Statistik Kab. Kukar"


def test_close_only_after_answer(case, officer):
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=WITA), tick=False):
        assert act(officer, case, action="close").status_code == 409
        assert act(officer, case, action="answer", decision="granted", note="Terlampir").status_code == 200
        assert act(officer, case, action="extend", reason="x").status_code == 409
        assert act(officer, case, action="forward", to_opd="DPUPR").status_code == 409
        assert act(officer, case, action="answer", decision="granted").status_code == 409
        response = act(officer, case, action="close", note="Selesai")
        assert response.status_code == 200 and response.json()["status"] == "closed"
        for action in ("acknowledge", "extend", "answer", "forward", "close", "assign"):
            assert act(officer, case, action=action, reason="x", decision="granted", to_opd="DPUPR").status_code == 409


@time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=WITA), tick=False)
def test_forward_moves_queue_keeps_clock_and_tells_new_opd(case, officer, other_officer):
    mail.outbox.clear()
    response = act(officer, case, action="forward", to_opd="DPUPR", note="Data jalan dikuasai DPUPR")
    assert response.status_code == 404 or response.status_code == 200
    case.refresh_from_db()
    assert case.opd.code == "DPUPR" and case.status == Status.FORWARDED
    assert case.due_date == dt.date(2026, 4, 6)  # the clock does not restart
    assert case.assigned_to is None
    assert any(m.to == ["dpupr@example.org"] for m in mail.outbox)
    assert any(m.to == ["siti@example.org"] and "diteruskan" in m.subject for m in mail.outbox)
    # The old OPD no longer sees it; the new one can acknowledge it.
    assert client_for(officer).get(f"/api/v1/cases/{case.registration_number}/").status_code == 404
    assert act(other_officer, case, action="acknowledge").json()["status"] == "in_process"


def test_forward_needs_a_known_other_opd(case, officer):
    assert act(officer, case, action="forward", to_opd="").status_code == 400
    assert act(officer, case, action="forward", to_opd="NOPE").status_code == 400
    assert act(officer, case, action="forward", to_opd="DINKES").status_code == 400


def test_unknown_action_is_400(case, officer):
    assert act(officer, case, action="delete").status_code == 400


def test_assign_by_atasan_to_named_officer_and_claim_rules(case, officer, officer2, atasan, other_officer):
    response = act(atasan, case, action="assign", officer="petugas2.dinkes")
    assert response.status_code == 200 and response.json()["assigned_to"] == "petugas2.dinkes"
    assert CaseEvent.objects.filter(case=case, kind="assigned", public=False).count() == 1
    # An officer may claim for itself but not hand the case to someone else.
    assert act(officer, case, action="assign", officer="petugas.dinkes").json()["assigned_to"] == "petugas.dinkes"
    assert act(officer, case, action="assign", officer="petugas2.dinkes").status_code == 403
    # Only officers of the case's OPD can hold it.
    assert act(atasan, case, action="assign", officer="petugas.dpupr").status_code == 400
    assert act(atasan, case, action="assign", officer="ghost").status_code == 400


def test_officer_of_another_opd_gets_404_everywhere(case, other_officer):
    client = client_for(other_officer)
    assert client.get(f"/api/v1/cases/{case.registration_number}/").status_code == 404
    assert act(other_officer, case, action="acknowledge").status_code == 404
    assert client.get("/api/v1/cases/").json()["count"] == 0


def test_anonymous_and_citizens_cannot_see_cases(case, django_user_model):
    assert APIClient().get("/api/v1/cases/").status_code in (401, 403)
    citizen = django_user_model.objects.create_user("warga", password="x")
    assert client_for(citizen).get("/api/v1/cases/").status_code == 403


def test_utama_admin_sees_all_opds_and_can_triage(case, admin_utama, submit):
    with time_machine.travel(SUBMIT_AT, tick=False):
        submit(opd="DISKOMINFO")
    listing = client_for(admin_utama).get("/api/v1/cases/").json()
    assert listing["count"] == 2
    utama_case = Case.objects.get(opd__code="DISKOMINFO")
    assert act(admin_utama, utama_case, action="forward", to_opd="DINKES").status_code == 200


def test_queue_is_ordered_by_due_date_and_filters(submit, officer):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=WITA), tick=False):
        early = submit().case
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=WITA), tick=False):
        late = submit().case
    client = client_for(officer)
    with time_machine.travel(dt.datetime(2026, 3, 17, 9, 0, tzinfo=WITA), tick=False):
        rows = client.get("/api/v1/cases/").json()["results"]
        assert [r["registration_number"] for r in rows] == [early.registration_number, late.registration_number]
        assert [r["overdue"] for r in rows] == [True, False]  # early was due Mon 16 Mar
        assert [r["registration_number"] for r in client.get("/api/v1/cases/?overdue=true").json()["results"]] == [
            early.registration_number]
        assert client.get("/api/v1/cases/?status=in_process").json()["count"] == 0
        act(officer, late, action="acknowledge")
        assert client.get("/api/v1/cases/?assigned=mine").json()["count"] == 1
        assert client.get("/api/v1/cases/?assigned=unassigned").json()["count"] == 1
        assert client.get("/api/v1/cases/?opd=DPUPR").json()["count"] == 0


def test_queue_query_count_is_constant(submit, officer, django_assert_max_num_queries):
    with time_machine.travel(SUBMIT_AT, tick=False):
        for _ in range(3):
            submit()
    client = client_for(officer)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/cases/").json()["count"] == 3
    with time_machine.travel(SUBMIT_AT, tick=False):
        for _ in range(12):
            submit()
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/cases/").json()["count"] == 15


def test_token_login(officer):
    response = APIClient().post("/api/v1/auth/token/", {"username": "petugas.dinkes", "password": "pw-Secret-1"},
                                format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/cases/").status_code == 200
    assert APIClient().post("/api/v1/auth/token/", {"username": "petugas.dinkes", "password": "no"},
                            format="json").status_code == 400
