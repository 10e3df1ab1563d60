"""Journey 2: an officer at a desk logs in, takes the most urgent case, extends it, answers it with a letter
and publishes a document that the public search then finds."""

import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from ppid_portal.clock import WITA, today_wita
from requests_app import rules, workdays
from requests_app.models import Case, CaseAttachment, Status
from requests_app.rules import EXTENSION_DAYS
from tests.browser.support import DESK, PHONE, check_page, login
from tests.conftest import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_at(submit, when: dt.datetime, **kwargs):
    """Submit a request as if it had arrived at `when` (only the submission is time-shifted)."""
    with time_machine.travel(when, tick=False):
        return submit(**kwargs).case


def days_ago(n: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=n)).astimezone(WITA).replace(hour=9, minute=0)


def test_officer_extends_answers_and_publishes(new_page, submit, officer, other_officer):
    older = submit_at(submit, days_ago(10), name="Budi Santoso")
    newer = submit(name="Rina Wulandari").case
    foreign = submit(opd="DPUPR", name="Orang Lain").case

    page = new_page(viewport=DESK)
    page.goto("/masuk/")
    check_page(page, "officer-01-login")
    login(page, "petugas.dinkes")
    check_page(page, "officer-02-queue")
    links = page.locator("#queue tbody tr td:first-child a")
    assert links.all_inner_texts() == [older.registration_number, newer.registration_number]
    assert foreign.registration_number not in page.inner_text("#queue")

    links.first.click()
    page.wait_for_url(f"**/petugas/kasus/{older.registration_number}/")
    check_page(page, "officer-03-case")
    assert page.locator("section.actions summary").all_inner_texts() == [
        "Proses (terima kasus)", "Tunjuk petugas", "Perpanjang 7 hari kerja", "Jawab (pemberitahuan tertulis)",
        "Teruskan ke OPD lain", "Kirim pesan kepada pemohon"]
    assert "Budi Santoso" in page.inner_text("main")

    # Extend once, with the written reason.
    page.click("summary:has-text('Perpanjang 7 hari kerja')")
    page.fill("#extend-reason", "Data tersebar di 18 puskesmas dan perlu dihimpun.")
    page.click("form:has(#extend-reason) button[type=submit]")
    # The letter is shown for review first; "Perpanjang" sends it.
    assert "PEMBERITAHUAN PERPANJANGAN JANGKA WAKTU" in page.inner_text("main").upper()
    page.click("#review-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{older.registration_number}/")
    older.refresh_from_db()
    assert older.status == Status.EXTENDED
    assert older.extended_due_date == workdays.add_working_days(older.due_date, EXTENSION_DAYS)
    assert older.extension_reason == "Data tersebar di 18 puskesmas dan perlu dihimpun."
    assert "diperpanjang" in page.inner_text("#case-due")
    # The extension may be given only once: the action is gone from the page.
    assert page.locator("summary:has-text('Perpanjang 7 hari kerja')").count() == 0
    check_page(page, "officer-04-extended")

    # Answer with the written notice and the material.
    page.click("summary:has-text('Jawab (pemberitahuan tertulis)')")
    page.select_option("#answer-decision", "granted")
    page.click("form:has(#answer-decision) button:has-text('Lanjut')")
    page.fill("#answer-note", "Data jumlah puskesmas terlampir.")
    page.click("form:has(#answer-note) button:has-text('Periksa surat')")
    # The review: the letter's text; the material is chosen here, just before sending.
    assert "Data jumlah puskesmas terlampir." in page.inner_text(".letter-sheet")
    page.set_input_files("#review-files", files=[{"name": "puskesmas-2025.pdf", "mimeType": "application/pdf",
                                                   "buffer": pdf_bytes("Jumlah puskesmas 2025: 32")}])
    page.click("#review-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{older.registration_number}/")
    older.refresh_from_db()
    assert older.status == Status.ANSWERED and older.decision == "granted"
    assert page.inner_text("#case-status").startswith("Dijawab")
    # Only the actions of the new state are offered: an answered case can only be closed.
    assert page.locator("section.actions summary").all_inner_texts() == ["Selesaikan", "Kirim pesan kepada pemohon"]
    check_page(page, "officer-05-answered")

    notice = older.attachments.get(kind=CaseAttachment.Kind.NOTICE)
    link = page.locator(f"a[href$='/lampiran/{notice.pk}/']")
    response = page.context.request.get(link.get_attribute("href"))
    assert response.status == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert older.registration_number in text
    assert "Dikabulkan seluruhnya" in text
    assert older.attachments.filter(kind=CaseAttachment.Kind.MATERIAL, filename="puskesmas-2025.pdf").exists()

    # Publish the answer's material to the library; the public search then finds it.
    page.click("summary:has-text('Publikasikan ke perpustakaan')")
    page.click("li:has-text('puskesmas-2025.pdf') button:has-text('Buat draf dokumen')")
    page.wait_for_url("**/petugas/dokumen/*/")
    check_page(page, "officer-06-document-draft")
    assert "Tidak ditemukan NIK, nomor telepon, atau alamat e-mail." in page.inner_text("main")
    page.click("main form button:has-text('Publikasikan ke perpustakaan')")
    page.wait_for_url("**/petugas/dokumen/*/")
    assert page.inner_text("#doc-status").startswith("Dipublikasikan")

    public = new_page(viewport=PHONE)
    public.goto("/dokumen/?q=puskesmas")
    results = public.locator(".doc-results .doc-title a")
    assert results.count() == 1
    assert older.registration_number in public.inner_text(".doc-results")
    check_page(public, "officer-07-public-search")
    # Nothing of the requester reaches the public page.
    assert "Budi Santoso" not in public.content()


def test_queue_shows_urgency_as_text_and_colour_and_works_from_the_keyboard(new_page, submit, officer):
    today = today_wita()
    overdue = submit_at(submit, days_ago(45), name="Lama Sekali")
    soon_day = today
    # A receipt day whose due date falls within the next 3 working days: "soon". A weekend receipt counts from
    # the next working day, so the due date is derived as intake derives it.
    while workdays.due_date_for_receipt(soon_day, 10)[1] > workdays.add_working_days(today, 3):
        soon_day -= dt.timedelta(days=1)
    soon = submit_at(submit, dt.datetime.combine(soon_day, dt.time(9), tzinfo=WITA), name="Hampir Tenggat")
    normal = submit(name="Baru Masuk").case
    assert overdue.due_date < today <= soon.due_date < normal.due_date

    page = new_page(viewport=DESK)
    login(page, "petugas.dinkes")
    rows = page.locator("#queue tbody tr")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(3)] == [
        overdue.registration_number, soon.registration_number, normal.registration_number]
    badges = [rows.nth(i).locator(".badge") for i in range(3)]
    # The badge counts working days on the holiday calendar: late, soon, and on schedule.
    cal = workdays.calendar_for(overdue.due_date, normal.due_date)

    def label(due):
        left = rules.working_days_left(cal, due, today)
        return "hari ini" if left == 0 else f"{left} hari kerja lagi" if left > 0 else f"terlambat {-left} hari kerja"

    assert [b.inner_text() for b in badges] == [label(overdue.due_date), label(soon.due_date),
                                                label(normal.due_date)]
    assert badges[0].inner_text().startswith("terlambat")
    colours = [b.evaluate("el => getComputedStyle(el).backgroundColor") for b in badges]
    assert len(set(colours)) == 3, colours
    check_page(page, "officer-02b-queue-urgency")

    # Keyboard only: Tab until the first case link has focus, then Enter opens it.
    page.locator("body").focus()
    first = f"#queue tbody tr:first-child a[href$='/{overdue.registration_number}/']"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement === document.querySelector(sel)", first):
            break
    else:
        pytest.fail("the first case link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/petugas/kasus/{overdue.registration_number}/")
    assert Case.objects.get(pk=overdue.pk).is_overdue()
    assert "Terlambat" in page.inner_text("#case-status")
