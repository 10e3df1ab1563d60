"""The officer's case page in a browser: an answer with a mistake comes back with everything typed still there and
the error beside its field; the letter is reviewed before it is sent; "Kirim" sends it. And every action of the
page, done in turn, leaves no internal code word on the Indonesian page."""

import re

import pytest

from requests_app.models import Case, CaseAttachment, EventKind, Status
from tests.browser.support import DESK, PHONE, check_page, login
from tests.conftest import dik_entry_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"id": "id-ID", "en": "en-US"}
WORDS = {
    "id": {"next": "Lanjut", "check": "Periksa surat", "send": "Kirim", "edit": "Ubah", "answer": "Jawab",
           "review": "Periksa sebelum mengirim", "saved": "Tersimpan: Pemberitahuan tertulis.",
           "no_entry": "Pilih entri Daftar Informasi yang Dikecualikan (DIK) yang menjadi dasar pengecualian."},
    "en": {"next": "Continue", "check": "Check the letter", "send": "Send", "edit": "Edit", "answer": "Answer",
           "review": "Check before sending", "saved": "Saved: Written notice.",
           "no_entry": "Choose the entry of the list of exempted information (DIK) the exemption rests on."},
}
REASONING = "Rekam medis memuat rahasia pribadi pasien; membukanya merugikan pasien."


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", ["phone", "desk"])
def test_the_answer_keeps_what_was_typed_is_reviewed_and_then_sent(new_page, submit, officer, lang, size):
    words = WORDS[lang]
    case = submit(name="Budi Santoso").case
    entry = dik_entry_make(case.opd, consequence=REASONING)
    page = new_page(viewport=PHONE if size == "phone" else DESK, locale=LOCALES[lang])
    login(page, "petugas.dinkes", then=f"/petugas/kasus/{case.registration_number}/")

    # Step 1: the decision only.
    page.click(f"#panel-answer summary:has-text('{words['answer']}')")
    assert page.locator("#answer-exemption").count() == 0
    page.select_option("#answer-decision", "rejected_exempt")
    page.click(f"#panel-answer button:has-text('{words['next']}')")
    page.wait_for_load_state()
    # Step 2: only what a refusal needs: the DIK entry it rests on (a PPID Pelaksana picks one) and a note.
    assert page.locator("#answer-holder").count() == 0 and page.locator("#answer-cost_note").count() == 0
    assert page.locator("#answer-dik_information").count() == 0
    page.fill("#answer-note", "Bagian data yang dapat dibuka akan disusun ulang.")
    page.click(f"#panel-answer button:has-text('{words['check']}')")
    page.wait_for_load_state()

    # The mistake (no DIK entry): the same page, the panel open, everything typed kept, the error beside it.
    assert page.locator("#panel-answer").get_attribute("open") is not None
    assert page.input_value("#answer-decision") == "rejected_exempt"
    assert page.input_value("#answer-note") == "Bagian data yang dapat dibuka akan disusun ulang."
    assert page.inner_text("#answer-dik_error") == words["no_entry"]
    assert page.get_attribute("#answer-dik", "aria-invalid") == "true"
    assert page.get_attribute("#answer-dik", "aria-describedby") == "answer-dik_error"
    check_page(page, f"case-page-{size}-{lang}-01-error")

    page.select_option("#answer-dik", str(entry.pk))
    page.click(f"#panel-answer button:has-text('{words['check']}')")
    page.wait_for_load_state()
    # The review: the letter as it will be sent, nothing sent yet.
    assert words["review"] in page.inner_text("h1")
    letter = page.inner_text(".letter-sheet")
    assert REASONING in letter and "Pasal 17 huruf h" in letter and case.registration_number in letter
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    check_page(page, f"case-page-{size}-{lang}-02-review")

    # "Ubah" goes back with the values kept; the review again, then "Kirim".
    page.click(f"#review-edit button:has-text('{words['edit']}')")
    page.wait_for_load_state()
    assert page.input_value("#answer-dik") == str(entry.pk)
    page.click(f"#panel-answer button:has-text('{words['check']}')")
    page.wait_for_load_state()
    page.click(f"#review-confirm button:has-text('{words['send']}')")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/")
    assert words["saved"] in page.inner_text("main")
    case.refresh_from_db()
    assert (case.status, case.decision, case.exemption, case.consequence_test, case.dik_entry_id) == (
        Status.ANSWERED, "rejected_exempt", "h", REASONING, entry.pk)
    assert case.events.filter(kind=EventKind.ANSWERED).count() == 1
    assert case.attachments.filter(kind=CaseAttachment.Kind.NOTICE).count() == 1
    check_page(page, f"case-page-{size}-{lang}-03-sent")


# Internal codes that must never reach the Indonesian page as words: the actions, the decisions, the statuses,
# the requester's field names. Matched case-sensitively as whole words ("NIK" the label is Indonesian).
CODE_WORDS = ("acknowledge", "assign", "extend", "answer", "forward", "close", "withdraw", "granted",
              "partially_granted", "rejected_exempt", "not_held", "not_documented", "internal", "submitted",
              "in_process", "extended", "answered", "forwarded", "closed", "nik", "phone", "email_address",
              "decision", "exemption", "consequence_test", "holder", "cost_note", "to_opd", "officer", "reason")


def assert_no_code_words(page, where: str) -> None:
    text = page.evaluate("() => document.body.innerText")
    found = [w for w in CODE_WORDS if re.search(rf"(?<![\w.@-]){w}(?![\w.@-])", text)]
    assert not found, f"code words on the page after {where}: {found}"


def test_every_action_leaves_only_indonesian_words(new_page, submit, officer):
    case = submit(name="Budi Santoso").case
    other = submit(name="Rina Wulandari").case
    page = new_page(viewport=DESK)
    login(page, "petugas.dinkes", then=f"/petugas/kasus/{case.registration_number}/")
    assert_no_code_words(page, "opening the case")

    page.click("#panel-acknowledge button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/")
    assert "Tersimpan: Penerimaan kasus untuk diproses." in page.inner_text("main")
    assert_no_code_words(page, "acknowledge")

    page.click("#panel-assign summary")
    page.select_option("#assign-officer", "petugas.dinkes")  # an officer claims the case (another: Atasan's)
    page.click("#panel-assign button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/")
    assert "Tersimpan: Penunjukan petugas." in page.inner_text("main")
    assert "Hanya untuk petugas" in page.inner_text(".timeline")
    assert_no_code_words(page, "assign")

    page.click("#panel-extend summary")
    page.click("#panel-extend button[type=submit]")  # no reason: the error beside the field
    page.wait_for_load_state()
    assert_no_code_words(page, "an extension without a reason")
    page.fill("#extend-reason", "Data tersebar di 18 puskesmas dan perlu dihimpun.")
    page.click("#panel-extend button[type=submit]")
    page.wait_for_load_state()
    assert "Tenggarong," in page.inner_text(".letter-sheet")
    assert_no_code_words(page, "the extension's review")
    page.click("#review-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/")
    assert_no_code_words(page, "extend")

    page.click("#panel-answer summary")
    page.click("#panel-answer button[type=submit]")  # no decision: said in words
    page.wait_for_load_state()
    assert page.inner_text("#answer-decision_error") == "Pilih keputusan."
    assert_no_code_words(page, "an answer without a decision")
    page.select_option("#answer-decision", "granted")
    page.click("#panel-answer button:has-text('Lanjut')")
    page.wait_for_load_state()
    page.fill("#answer-note", "Data jumlah puskesmas terlampir.")
    page.click("#panel-answer button:has-text('Periksa surat')")
    page.wait_for_load_state()
    assert_no_code_words(page, "the answer's review")
    page.click("#review-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/")
    assert_no_code_words(page, "answer")

    page.click("#panel-close button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{case.registration_number}/")
    assert "Tersimpan: Penyelesaian kasus." in page.inner_text("main")
    assert_no_code_words(page, "close")

    page.goto(f"/petugas/kasus/{other.registration_number}/")
    page.click("#panel-forward summary")
    page.select_option("#forward-to_opd", "DPUPR")
    page.fill("#forward-note", "Jalan kabupaten dikelola Dinas PUPR.")
    page.click("#panel-forward button[type=submit]")
    page.wait_for_load_state()
    assert "Jalan kabupaten dikelola Dinas PUPR." in page.inner_text("#review-note")
    assert_no_code_words(page, "the forwarding's review")
    page.click("#review-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/kasus/{other.registration_number}/diteruskan/")
    assert "Tersimpan: Penerusan ke OPD lain." in page.inner_text("main")
    assert_no_code_words(page, "forward")
    assert Case.objects.get(pk=other.pk).status == Status.FORWARDED
