"""Last year's report is due by 31 March (Perki SLIP Pasal 56): from 1 February the dashboard says it is due, from
1 April that it is overdue, and nothing once it is published."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

from compliance_app.models import ReportPublication
from compliance_app.rules import ReportReminder, annual_report_reminder, report_due_date
from ppid_portal.clock import WITA
from tests.conftest import pdf_bytes

DUE = dt.date(2027, 3, 31)


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2027, 1, 1), None),
    (dt.date(2027, 1, 31), None),
    (dt.date(2027, 2, 1), ReportReminder(year=2026, due=DUE, overdue=False)),
    (dt.date(2027, 3, 31), ReportReminder(year=2026, due=DUE, overdue=False)),
    (dt.date(2027, 4, 1), ReportReminder(year=2026, due=DUE, overdue=True)),
    (dt.date(2027, 12, 31), ReportReminder(year=2026, due=DUE, overdue=True)),
])
def test_the_reminder_at_the_boundary_dates(today, expected):
    assert annual_report_reminder(today=today, published=False) == expected


@pytest.mark.parametrize("today", [dt.date(2027, 1, 31), dt.date(2027, 2, 1), dt.date(2027, 3, 31),
                                   dt.date(2027, 4, 1)])
def test_no_reminder_once_published(today):
    assert annual_report_reminder(today=today, published=True) is None


def test_the_due_date_is_31_march_of_the_next_year():
    assert report_due_date(2026) == DUE
    assert report_due_date(2027) == dt.date(2028, 3, 31)  # a leap year changes nothing


def _publish_2026(admin):
    publication = ReportPublication(year=2026, built_at=dt.datetime(2027, 1, 20, 9, tzinfo=WITA), size=3,
                                    sha256="0" * 64, published_by=admin,
                                    published_at=dt.datetime(2027, 1, 20, 10, tzinfo=WITA))
    publication.file.save("laporan-2026.pdf", ContentFile(pdf_bytes("Laporan 2026")), save=True)


def _reminder(client, admin, moment) -> str:
    # In WITA: 1 February begins at 00:00 WITA (31 January 16:00 UTC). Signed in on the day (sessions expire).
    with time_machine.travel(moment, tick=False):
        client.force_login(admin)
        response = client.get("/dasbor/")
    assert response.status_code == 200
    html = response.content.decode()
    if 'id="report-reminder"' not in html:
        return ""
    block = html[html.rindex("<div", 0, html.index('id="report-reminder"')):]
    return block[:block.index("</div>")]


@pytest.mark.django_db
def test_the_dashboard_warns_from_1_february(client, admin_utama):
    assert _reminder(client, admin_utama, dt.datetime(2027, 1, 31, 23, 59, tzinfo=WITA)) == ""
    due = _reminder(client, admin_utama, dt.datetime(2027, 2, 1, 0, 0, tzinfo=WITA))
    assert "msg-warn" in due and 'role="status"' in due
    assert "tahun 2026 belum diterbitkan; batas waktunya 31 Maret 2027" in due
    assert "/dasbor/?year=2026#laporan" in due
    last_day = _reminder(client, admin_utama, dt.datetime(2027, 3, 31, 23, 59, tzinfo=WITA))
    assert "msg-warn" in last_day and "batas waktunya 31 Maret 2027" in last_day
    overdue = _reminder(client, admin_utama, dt.datetime(2027, 4, 1, 0, 0, tzinfo=WITA))
    assert "msg-error" in overdue and 'role="alert"' in overdue
    assert "tahun 2026 belum diterbitkan dan sudah lewat batas waktu (31 Maret 2027)" in overdue


@pytest.mark.django_db
def test_the_dashboard_warning_is_gone_once_published(client, admin_utama):
    _publish_2026(admin_utama)
    for moment in (dt.datetime(2027, 2, 1, 9, tzinfo=WITA), dt.datetime(2027, 3, 31, 9, tzinfo=WITA),
                   dt.datetime(2027, 4, 1, 9, tzinfo=WITA)):
        assert _reminder(client, admin_utama, moment) == ""
    # Next year the 2027 report is the one owed.
    assert "tahun 2027 belum diterbitkan" in _reminder(client, admin_utama, dt.datetime(2028, 2, 1, 9, tzinfo=WITA))


@pytest.mark.django_db
def test_the_dashboard_warning_in_english(client, admin_utama):
    client.cookies["django_language"] = "en"
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=WITA), tick=False):
        client.force_login(admin_utama)
        html = client.get("/dasbor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The 2026 public information service report is not yet published; it is due by 31 March 2027" in html
