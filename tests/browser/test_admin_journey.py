"""Journey 3: a PPID Utama admin on the dashboard sees the figures move, adds a local holiday that moves a
due date, and downloads the annual report."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ppid_portal.clock import WITA, today_wita
from requests_app import workdays
from requests_app.models import EventKind, Holiday
from tests.browser.support import DESK, check_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def received_figure(page) -> int:
    return int(page.locator(".figs a.fig:has-text('diterima') .fig-n").inner_text())


def test_admin_dashboard_holiday_and_annual_report(new_page, submit, admin_utama):
    submit(name="Pemohon Pertama")
    year = today_wita().year

    page = new_page(viewport=DESK)
    login(page, "admin.utama", then="/dasbor/")
    check_page(page, "admin-01-dashboard")
    before = received_figure(page)
    assert before == 1

    # A new request arrives (another OPD): the dashboard counts it.
    case = submit(opd="DPUPR", name="Pemohon Kedua").case
    page.reload()
    assert received_figure(page) == before + 1
    assert page.locator("#league tbody tr:has(abbr:text-is('DPUPR')) td.num a").first.inner_text() == "1"

    # A local holiday inside the case's 10 working days moves its due date one working day on.
    old_due = case.due_date
    start = workdays.receipt_day(case.received_at.astimezone(WITA).date())
    local_day = workdays.add_working_days(start, 1)
    assert local_day < old_due
    page.goto(f"/petugas/libur/?year={local_day.year}")
    check_page(page, "admin-02-holidays")
    page.fill("#id_date", local_day.isoformat())
    page.fill("#id_name", "Hari Jadi Kota Tenggarong")
    page.select_option("#id_kind", "local")
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state("load")
    assert Holiday.objects.filter(date=local_day, kind="local").exists()
    assert "Hari Jadi Kota Tenggarong" in page.inner_text("#holidays")
    check_page(page, "admin-03-holiday-added")

    case.refresh_from_db()
    next_working = old_due + dt.timedelta(days=1)
    while not workdays.is_working_day(next_working):
        next_working += dt.timedelta(days=1)
    assert case.due_date == next_working
    assert case.events.filter(kind=EventKind.DUE_DATE_CHANGED).count() == 1
    page.goto(f"/petugas/kasus/{case.registration_number}/")
    assert case.due_date.strftime("%-d") in page.inner_text("#case-due")
    check_page(page, "admin-04-case-due-moved")

    # The annual report (UU 14/2008 Pasal 12) as a PDF.
    page.goto(f"/dasbor/?year={year}")
    href = page.get_attribute("#laporan a:has-text('Unduh laporan (PDF)')", "href")
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert f"LAPORAN LAYANAN INFORMASI PUBLIK TAHUN {year}" in text
    assert "Permohonan informasi diterima 2" in text
    assert "DPUPR" in text and "DINKES" in text
