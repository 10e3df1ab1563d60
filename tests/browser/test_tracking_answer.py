"""The tracking page on a 360 px phone and a 1280 px desk, in Bahasa Indonesia and English: the answer panel comes
right after the heading, with the decision in words and the notice letter's download above the timeline; the
keberatan link is there only while one may be filed; withdrawing asks for a confirmation first."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from requests_app.models import Case
from requests_app.services.actions import case_answer
from requests_app.services.objections import objection_file
from tests.browser.support import DESK, PHONE, check_page
from tests.conftest import dik_entry_make, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": PHONE, "desk": DESK}
WORDS = {
    "id": {"locale": "id-ID", "answer": "Jawaban", "decision": "Dikabulkan sebagian", "object": "Ajukan keberatan",
           "withdraw": "Cabut permohonan", "confirm": "Ya, cabut permohonan ini", "withdrawn": "Dicabut",
           "pending": "Keberatan Anda", "status": "Status permohonan"},
    "en": {"locale": "en-US", "answer": "Answer", "decision": "Partly granted", "object": "File an objection",
           "withdraw": "Withdraw the request", "confirm": "Yes, withdraw this request", "withdrawn": "Withdrawn",
           "pending": "Your objection", "status": "Request status"},
}
CASES = [(size, lang) for size in SIZES for lang in WORDS]


def track(new_page, submission, size, lang):
    """A fresh browser follows the e-mail's link: the tracking form with the number filled in, then the code."""
    page = new_page(viewport=SIZES[size], locale=WORDS[lang]["locale"])
    number = submission.case.registration_number
    page.goto(f"/lacak/{number}/")
    page.wait_for_url(f"**/lacak/?registration_number={number}")
    assert page.input_value("#id_registration_number") == number
    page.fill("#id_tracking_code", submission.tracking_code)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/lacak/{number}/")
    assert page.get_attribute("html", "lang") == lang  # the browser's language picks the page's
    return page


@pytest.mark.parametrize(("size", "lang"), CASES, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_the_answer_comes_first_and_objecting_only_while_possible(new_page, submit, officer, size, lang):
    words = WORDS[lang]
    submission = submit()
    case = submission.case
    case_answer(case=case, actor=officer, decision="partially_granted", note="Data per kabupaten terlampir.",
                withheld="Nama pasien.", dik=dik_entry_make(case.opd),
                files=[SimpleUploadedFile("data-puskesmas.pdf", pdf_bytes("Data"), content_type="application/pdf")])
    page = track(new_page, submission, size, lang)

    # The first thing after the heading is the answer panel.
    assert page.evaluate("() => document.querySelector('main h1').nextElementSibling.id") == "answer"
    assert page.inner_text("#answer-h") == words["answer"]
    assert page.inner_text("#case-decision") == words["decision"]
    assert page.is_visible("#decision-explanation")
    assert "Data per kabupaten terlampir." in page.inner_text("#answer")
    letter = page.locator("#answer-files a").first
    assert letter.is_visible() and "pemberitahuan-tertulis-" in letter.inner_text()
    assert letter.bounding_box()["y"] < page.locator("#timeline").bounding_box()["y"]
    # On a phone the decision is on the first screen.
    assert page.locator("#case-decision").bounding_box()["y"] < SIZES[size]["height"]
    # Objecting is open (answered today): a secondary action after the answer.
    link = page.locator("#objection-action a")
    assert link.inner_text() == words["object"]
    assert page.locator("#answer").bounding_box()["y"] < link.bounding_box()["y"]
    check_page(page, f"tracking-answer-{size}-{lang}")
    response = page.request.get(letter.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")

    # A pending objection replaces the action with its status and due date.
    objection = objection_file(case=case, ground="d", reason="Data per kecamatan tidak diberikan.")
    page.reload()
    assert page.locator("#objection-action").count() == 0
    pending = page.inner_text("#objection-pending")
    assert objection.objection_number in pending and words["pending"] in pending
    check_page(page, f"tracking-pending-objection-{size}-{lang}")

    # Outside the filing window (answered long ago, the objection settled): no action at all.
    case.objections.update(status="answered", outcome="dismissed", answer="Tidak beralasan.",
                           answered_at=dt.datetime(2025, 1, 20, tzinfo=dt.UTC))
    Case.objects.filter(pk=case.pk).update(answered_at=dt.datetime(2025, 1, 6, 2, tzinfo=dt.UTC))
    page.reload()
    assert page.locator("#objection-action").count() == 0 and page.locator("#objection-pending").count() == 0
    assert page.inner_text("#case-decision") == words["decision"]


@pytest.mark.parametrize(("size", "lang"), CASES, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_withdrawing_asks_for_a_confirmation(new_page, submit, size, lang):
    words = WORDS[lang]
    submission = submit()
    page = track(new_page, submission, size, lang)
    number = submission.case.registration_number
    # Before an answer the panel is the status, due date and next step; no keberatan yet.
    assert page.inner_text("#answer-h") == words["status"]
    assert page.is_visible("#answer-due") and page.is_visible("#answer-next")
    assert page.locator("#objection-action").count() == 0
    page.click(f"a.btn:has-text('{words['withdraw']}')")
    page.wait_for_url(f"**/lacak/{number}/cabut/")
    assert page.is_visible("#withdraw-warning")
    check_page(page, f"tracking-withdraw-confirm-{size}-{lang}")
    assert Case.objects.get(pk=submission.case.pk).status == "submitted"  # asking changed nothing
    page.fill("#withdraw-note", "Sudah dapat di tempat lain")
    page.click(f"button:has-text('{words['confirm']}')")
    page.wait_for_url(f"**/lacak/{number}/")
    assert Case.objects.get(pk=submission.case.pk).status == "withdrawn"
    assert page.inner_text("#case-status") == words["withdrawn"]
    assert page.locator(f"a[href='/lacak/{number}/cabut/']").count() == 0
