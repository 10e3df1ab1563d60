"""Data tables on a 360 px phone: every row a card, every value under its column's name, no sideways scrolling;
at a desk the same markup is still a table. And the header says who is signed in, on a phone too."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from opd_app.models import OPD
from requests_app.models import Holiday
from requests_app.services.actions import case_answer
from requests_app.services.objections import objection_file
from tests.browser.support import DESK, PHONE, assert_accessible, login, page_width, shot
from tests.browser.test_page_quality import published_document
from tests.conftest import dik_entry_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"id": "id-ID", "en": "en-US"}

# Per page: the table, then the labels its first row's cells show, in Indonesian and in English.
DIRECTORY = ("table.stack", {"id": ["Kode", "Nama", "Kontak"], "en": ["Code", "Name", "Contact"]})
MY_REQUESTS = ("table.stack", {
    "id": ["Nomor registrasi", "OPD yang dituju", "Status", "Batas waktu", "Keberatan"],
    "en": ["Registration number", "Agency the request is for", "Status", "Deadline", "Objections"]})
DIP = ("table.stack", {
    "id": ["No", "Ringkasan isi informasi", "OPD", "Kategori", "Pejabat/unit yang menguasai",
           "Waktu dan tempat pembuatan", "Bentuk", "Retensi"],
    "en": ["No", "Summary of the information", "OPD", "Category", "Official/unit holding it", "Time and place made",
           "Form", "Retention"]})
STATS = ("#stats-table", {
    "id": ["Diterima", "Dijawab", "Tepat waktu", "Lewat batas, belum dijawab", "Median hari kerja", "Keberatan"],
    "en": ["Received", "Answered", "On time", "Past the deadline, not answered", "Median working days",
           "Objections"]})
OFFICER_DOCUMENTS = ("table.stack", {"id": ["Judul", "OPD", "Status", "Data pribadi", "Diunggah"],
                                     "en": ["Title", "OPD", "Status", "Personal data", "Uploaded"]})

# What the first row's cells show: the ::before label, where the cell sits, and the table's own layout.
FIRST_ROW_JS = """(sel) => {
  const table = document.querySelector(sel);
  const head = table.tHead.getBoundingClientRect();
  const cells = [...table.tBodies[0].rows[0].querySelectorAll(':scope > td')].map(td => {
    const r = td.getBoundingClientRect();
    const label = getComputedStyle(td, '::before').content;
    return {label: label === 'none' ? null : JSON.parse(label), left: r.left, right: r.right, top: r.top,
            height: r.height, text: td.innerText.trim()};
  });
  return {display: getComputedStyle(table).display, headHeight: head.height, headText: table.tHead.innerText,
          cells: cells};
}"""


def check_cards(page, name: str, table: str, labels: list[str], tiles: bool = False) -> list[dict]:
    """On a phone: no horizontal scroll; the first row's cells each show their label, fully on screen, one under
    the other; the column headings stay in the page for screen readers but take no room."""
    assert page_width(page) <= PHONE["width"], f"{name}: {page_width(page)}px wide on a 360px screen"
    row = page.evaluate(FIRST_ROW_JS, table)
    assert row["display"] == "block", f"{name}: still laid out as a table on a phone"
    assert row["headHeight"] <= 1, f"{name}: the column headings take room on a phone"
    assert all(label in row["headText"] for label in labels if label != "No"), (name, row["headText"])
    assert [c["label"] for c in row["cells"]] == labels, name
    for cell in row["cells"]:
        assert cell["height"] > 0 and cell["left"] >= 0 and cell["right"] <= PHONE["width"], (name, cell)
    tops = [c["top"] for c in row["cells"]]
    # One cell under another; figures ("stack-tiles") at most two to a line on a phone.
    most_per_line = 2 if tiles else 1
    assert tops == sorted(tops) and max(tops.count(t) for t in tops) <= most_per_line, f"{name}: cells not stacked"
    shot(page, f"mobile-tables-{name}")
    assert_accessible(page, name)
    return row["cells"]


def check_desk_table(page, name: str, table: str, labels: list[str]) -> None:
    row = page.evaluate(FIRST_ROW_JS, table)
    assert row["display"] == "table", f"{name}: not a table at 1280 px"
    assert row["headHeight"] > 10, f"{name}: column headings hidden at a desk"
    assert all(c["label"] is None for c in row["cells"]), f"{name}: card labels shown at a desk"
    assert [c["top"] for c in row["cells"]] == [row["cells"][0]["top"]] * len(row["cells"]), name


def header_who(page) -> str:
    who = page.locator("#signed-in-as")
    assert who.is_visible()
    box = who.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    return " ".join(who.inner_text().split())


@pytest.mark.parametrize("lang", ["id", "en"])
def test_public_tables_become_labelled_cards_on_a_phone(new_page, officer, lang):
    document = published_document(officer)
    pages = [
        ("directory", reverse("opd-directory"), DIRECTORY),
        ("dip", reverse("dip"), DIP),
        ("stats", reverse("stats") + f"?year={document.published_at.year}", STATS),
    ]
    phone = new_page(viewport=PHONE, locale=LOCALES[lang])
    desk = new_page(viewport=DESK, locale=LOCALES[lang])
    for name, url, (table, labels) in pages:
        assert phone.goto(url).status == 200
        assert phone.get_attribute("html", "lang") == lang
        cells = check_cards(phone, f"{name}-{lang}", table, labels[lang], tiles=name == "stats")
        if name == "directory":
            # The first OPD (Diskominfo, PPID Utama) with its e-mail, tappable, on screen.
            assert cells[0]["text"] == "DISKOMINFO" and "@" in cells[2]["text"]
            assert phone.locator("table.stack tbody tr").first.locator("a[href^='mailto:']").is_visible()
        if name == "stats":
            # Six figures two to a line: three lines, not six, per OPD.
            assert cells[0]["top"] == cells[1]["top"] and cells[2]["top"] > cells[1]["top"]
        if name == "dip":
            assert cells[1]["text"].startswith(document.title)
        desk.goto(url)
        check_desk_table(desk, f"{name}-{lang}", table, labels[lang])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_citizen_requests_on_a_phone_and_who_is_signed_in(new_page, submit, lang):
    user = get_user_model().objects.create_user("siti", "siti@example.org", "kopi-Tubruk-2026",
                                                first_name="Siti Rahmawati")
    case = submit().case
    case.requester_user = user
    case.save(update_fields=["requester_user"])

    page = new_page(viewport=PHONE, locale=LOCALES[lang])
    login(page, "siti", "kopi-Tubruk-2026", then=reverse("my-requests"))
    cells = check_cards(page, f"my-requests-{lang}", MY_REQUESTS[0], MY_REQUESTS[1][lang])
    assert cells[0]["text"] == case.registration_number
    assert cells[1]["text"] == "Dinas Kesehatan"
    role = {"id": "Pemohon", "en": "Requester"}[lang]
    assert header_who(page).endswith(f"Siti Rahmawati · {role}")
    desk = new_page(viewport=DESK, locale=LOCALES[lang])
    login(desk, "siti", "kopi-Tubruk-2026", then=reverse("my-requests"))
    check_desk_table(desk, f"my-requests-{lang}", MY_REQUESTS[0], MY_REQUESTS[1][lang])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_officer_documents_on_a_phone_and_who_is_signed_in(new_page, officer, lang):
    document = published_document(officer)
    officer.first_name = "Budi"
    officer.save(update_fields=["first_name"])
    page = new_page(viewport=PHONE, locale=LOCALES[lang])
    login(page, "petugas.dinkes", then=reverse("documents-officer"))
    cells = check_cards(page, f"officer-documents-{lang}", OFFICER_DOCUMENTS[0], OFFICER_DOCUMENTS[1][lang])
    assert cells[0]["text"].startswith(document.title) and cells[1]["text"] == "DINKES"
    role = {"id": "PPID Pelaksana DINKES", "en": "PPID officer (Pelaksana) DINKES"}[lang]
    assert header_who(page).endswith(f"Budi · {role}")
    # The header with the officer's longer menu still fits a phone, on the queue too.
    page.goto(reverse("queue"))
    assert page_width(page) <= PHONE["width"]
    assert page.locator("#signed-in-as").is_visible()
    desk = new_page(viewport=DESK, locale=LOCALES[lang])
    login(desk, "petugas.dinkes", then=reverse("documents-officer"))
    check_desk_table(desk, f"officer-documents-{lang}", OFFICER_DOCUMENTS[0], OFFICER_DOCUMENTS[1][lang])


def test_admin_case_list_on_a_phone(new_page, submit, admin_utama):
    case = submit().case
    # A long name wraps inside the header instead of widening the page.
    admin_utama.first_name, admin_utama.last_name = "Raden Ajeng Kartika Purnamasari", "Wijayakusumaningrat"
    admin_utama.save(update_fields=["first_name", "last_name"])
    page = new_page(viewport=PHONE)
    login(page, "admin.utama", then="/dasbor/")
    assert header_who(page).endswith("Raden Ajeng Kartika Purnamasari Wijayakusumaningrat · PPID Utama")
    assert page_width(page) <= PHONE["width"]
    page.click(".figs a.fig:has-text('diterima')")
    page.wait_for_url("**/dasbor/kasus/**")
    labels = ["Nomor registrasi", "OPD", "Diterima", "Batas waktu", "Status", "Keputusan", "Dijawab", "Hari kerja"]
    cells = check_cards(page, "dashboard-cases-id", "#cases", labels)
    assert cells[0]["text"] == case.registration_number and cells[1]["text"] == "DINKES"
    # Not answered yet: the empty cells say so instead of showing a bare label.
    assert cells[5]["text"] == cells[6]["text"] == cells[7]["text"] == "—"
    # The dashboard's league: each OPD a card headed by its rank and code, its figures tiled.
    page.goto("/dasbor/")
    league = ["Tepat waktu", "Diterima", "Dijawab", "Tepat", "Terlambat", "Lewat batas", "Median", "P90",
              "Diteruskan", "Keberatan"]
    cells = check_cards(page, "dashboard-league-id", "#league", league, tiles=True)
    assert page.locator("#league tbody tr").first.locator("th").inner_text().startswith("1. ")
    assert cells[1]["text"] == "1"


def test_objection_queue_on_a_phone(new_page, submit, officer, atasan):
    case = case_answer(case=submit().case, actor=officer, decision="rejected_exempt",
                       dik=dik_entry_make(OPD.objects.get(code="DINKES"),
                                          consequence="Membuka data ini mengungkap rahasia pribadi pasien."))
    objection = objection_file(case=case, ground="a", reason="Data agregat tidak memuat rahasia pribadi.")
    page = new_page(viewport=PHONE)
    login(page, "atasan.dinkes", then="/petugas/keberatan/")
    cells = check_cards(page, "objection-queue-id", "#objection-queue", ["Batas waktu", "Status", "Permohonan", "OPD"])
    assert page.locator("#objection-queue tbody tr th").first.inner_text() == objection.objection_number
    assert cells[2]["text"] == case.registration_number and cells[3]["text"] == "DINKES"
    desk = new_page(viewport=DESK)
    login(desk, "atasan.dinkes", then="/petugas/keberatan/")
    check_desk_table(desk, "objection-queue-id", "#objection-queue", ["Batas waktu", "Status", "Permohonan", "OPD"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_holiday_calendar_on_a_phone_and_its_delete_asks_first(new_page, admin_utama, lang):
    holiday = Holiday.objects.filter(date__year=2026).order_by("date").first()
    labels = {"id": ["Tanggal", "Nama", "Jenis", "Aksi"], "en": ["Date", "Name", "Kind", "Actions"]}[lang]
    page = new_page(viewport=PHONE, locale=LOCALES[lang])
    login(page, "admin.utama", then=f"{reverse('holiday-list')}?year=2026")
    cells = check_cards(page, f"holidays-{lang}", "#holidays", labels)
    assert holiday.name in cells[1]["text"]
    # "Hapus" opens the confirmation; "Batal" goes back and nothing is deleted.
    delete_url = reverse("holiday-delete", args=[holiday.pk])
    page.locator("#holidays tbody tr").first.locator(f"a[href='{delete_url}']").click()
    page.wait_for_url(f"**{delete_url}")
    assert holiday.name in page.inner_text("#holiday-delete")
    assert page_width(page) <= PHONE["width"]
    shot(page, f"holiday-delete-{lang}")
    assert_accessible(page, f"holiday-delete-{lang}")
    page.click("#holiday-delete a.btn-secondary")
    page.wait_for_url("**/petugas/libur/?year=2026")
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    page.goto(delete_url)
    page.click("#holiday-delete button[type=submit]")
    page.wait_for_url("**/petugas/libur/?year=2026")
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    desk = new_page(viewport=DESK, locale=LOCALES[lang])
    login(desk, "admin.utama", then=f"{reverse('holiday-list')}?year=2026")
    check_desk_table(desk, f"holidays-{lang}", "#holidays", labels)
