"""Page quality on the journey pages: weight on first view (compression on), 360 px without horizontal scroll,
and the English switch with no Indonesian UI strings left."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from documents_app.models import DocumentEvent
from opd_app.models import OPD
from requests_app.models import Case, CaseEvent, Holiday
from tests.browser.support import (
    ARTIFACTS,
    CITIZEN,
    DESK,
    PHONE,
    assert_accessible,
    fill_request_form,
    login,
    page_width,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET = 150 * 1024

# Transferred bytes (headers + encoded bodies) of the document and every sub-resource the page loaded.
TRANSFER_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return {
    total: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
    html_encoded: nav.encodedBodySize, html_decoded: nav.decodedBodySize,
    resources: res.map(r => [r.name, r.transferSize]),
  };
}"""


def answer(case, officer):
    """The officer's written notice, through the service: it opens the objection window."""
    from requests_app.services.actions import case_answer

    return case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")


def published_document(officer):
    """A published library document, made through the documents services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents_app.services.intake import document_create
    from documents_app.services.publication import document_publish
    from tests.conftest import pdf_bytes

    upload = SimpleUploadedFile("anggaran-2025.pdf", pdf_bytes("Ringkasan anggaran kesehatan 2025"),
                                content_type="application/pdf")
    document = document_create(
        actor=officer, opd=officer.ppid_roles.first().opd, upload=upload, process_now=True,
        meta={"title": "Ringkasan anggaran kesehatan 2025", "summary": "Ringkasan APBD bidang kesehatan.",
              "category": "berkala"})
    document.refresh_from_db()
    return document_publish(actor=officer, document=document, confirm_personal_data=True)


def measure(page) -> dict:
    page.wait_for_load_state("load")
    return page.evaluate(TRANSFER_JS)


def test_citizen_pages_are_light_and_fit_a_phone(new_page, officer):
    document = published_document(officer)
    page = new_page(viewport=PHONE)
    # First view: nothing may come from the browser cache.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    seen = {}

    def check(name: str) -> None:
        weight = measure(page)
        seen[name] = weight["total"]
        assert weight["total"] < BUDGET, f"{name}: {weight['total']} bytes > {BUDGET} ({weight['resources']})"
        # The HTML travelled compressed (GZipMiddleware, the browser sends Accept-Encoding: gzip).
        if weight["html_decoded"] > 1024:
            assert weight["html_encoded"] < weight["html_decoded"] * 0.8, f"{name}: HTML not compressed"
        assert page_width(page) <= PHONE["width"], f"{name}: wider than {PHONE['width']}px"
        # Every asset comes from this site (no CDN).
        assert all(url.startswith(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2])
                   for url, _size in weight["resources"]), weight["resources"]
        shot(page, f"weight-{name}")
        assert_accessible(page, name)

    pages = [
        ("home", "/"),
        ("service-notice", reverse("service-notice")),
        ("directory", reverse("opd-directory")),
        ("library", reverse("documents-library") + "?q=anggaran"),
        ("document", reverse("document-detail", args=[document.pk])),
        ("dip", reverse("dip")),
        ("stats", reverse("stats")),
        ("track", reverse("track")),
    ]
    for name, url in pages:
        response = page.goto(url)
        assert response.status == 200, name
        check(name)

    page.goto(reverse("request-create"))
    check("request-form")
    fill_request_form(page, nik="6403012345678901")
    page.click("button[type=submit]:has-text('Kirim permohonan')")
    page.wait_for_url(re.compile(r"/terkirim/$"))
    check("request-done")
    registration = page.inner_text("#registration-number")
    page.goto(reverse("track-case", args=[registration]))
    check("track-case")
    answer(Case.objects.get(registration_number=registration), officer)
    page.goto(reverse("objection-create", args=[registration]))
    assert page.locator("input[name=ground]").count() > 0
    check("objection-form")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-weight.txt").write_text(
        "".join(f"{name:16} {size:>7} bytes\n" for name, size in seen.items()), encoding="utf-8")
    assert set(seen) == {"home", "service-notice", "directory", "library", "document", "dip", "stats", "track",
                         "request-form", "request-done", "track-case", "objection-form"}


def visible_text(page) -> str:
    return page.evaluate("() => document.title + '\\n' + document.body.innerText")


INDONESIAN_WORDS = re.compile(r"\b(dan|yang|untuk|tidak|dengan|atau|belum|sudah|permohonan|keberatan|tanggal)\b",
                              re.IGNORECASE)


def leftover_indonesian(id_text: str, en_text: str, data: list[str]) -> list[str]:
    """msgids shown on the Indonesian page that are still on the English one (data strings excepted)."""
    from tests.browser.catalogue import translated_msgids

    left = []
    for msgid, (pattern, msgstr) in translated_msgids().items():
        if msgid.lower() in msgstr.lower() or any(msgid in d for d in data):
            continue
        if pattern.search(id_text) and pattern.search(en_text):
            left.append(msgid)
    # Text never marked for translation: Indonesian function words left once the data is taken out.
    rest = en_text
    for d in sorted(data, key=len, reverse=True):
        rest = rest.replace(d, " ")
    for line in rest.splitlines():
        if INDONESIAN_WORDS.search(line):
            left.append(line.strip())
    return left


def switch_to_english(page) -> None:
    page.click("form.lang button[value=en]")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "en"


def test_english_switch_translates_every_journey_page(new_page, officer, admin_utama, submit):
    document = published_document(officer)
    submission = submit(name=CITIZEN["name"])
    case = answer(submission.case, officer)
    year = case.received_at.year
    # Data, not UI: OPD names, what the people typed, the regency's configured name, the event notes
    # (the immutable record, written in Bahasa Indonesia like the letters) and the holiday names.
    data = [*OPD.objects.values_list("name", flat=True), *CITIZEN.values(), document.title, case.registration_number,
            "Ringkasan APBD bidang kesehatan.", "Data terlampir.", settings.PPID_REGENCY_NAME,
            *[n for n in CaseEvent.objects.values_list("note", flat=True) if n],
            *[n for n in DocumentEvent.objects.values_list("note", flat=True) if n],
            *Holiday.objects.values_list("name", flat=True)]

    # Citizen pages on a phone; the tracking code gives this browser the requester's pages.
    page = new_page(viewport=PHONE)
    page.goto(f"/lacak/?registration_number={case.registration_number}&tracking_code={submission.tracking_code}")
    page.wait_for_url(f"**/lacak/{case.registration_number}/")
    citizen = [
        ("/", "Public Information Service of Kutai Kartanegara Regency"),
        (reverse("service-notice"), "Public information service notice"),
        (reverse("request-create"), "Public information request form"),
        (reverse("track"), "Track a request"),
        (reverse("track-case", args=[case.registration_number]), f"Request {case.registration_number}"),
        (reverse("objection-create", args=[case.registration_number]), "File an objection"),
        (reverse("documents-library"), "Public document library"),
        (reverse("document-detail", args=[document.pk]), document.title),
        (reverse("dip"), "Public Information List (DIP)"),
        (reverse("stats"), "Public information service statistics"),
    ]
    _check_english(page, citizen, data, "citizen")

    # Officer pages at a desk.
    desk = new_page(viewport=DESK)
    desk.goto(reverse("login"))
    desk_login_id = visible_text(desk)
    login(desk, "petugas.dinkes")
    officer_pages = [
        (reverse("queue"), "Case queue"),
        (reverse("case-detail", args=[case.registration_number]), case.registration_number),
        (reverse("documents-officer"), "Agency documents"),
        (reverse("document-review", args=[document.pk]), document.title),
    ]
    _check_english(desk, officer_pages, data, "officer")
    desk.context.clear_cookies()
    desk.goto(reverse("login"))
    switch_to_english(desk)
    assert desk.inner_text("h1") == "Log in"
    assert not leftover_indonesian(desk_login_id, visible_text(desk), data)

    # The admin's pages.
    admin = new_page(viewport=DESK)
    login(admin, "admin.utama", then="/dasbor/")
    admin_pages = [
        (f"{reverse('dashboard')}?year={year}", "PPID compliance dashboard"),
        (f"{reverse('holiday-list')}?year={year}", f"Holiday calendar {year}"),
    ]
    _check_english(admin, admin_pages, data, "admin")


def _check_english(page, pages, data, label):
    indonesian = {}
    for url, _heading in pages:
        page.goto(url)
        indonesian[url] = visible_text(page)
    switch_to_english(page)
    # The switch returns to the page it was pressed on.
    assert page.url.endswith(pages[-1][0].split("?")[0]) or pages[-1][0] in page.url
    problems = []
    for number, (url, heading) in enumerate(pages, start=1):
        page.goto(url)
        assert page.get_attribute("html", "lang") == "en"
        assert page.inner_text("h1").startswith(heading), url
        left = leftover_indonesian(indonesian[url], visible_text(page), data)
        if left:
            problems.append(f"{url}: {left}")
        shot(page, f"english-{label}-{number:02d}")
        assert_accessible(page, f"{url} (English)")
    assert not problems, "Indonesian UI strings left in English mode:\n" + "\n".join(problems)
    # And back to Indonesian.
    page.click("form.lang button[value=id]")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "id"
