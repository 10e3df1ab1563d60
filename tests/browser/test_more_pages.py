"""The pages around the three journeys, through axe too: a citizen account, the Atasan PPID answering an
objection, the admin's drill-down and holiday edit, the officer's document upload."""

import pytest

from opd_app.models import OPD
from requests_app.models import Holiday, ObjectionStatus
from tests.browser.support import DESK, PHONE, check_page, login
from tests.conftest import dik_entry_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_account_signup_and_my_requests(new_page, opds):
    page = new_page(viewport=PHONE)
    page.goto("/daftar/")
    page.fill("#id_username", "siti")
    page.fill("#id_first_name", "Siti Rahmawati")
    page.fill("#id_email", "siti@example.org")
    page.fill("#id_password1", "kopi-Tubruk-2026")
    page.fill("#id_password2", "kopi-Tubruk-2025")
    page.click("main button[type=submit]")
    # The mismatch is said next to the second password; what was typed stays.
    assert page.locator("#f-password2 .field-error").count() == 1
    assert page.input_value("#id_email") == "siti@example.org"
    check_page(page, "more-01-signup-error")
    page.fill("#id_password1", "kopi-Tubruk-2026")
    page.fill("#id_password2", "kopi-Tubruk-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/permohonan-saya/")
    check_page(page, "more-02-my-requests")


def test_atasan_answers_an_objection(new_page, submit, officer, atasan):
    from requests_app.services.actions import case_answer
    from requests_app.services.objections import objection_file

    case = case_answer(case=submit().case, actor=officer, decision="rejected_exempt",
                       dik=dik_entry_make(OPD.objects.get(code="DINKES"),
                                          consequence="Membuka data ini mengungkap rahasia pribadi pasien."))
    objection = objection_file(case=case, ground="a", reason="Data agregat tidak memuat rahasia pribadi.")

    page = new_page(viewport=DESK)
    login(page, "atasan.dinkes", then="/petugas/keberatan/")
    check_page(page, "more-03-objection-queue")
    page.click(f"a:has-text('{objection.objection_number}')")
    page.wait_for_url(f"**/petugas/keberatan/{objection.objection_number}/")
    check_page(page, "more-04-objection-detail")
    page.check("input[name=outcome][value=upheld]")
    page.fill("#id_answer", "Berikan data agregat per kecamatan tanpa identitas pasien.")
    page.click("section.actions button[type=submit]")
    page.wait_for_url(f"**/petugas/keberatan/{objection.objection_number}/")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED and objection.outcome == "upheld"
    check_page(page, "more-05-objection-answered")


def test_admin_and_officer_back_office_pages(new_page, submit, admin_utama, officer):
    submit()
    page = new_page(viewport=DESK)
    login(page, "admin.utama", then="/dasbor/")
    page.click(".figs a.fig:has-text('diterima')")
    page.wait_for_url("**/dasbor/kasus/**")
    assert page.locator("#cases tbody tr").count() == 1
    check_page(page, "more-06-dashboard-cases")
    holiday = Holiday.objects.order_by("date").last()
    page.goto(f"/petugas/libur/{holiday.pk}/")
    check_page(page, "more-07-holiday-edit")
    page.goto("/dasbor/laporan/narasi/")
    check_page(page, "more-07b-report-narrative")

    desk = new_page(viewport=DESK)
    login(desk, "petugas.dinkes", then="/petugas/dokumen/unggah/")
    check_page(desk, "more-08-document-upload")
