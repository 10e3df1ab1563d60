"""An upheld keberatan sends the answered case back to the officer for a follow-up written notice."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from requests_app.models import Case, CaseEvent
from requests_app.services.actions import allowed_actions, case_answer
from requests_app.services.objections import objection_answer, objection_file

WITA = dt.timezone(dt.timedelta(hours=8))


def at(y, m, d, h=10):
    return time_machine.travel(dt.datetime(y, m, d, h, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def answered_case(submit, officer):
    with at(2026, 3, 2):
        case = submit().case
    with at(2026, 3, 5):
        case_answer(case=case, actor=officer, decision="rejected_exempt", exemption="h",
                    consequence_test="Rahasia pribadi pasien.")
    case.refresh_from_db()
    return case


def act(user, case, **body):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/v1/cases/{case.registration_number}/actions/", body, format="json")


def test_upheld_objection_reopens_the_answer_for_a_follow_up_notice(answered_case, officer, atasan):
    first_answered_at = answered_case.answered_at
    assert "answer" not in allowed_actions(answered_case)
    assert act(officer, answered_case, action="answer", decision="granted").status_code == 409
    with at(2026, 3, 9):
        objection = objection_file(case=answered_case, ground="a", reason="Data agregat tidak rahasia.")
    with at(2026, 3, 20):
        objection_answer(objection=objection, actor=atasan, outcome="upheld",
                         answer="Berikan data agregat tanpa identitas pasien.")
    answered_case.refresh_from_db()
    assert allowed_actions(answered_case)[0] == "answer"
    with at(2026, 3, 23):
        response = act(officer, answered_case, action="answer", decision="granted", note="Data agregat terlampir.")
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=answered_case.pk)
    assert (case.status, case.decision, case.exemption) == ("answered", "granted", "")
    # The statutory figures stay those of the first written notice.
    assert case.answered_at == first_answered_at
    assert CaseEvent.objects.filter(case=case, kind="answered").last().data["follow_up"] is True
    # Only one follow-up is owed.
    assert "answer" not in allowed_actions(case)
    assert act(officer, case, action="answer", decision="granted").status_code == 409


def test_dismissed_objection_owes_no_follow_up(answered_case, officer, atasan):
    with at(2026, 3, 9):
        objection = objection_file(case=answered_case, ground="a", reason="Tidak setuju.")
    with at(2026, 3, 20):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Pengecualian sah.")
    answered_case.refresh_from_db()
    assert "answer" not in allowed_actions(answered_case)
