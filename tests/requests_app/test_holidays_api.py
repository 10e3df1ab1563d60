"""GET/POST /api/v1/holidays/ and editing the calendar: open clocks move, with a due_date_changed event."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from requests_app.models import EventKind, Holiday
from requests_app.services.actions import case_answer, case_extend
from requests_app.services.holidays import holiday_add
from requests_app.services.objections import objection_file

WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def api(opds, calendar):
    return APIClient()


def test_get_is_public_and_filtered_by_year(api):
    response = api.get("/api/v1/holidays/?year=2026")
    assert response.status_code == 200
    rows = response.json()
    assert {"date": "2026-04-03", "name": rows[[r["date"] for r in rows].index("2026-04-03")]["name"],
            "kind": "national"} in rows
    assert {r["date"][:4] for r in rows} == {"2026"}
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    cuti = next(r for r in rows if r["date"] == "2026-03-23")
    assert cuti["kind"] == "cuti_bersama"
    assert api.get("/api/v1/holidays/?year=abc").status_code == 400


def test_post_admin_only(api, officer, atasan, admin_utama):
    body = {"date": "2026-09-29", "name": "Hari Jadi Kota Tenggarong", "kind": "local"}
    assert api.post("/api/v1/holidays/", body, format="json").status_code == 401  # anonymous: 401
    for user in (officer, atasan):
        api.force_authenticate(user)
        assert api.post("/api/v1/holidays/", body, format="json").status_code == 403
    api.force_authenticate(admin_utama)
    response = api.post("/api/v1/holidays/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == body
    assert Holiday.objects.get(date=dt.date(2026, 9, 29)).kind == "local"


@pytest.mark.parametrize("body, field", [
    ({"date": "2026-09-29", "name": "", "kind": "local"}, "name"),
    ({"date": "2026-09-29", "name": "X", "kind": "party"}, "kind"),
    ({"date": "29/09/2026", "name": "X", "kind": "local"}, "date"),
    ({"date": "2026-04-03", "name": "Dobel", "kind": "local"}, "date"),
])
def test_post_bad_input_is_400_with_the_field(api, admin_utama, body, field):
    api.force_authenticate(admin_utama)
    response = api.post("/api/v1/holidays/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_adding_a_holiday_moves_open_due_dates_with_an_event(api, admin_utama, submit, officer):
    with at(dt.date(2026, 3, 13), 10):
        open_case = submit().case
        answered = submit().case
        later = submit().case
        case_answer(case=answered, actor=officer, decision="granted")
    with at(dt.date(2026, 3, 27)):
        later = case_extend(case=later, actor=officer, reason="Butuh waktu.")
    assert open_case.effective_due_date == dt.date(2026, 4, 6)
    assert later.extended_due_date == dt.date(2026, 4, 15)
    api.force_authenticate(admin_utama)
    with at(dt.date(2026, 3, 27)):
        response = api.post("/api/v1/holidays/", {"date": "2026-03-30", "name": "Libur daerah", "kind": "local"},
                            format="json")
    assert response.status_code == 201
    open_case.refresh_from_db()
    later.refresh_from_db()
    answered.refresh_from_db()
    assert (open_case.due_date, open_case.effective_due_date) == (dt.date(2026, 4, 7), dt.date(2026, 4, 7))
    assert (later.due_date, later.extended_due_date, later.effective_due_date) == (
        dt.date(2026, 4, 7), dt.date(2026, 4, 16), dt.date(2026, 4, 16))
    assert answered.due_date == dt.date(2026, 4, 6)  # answered: its clock is history
    event = open_case.events.get(kind=EventKind.DUE_DATE_CHANGED)
    assert event.public and event.actor == admin_utama
    assert "06-04-2026" in event.note and "07-04-2026" in event.note
    assert {k: v for k, v in event.data.items() if k != "system_note"} == {
        "from": "2026-04-06", "to": "2026-04-07", "due_date": "2026-04-07", "extended_due_date": None}
    assert event.data["system_note"]["key"] == "due_date_changed"
    assert not answered.events.filter(kind=EventKind.DUE_DATE_CHANGED).exists()

    # Deleting it moves them back, again with an event.
    with at(dt.date(2026, 3, 27)):
        assert api.delete("/api/v1/holidays/2026-03-30/").status_code == 204
    open_case.refresh_from_db()
    assert open_case.effective_due_date == dt.date(2026, 4, 6)
    assert open_case.events.filter(kind=EventKind.DUE_DATE_CHANGED).count() == 2


def test_a_holiday_after_the_due_date_or_before_receipt_moves_nothing(admin_utama, submit):
    with at(dt.date(2026, 3, 13), 10):
        case = submit().case
    holiday_add(date=dt.date(2026, 4, 8), name="Sesudah", kind="local", actor=admin_utama)
    holiday_add(date=dt.date(2026, 3, 12), name="Sebelum", kind="local", actor=admin_utama)
    case.refresh_from_db()
    assert case.effective_due_date == dt.date(2026, 4, 6)
    assert not case.events.filter(kind=EventKind.DUE_DATE_CHANGED).exists()


def test_moving_a_holiday_moves_an_open_objection(api, admin_utama, submit, officer, atasan):
    with at(dt.date(2026, 3, 13), 10):
        case = submit().case
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=case, actor=officer, decision="not_documented")
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=case, ground="e", reason="Ada di laporan tahunan.")
    assert objection.due_date == dt.date(2026, 5, 20)
    api.force_authenticate(admin_utama)
    with at(dt.date(2026, 4, 10)):
        assert api.post("/api/v1/holidays/", {"date": "2026-05-04", "name": "Libur daerah", "kind": "local"},
                        format="json").status_code == 201
        objection.refresh_from_db()
        assert objection.due_date == dt.date(2026, 5, 21)
        # Move it to a day after the objection's due date: the clock goes back.
        response = api.patch("/api/v1/holidays/2026-05-04/", {"date": "2026-06-30"}, format="json")
        assert response.status_code == 200 and response.json()["date"] == "2026-06-30"
    objection.refresh_from_db()
    assert objection.due_date == dt.date(2026, 5, 20)
    notes = list(case.events.filter(kind=EventKind.DUE_DATE_CHANGED).values_list("note", flat=True))
    assert len(notes) == 2 and all(objection.objection_number in n for n in notes)


def test_detail_edit_requires_admin(api, officer):
    api.force_authenticate(officer)
    assert api.delete("/api/v1/holidays/2026-04-03/").status_code == 403
    assert api.get("/api/v1/holidays/2026-04-03/").status_code == 200
    assert Holiday.objects.filter(date=dt.date(2026, 4, 3)).exists()
