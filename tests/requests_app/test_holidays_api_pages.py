"""The holiday calendar page: PPID Utama admins only; adding a day moves open clocks."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from requests_app.models import EventKind, Holiday

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def admin_client(admin_utama):
    client = Client()
    client.force_login(admin_utama)
    return client


def test_list_by_year(admin_client, calendar):
    html = admin_client.get("/petugas/libur/?year=2026").content.decode()
    assert "3 Apr 2026" in html or "Jum, 3 Apr 2026" in html
    assert "2027" in html


def test_non_admins_are_refused(officer, atasan, calendar):
    client = Client()
    assert client.get("/petugas/libur/").status_code == 302  # to the login page
    for user in (officer, atasan):
        client.force_login(user)
        assert client.get("/petugas/libur/").status_code == 403
        assert client.post("/petugas/libur/", {"date": "2026-09-29", "name": "X", "kind": "local"}).status_code == 403
    assert not Holiday.objects.filter(date=dt.date(2026, 9, 29)).exists()


def test_add_edit_delete_moves_an_open_case(admin_client, submit):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, tzinfo=WITA), tick=False):
        case = submit().case
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=WITA), tick=False):
        response = admin_client.post("/petugas/libur/", {"date": "2026-03-30", "name": "Libur daerah", "kind": "local"})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.effective_due_date == dt.date(2026, 4, 7)
        holiday = Holiday.objects.get(date=dt.date(2026, 3, 30))
        bad = admin_client.post(f"/petugas/libur/{holiday.pk}/", {"date": "2026-04-03", "name": "X", "kind": "local"})
        assert bad.status_code == 400 and 'id="id_date_error"' in bad.content.decode()
        assert admin_client.post(f"/petugas/libur/{holiday.pk}/",
                                 {"date": "2026-04-06", "name": "Libur daerah", "kind": "local"}).status_code == 302
        case.refresh_from_db()
        assert case.effective_due_date == dt.date(2026, 4, 7)  # 30 Mar is working again, 6 Apr is not
        assert admin_client.post(f"/petugas/libur/{holiday.pk}/hapus/", {"confirm": "1"}).status_code == 302
        case.refresh_from_db()
        assert case.effective_due_date == dt.date(2026, 4, 6)
    assert case.events.filter(kind=EventKind.DUE_DATE_CHANGED).count() == 2
