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
def answered_case(submit, officer, dik_entry):
    with at(2026, 3, 2):
        case = submit().case
    with at(2026, 3, 5):
        case_answer(case=case, actor=officer, decision="rejected_exempt", dik=dik_entry)
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


# ---------------------------------------------------------------------------------------------------------------
# The follow-up due date: stored when upheld, the case back in the queue on it, cleared by the follow-up notice.


def _uphold(case, atasan, *, answer="Berikan data agregat tanpa identitas pasien."):
    with at(2026, 3, 9):
        objection = objection_file(case=case, ground="a", reason="Data agregat tidak rahasia.")
    with at(2026, 3, 20):
        objection_answer(objection=objection, actor=atasan, outcome="upheld", answer=answer)
    case.refresh_from_db()
    return objection


def _figures(case):
    from compliance_app.selectors import Period, compliance_figures

    total = compliance_figures(period=Period.for_year(2026), opd_codes=["DINKES"], today=dt.date(2026, 4, 30))["total"]
    return (total["received"], total["answered"], total["answered_on_time"], total["answered_late"],
            total["overdue_open"])


def test_upheld_objection_stores_the_follow_up_due_date_ten_working_days_after_the_answer(answered_case, atasan):
    from requests_app import rules, workdays

    _uphold(answered_case, atasan)
    answered_on = dt.date(2026, 3, 20)
    assert rules.FOLLOW_UP_DAYS == rules.NOTICE_DAYS == 10
    assert answered_case.follow_up_due_date == rules.follow_up_due_date(
        workdays.calendar_ahead(answered_on, 10), answered_on)
    assert workdays.working_days_between(answered_on, answered_case.follow_up_due_date) == 10
    assert answered_case.status == "answered" and answered_case.follow_up_owed


def test_dismissed_objection_stores_no_follow_up_due_date(answered_case, atasan):
    with at(2026, 3, 9):
        objection = objection_file(case=answered_case, ground="a", reason="Tidak setuju.")
    with at(2026, 3, 20):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Pengecualian sah.")
    answered_case.refresh_from_db()
    assert answered_case.follow_up_due_date is None


def test_upheld_case_is_in_the_queue_by_default_ordered_by_the_date_owed(submit, answered_case, officer, atasan):
    from django.test import Client

    from requests_app.selectors.queue import case_list_for

    _uphold(answered_case, atasan)
    due = answered_case.follow_up_due_date
    with at(2026, 3, 2):
        earlier = submit(name="Ani").case  # due mid-March: before the follow-up
    with at(2026, 3, 27):
        later = submit(name="Budi").case  # due in April: after it
    assert earlier.effective_due_date < due < later.effective_due_date
    with at(2026, 3, 23):
        numbers = list(case_list_for(officer).values_list("registration_number", flat=True))
        assert numbers == [earlier.registration_number, answered_case.registration_number, later.registration_number]
        # The API's default view (the hand-written SQL on PostgreSQL) lists it in the same place.
        client = APIClient()
        client.force_authenticate(officer)
        api = client.get("/api/v1/cases/").json()
        assert [r["registration_number"] for r in api["results"]] == numbers
        assert api["results"][1]["status"] == "answered" and api["results"][1]["overdue"] is False
        page = Client()
        page.force_login(officer)
        html = page.get("/petugas/").content.decode()
    row = html[html.index(f">{answered_case.registration_number}<"):]
    row = row[:row.index("</tr>")]
    assert "Keberatan dikabulkan — tindak lanjut" in row
    assert f"{due.day} {({3: 'Mar', 4: 'Apr'})[due.month]} {due.year}" in row  # the date owed, not the first due date


def test_case_page_shows_the_upheld_banner_with_instruction_and_due_date(answered_case, officer, atasan):
    from django.test import Client

    _uphold(answered_case, atasan, answer="Serahkan data agregat per puskesmas.")
    client = Client()
    client.force_login(officer)
    with at(2026, 3, 23):
        html = client.get(f"/petugas/kasus/{answered_case.registration_number}/").content.decode()
    banner = html[html.index('id="case-follow-up"'):]
    banner = banner[:banner.index("</div>")]
    assert "Keberatan dikabulkan — tindak lanjut" in banner
    assert "Serahkan data agregat per puskesmas." in banner
    months = {3: "Maret", 4: "April"}
    due = answered_case.follow_up_due_date
    assert f"{due.day} {months[due.month]} {due.year}" in banner


def test_follow_up_answer_clears_the_date_and_leaves_the_figures_unchanged(answered_case, officer, atasan):
    from requests_app.selectors.queue import case_list_for

    before = (answered_case.answered_at, answered_case.answer_working_days, _figures(answered_case))
    _uphold(answered_case, atasan)
    assert _figures(answered_case) == before[2]
    with at(2026, 3, 23):
        response = act(officer, answered_case, action="answer", decision="granted", note="Data agregat terlampir.")
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=answered_case.pk)
    assert case.follow_up_due_date is None and not case.follow_up_owed
    assert (case.answered_at, case.answer_working_days, _figures(case)) == before
    assert before[2][2] == 1  # the first notice was on time and still counts so
    with at(2026, 3, 23):
        assert case.registration_number not in list(case_list_for(officer).values_list("registration_number",
                                                                                         flat=True))
    assert "answer" not in allowed_actions(case)


def test_objection_page_shows_the_atasan_the_objected_notice_and_material(answered_case, atasan, officer,
                                                                          other_officer, admin_utama):
    from django.test import Client

    from opd_app.models import Role
    from opd_app.services import officer_create

    with at(2026, 3, 9):
        objection = objection_file(case=answered_case, ground="a", reason="Data agregat tidak rahasia.")
    notice = answered_case.attachments.get(kind="notice")
    client = Client()
    client.force_login(atasan)
    html = client.get(f"/petugas/keberatan/{objection.objection_number}/").content.decode()
    objected = html[html.index('id="objected-h"'):]
    assert "Ditolak (informasi dikecualikan, Pasal 17)" in objected
    url = f"/petugas/keberatan/{objection.objection_number}/lampiran/{notice.pk}/"
    assert url in objected
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    utama = Client()
    utama.force_login(admin_utama)
    assert utama.get(url).status_code == 200
    # Not the officer (not an Atasan), not another OPD's Atasan, not an attachment of another case.
    foreign_atasan = officer_create(username="atasan.dpupr", opd_code="DPUPR", role=Role.ATASAN,
                                    password="pw-Secret-1", email="atasan.dpupr@example.org")
    for user in (officer, other_officer, foreign_atasan):
        other = Client()
        other.force_login(user)
        assert other.get(url).status_code == 404, user
    notice.public = False
    notice.save(update_fields=["public"])
    assert client.get(url).status_code == 404


def test_migration_backfills_the_follow_up_of_a_keberatan_upheld_before_the_date_was_stored(answered_case, submit,
                                                                                           officer, atasan, dik_entry):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("requests_app.migrations.0016_case_follow_up_due").follow_ups_backfill
    _uphold(answered_case, atasan)
    expected = answered_case.follow_up_due_date
    # Another case whose upheld keberatan was already followed up owes nothing.
    with at(2026, 3, 2):
        done = submit().case
    with at(2026, 3, 5):
        case_answer(case=done, actor=officer, decision="rejected_exempt", dik=dik_entry)
    done.refresh_from_db()
    _uphold(done, atasan)
    with at(2026, 3, 23):
        case_answer(case=done, actor=officer, decision="granted", note="Terlampir.")
    Case.objects.update(follow_up_due_date=None)  # as before the column existed
    backfill(apps, None)
    assert Case.objects.get(pk=answered_case.pk).follow_up_due_date == expected
    assert Case.objects.get(pk=done.pk).follow_up_due_date is None
