"""Page quality on the journey pages: weight on first view (compression on), 360 px without horizontal scroll,
and the English switch with no Indonesian UI strings left."""

import re

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from opd_app.models import OPD
from requests_app.models import CaseEvent
from tests.browser.support import DESK, PHONE, assert_accessible, page_width, shot
from tests.browser.test_citizen_journey import CITIZEN, fill_request_form
from tests.browser.test_officer_journey import login

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


def optional_url(name: str, *args) -> str | None:
    """Pages that other parts of the portal add; None while a page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def published_document(officer):
    """A published library document, made through the documents services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents_app import services
    from tests.conftest import pdf_bytes

    upload = SimpleUploadedFile("anggaran-2025.pdf", pdf_bytes("Ringkasan anggaran kesehatan 2025"),
                                content_type="application/pdf")
    document = services.document_create(
        actor=officer, opd=officer.ppid_roles.first().opd, upload=upload, process_now=True,
        meta={"title": "Ringkasan anggaran kesehatan 2025", "summary": "Ringkasan APBD bidang kesehatan.",
              "category": "berkala"})
    document.refresh_from_db()
    return services.document_publish(actor=officer, document=document, confirm_personal_data=True)


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
        ("library", reverse("documents-library") + "?q=anggaran"),
        ("document", reverse("document-detail", args=[document.pk])),
        ("dip", reverse("dip")),
        ("stats", optional_url("public-stats")),
        ("track", reverse("track")),
    ]
    for name, url in pages:
        if url is None:
            continue
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
    objection_url = optional_url("objection-create", registration)
    if objection_url:
        page.goto(objection_url)
        check("objection-form")
    assert {"home", "library", "dip", "track", "request-form", "request-done", "track-case"} <= set(seen)


def visible_text(page) -> str:
    return page.evaluate("() => document.title + '\\n' + document.body.innerText")


def leftover_indonesian(id_text: str, en_text: str, data: list[str]) -> list[str]:
    """msgids shown on the Indonesian page that are still on the English one (data strings excepted)."""
    from tests.browser.catalogue import translated_msgids

    left = []
    for msgid, (pattern, msgstr) in translated_msgids().items():
        if msgid.lower() in msgstr.lower() or any(msgid in d for d in data):
            continue
        if pattern.search(id_text) and pattern.search(en_text):
            left.append(msgid)
    return left


def switch_to_english(page) -> None:
    page.click("form.lang button[value=en]")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "en"


def test_english_switch_translates_every_journey_page(new_page, officer, submit):
    document = published_document(officer)
    case = submit(name=CITIZEN["name"]).case
    # Data, not UI: OPD names, what the people typed, the regency's configured name.
    data = [*OPD.objects.values_list("name", flat=True), *CITIZEN.values(), document.title, case.registration_number,
            "Ringkasan APBD bidang kesehatan.", settings.PPID_REGENCY_NAME]

    # Citizen pages on a phone.
    page = new_page(viewport=PHONE)
    citizen = [
        ("/", "Public Information Service of Kutai Kartanegara Regency"),
        (reverse("service-notice"), "Public information service notice"),
        (reverse("request-create"), "Public information request form"),
        (reverse("track"), "Track a request"),
        (reverse("documents-library"), "Public document library"),
        (reverse("document-detail", args=[document.pk]), document.title),
        (reverse("dip"), "Public Information List (DIP)"),
    ]
    _check_english(page, citizen, data, "citizen")

    # Officer pages at a desk.
    # Event notes are the immutable record, written in Bahasa Indonesia like the letters: data too.
    data += [n for n in CaseEvent.objects.values_list("note", flat=True) if n]
    desk = new_page(viewport=DESK)
    login(desk, "petugas.dinkes")
    officer_pages = [
        (reverse("queue"), "Case queue"),
        (reverse("case-detail", args=[case.registration_number]), case.registration_number),
    ]
    _check_english(desk, officer_pages, data, "officer")


def _check_english(page, pages, data, label):
    indonesian = {}
    for url, _heading in pages:
        page.goto(url)
        indonesian[url] = visible_text(page)
    switch_to_english(page)
    # The switch returns to the page it was pressed on.
    assert page.url.endswith(pages[-1][0])
    problems = []
    for url, heading in pages:
        page.goto(url)
        assert page.get_attribute("html", "lang") == "en"
        assert page.inner_text("h1").startswith(heading), url
        left = leftover_indonesian(indonesian[url], visible_text(page), data)
        if left:
            problems.append(f"{url}: {left}")
        shot(page, f"english-{label}-{url.strip('/').replace('/', '-') or 'home'}")
    assert not problems, "Indonesian UI strings left in English mode:\n" + "\n".join(problems)
    # And back to Indonesian.
    page.click("form.lang button[value=id]")
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "id"
