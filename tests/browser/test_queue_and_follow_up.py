"""The officer's queue for a day's work, at a desk (1280 px) and on a phone (360 px): an upheld keberatan back in
the queue with its follow-up due date, the queue search, a case forwarded away seen read-only by the forwarding
OPD (and a 404 for a third OPD), and the table turned into stacked cards with their column labels."""

import pytest
from django.utils import translation
from django.utils.formats import date_format

from opd_app.models import OPD, Role
from opd_app.services import officer_create
from requests_app.services.actions import case_answer, case_forward
from requests_app.services.objections import objection_answer, objection_file
from tests.browser.support import DESK, PHONE, check_page, login
from tests.conftest import dik_entry_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def short_date(day):
    with translation.override("id"):
        return date_format(day, "j M Y")


def long_date(day):
    with translation.override("id"):
        return date_format(day, "j F Y")


@pytest.fixture
def upheld(submit, officer, atasan):
    case = submit(name="Dewi Lestari", information_requested="Data kasus demam berdarah per kecamatan").case
    case_answer(case=case, actor=officer, decision="rejected_exempt",
                       dik=dik_entry_make(OPD.objects.get(code="DINKES"),
                                          consequence="Rahasia pribadi pasien."))
    objection = objection_file(case=case, ground="a", reason="Data agregat tidak rahasia.")
    objection_answer(objection=objection, actor=atasan, outcome="upheld",
                     answer="Berikan data agregat per kecamatan tanpa identitas pasien.")
    case.refresh_from_db()
    assert case.follow_up_due_date is not None
    return case


def test_upheld_objection_is_back_in_the_queue_with_its_due_date(new_page, upheld, submit, officer):
    other = submit(name="Andi Saputra", information_requested="Jadwal posyandu balita").case
    page = new_page(viewport=DESK)
    login(page, "petugas.dinkes")
    assert "DINKES" in page.inner_text("#signed-in-as")
    row = page.locator("#queue tbody tr", has=page.locator(f"a:text-is('{upheld.registration_number}')"))
    assert row.count() == 1
    text = row.inner_text()
    assert "Keberatan dikabulkan — tindak lanjut" in text
    assert short_date(upheld.follow_up_due_date) in text and "10 hari kerja lagi" in text
    assert "Data kasus demam berdarah" in text and "Dewi Lestari" in text
    assert page.locator("#queue thead th", has_text="OPD").count() == 0  # one OPD: no OPD column
    assert other.registration_number in page.inner_text("#queue")
    check_page(page, "queue-01-follow-up-desk")

    row.locator("a").first.click()
    page.wait_for_url(f"**/petugas/kasus/{upheld.registration_number}/")
    banner = page.locator("#case-follow-up")
    assert "Keberatan dikabulkan — tindak lanjut" in banner.inner_text()
    assert "Berikan data agregat per kecamatan tanpa identitas pasien." in banner.inner_text()
    assert long_date(upheld.follow_up_due_date) in page.inner_text("#case-follow-up-due")
    check_page(page, "queue-02-follow-up-case")


def test_queue_search_by_words_and_number(new_page, upheld, submit, officer):
    other = submit(name="Andi Saputra", information_requested="Jadwal posyandu balita").case
    page = new_page(viewport=DESK)
    login(page, "petugas.dinkes")
    page.fill("#q-text", "posyandu")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=posyandu**")
    table = page.inner_text("#queue")
    assert other.registration_number in table and upheld.registration_number not in table
    assert "1 kasus untuk pencarian" in page.inner_text("#queue-count")
    page.fill("#q-text", upheld.registration_number.lower())
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#queue tbody tr").count() == 1
    assert upheld.registration_number in page.inner_text("#queue")
    page.fill("#q-text", "tidakadakatainidimanapun")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "Tidak ada kasus di OPD Anda yang cocok" in page.inner_text("#queue-empty")
    check_page(page, "queue-03-search-empty")
    page.click("#queue-empty a.btn")
    page.wait_for_load_state()
    assert other.registration_number in page.inner_text("#queue")


def test_forwarded_case_is_read_only_for_the_forwarding_opd_and_404_for_a_third(new_page, submit, officer,
                                                                              other_officer):
    case = submit(name="Rudi Hartono", information_requested="Peta jalan kabupaten rusak berat").case
    case_forward(case=case, actor=officer, to_opd=other_officer.ppid_roles.get().opd, note="")
    officer_create(username="petugas.bappeda", opd_code="BAPPEDA", role=Role.PELAKSANA, password="pw-Secret-1")
    page = new_page(viewport=DESK)
    login(page, "petugas.dinkes")
    assert case.registration_number not in page.inner_text("main")
    page.select_option("#q-status", "forwarded")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**status=forwarded**")
    page.click(f"#queue a:text-is('{case.registration_number}')")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/diteruskan/")
    main = page.inner_text("main")
    assert "hanya untuk dilihat" in main and "DINKES → DPUPR" in main
    assert "Peta jalan kabupaten rusak berat" in main and "Permohonan diteruskan" in main
    for private in ("6403012345678901", "Jl. Mulawarman", "081234567890", "siti@example.org"):
        assert private not in page.content()
    assert page.locator("main form").count() == 0
    check_page(page, "queue-04-forwarded-desk")

    phone = new_page(viewport=PHONE)
    login(phone, "petugas.dinkes", then=f"/petugas/kasus/{case.registration_number}/diteruskan/")
    check_page(phone, "queue-05-forwarded-phone")

    third = new_page(viewport=DESK)
    login(third, "petugas.bappeda")
    response = third.goto(f"/petugas/kasus/{case.registration_number}/diteruskan/")
    assert response.status == 404


def test_queue_is_stacked_cards_on_a_phone(new_page, upheld, submit, officer):
    submit(name="Andi Saputra", information_requested="Jadwal posyandu balita")
    page = new_page(viewport=PHONE)
    login(page, "petugas.dinkes")
    assert page.locator("#queue thead").evaluate("el => el.getBoundingClientRect().height") <= 1
    first = page.locator("#queue tbody tr").first
    cells = first.locator("td")
    labels = [cells.nth(i).evaluate("el => getComputedStyle(el, '::before').content") for i in range(cells.count())]
    assert labels == ['"Nomor"', '"Perihal dan pemohon"', '"Batas waktu"', '"Status"', '"Petugas"']
    # A card: the cells stack (each below the previous), within the screen.
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(b["y"] > a["y"] for a, b in zip(boxes, boxes[1:], strict=False))
    assert all(b["x"] + b["width"] <= PHONE["width"] for b in boxes)
    check_page(page, "queue-06-cards-phone")
