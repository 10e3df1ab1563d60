"""Deleting a holiday asks first: the confirmation page names the day and the holiday and how many open clocks
would move; only the confirmed POST deletes. The list reads as stacked cards on a phone (table.stack)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from requests_app.models import EventKind, Holiday
from requests_app.selectors.holidays import holiday_delete_preview

WITA = dt.timezone(dt.timedelta(hours=8))
ON = dt.datetime(2026, 3, 20, 10, tzinfo=WITA)


@pytest.fixture
def admin_client(admin_utama):
    client = Client()
    client.force_login(admin_utama)
    return client


@pytest.fixture
def local_day(admin_client, submit):
    """A local holiday on Monday 30 March 2026 inside the 10 working days of a case received on 13 March."""
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, tzinfo=WITA), tick=False):
        case = submit().case
    with time_machine.travel(ON, tick=False):
        admin_client.post("/petugas/libur/", {"date": "2026-03-30", "name": "Hari Jadi Kota Tenggarong",
                                              "kind": "local"})
    case.refresh_from_db()
    assert case.effective_due_date == dt.date(2026, 4, 7)
    return Holiday.objects.get(date=dt.date(2026, 3, 30)), case


def test_get_asks_naming_the_day_the_holiday_and_the_cases_that_move(admin_client, local_day):
    holiday, case = local_day
    with time_machine.travel(ON, tick=False):
        response = admin_client.get(f"/petugas/libur/{holiday.pk}/hapus/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hapus hari libur?" in html
    assert "30 Maret 2026" in html and "Hari Jadi Kota Tenggarong" in html
    assert "Batas waktu 1 permohonan yang masih terbuka akan bergeser." in html
    assert 'name="confirm" value="1"' in html and ">Hapus</button>" in html
    assert 'href="/petugas/libur/?year=2026">Batal</a>' in html
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    case.refresh_from_db()
    assert case.effective_due_date == dt.date(2026, 4, 7)


def test_a_post_without_confirm_only_asks(admin_client, local_day):
    holiday, case = local_day
    with time_machine.travel(ON, tick=False):
        response = admin_client.post(f"/petugas/libur/{holiday.pk}/hapus/")
    assert response.status_code == 200 and "Hapus hari libur?" in response.content.decode()
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert not case.events.filter(kind=EventKind.DUE_DATE_CHANGED).exclude(data__to="2026-04-07").exists()


def test_the_confirmed_post_deletes_and_moves_the_due_date(admin_client, local_day):
    holiday, case = local_day
    with time_machine.travel(ON, tick=False):
        response = admin_client.post(f"/petugas/libur/{holiday.pk}/hapus/", {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == "/petugas/libur/?year=2026"
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    case.refresh_from_db()
    assert case.effective_due_date == dt.date(2026, 4, 6)


def test_the_preview_counts_what_the_delete_then_moves(local_day):
    holiday, _case = local_day
    with time_machine.travel(ON, tick=False):
        preview = holiday_delete_preview(holiday)
    assert (preview.cases_moved, preview.objections_moved) == (1, 0)


def test_a_day_touching_no_open_clock_says_so_in_english(admin_client, calendar):
    holiday = Holiday.objects.filter(date__year=2026).order_by("date").first()  # New Year's Day, nothing open
    admin_client.cookies["django_language"] = "en"
    html = admin_client.get(f"/petugas/libur/{holiday.pk}/hapus/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Delete the holiday?" in html
    assert "No deadline of an open request or objection moves." in html
    assert ">Cancel</a>" in html


def test_the_list_links_to_the_confirmation_and_stacks_on_a_phone(admin_client, calendar):
    html = admin_client.get("/petugas/libur/?year=2026").content.decode()
    assert '<table id="holidays" class="stack">' in html
    for label in ("Tanggal", "Nama", "Jenis", "Aksi"):
        assert f'data-label="{label}"' in html
    holiday = Holiday.objects.filter(date__year=2026).order_by("date").first()
    assert f'<a href="/petugas/libur/{holiday.pk}/hapus/">Hapus</a>' in html
    assert 'action="/petugas/libur/' not in html.split('id="holidays"')[1].split("</table>")[0]


def test_non_admins_cannot_see_the_confirmation(officer, calendar):
    client = Client()
    holiday = Holiday.objects.first()
    assert client.get(f"/petugas/libur/{holiday.pk}/hapus/").status_code == 302
    client.force_login(officer)
    assert client.get(f"/petugas/libur/{holiday.pk}/hapus/").status_code == 403
    assert client.post(f"/petugas/libur/{holiday.pk}/hapus/", {"confirm": "1"}).status_code == 403
    assert Holiday.objects.filter(pk=holiday.pk).exists()
