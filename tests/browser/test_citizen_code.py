"""The tracking code on a 360 px phone, in Bahasa Indonesia and in English: shown once with a copy button, printed
on the receipt downloaded right away, explained on a reload, and replaced through "Lupa kode?"."""

import re

import pytest
from django.core import mail

from tests.browser.support import PHONE, check_page, fill_request_form
from tests.conftest import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_RE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")
WORDS = {
    "id": {"submit": "Kirim permohonan", "copied": "Kode disalin", "gone": "hanya ditampilkan sekali",
           "forgot": "Lupa kode?", "send": "Kirim kode baru", "answer": "kode pelacakan baru dikirim",
           "sms": "belum dapat dikirim lewat SMS", "track": "Lacak", "mismatch": "tidak cocok",
           "receipt_label": "Kode pelacakan"},
    "en": {"submit": "Send the request", "copied": "Code copied", "gone": "is shown only once",
           "forgot": "Forgot the code?", "send": "Send a new code", "answer": "a new tracking code is sent",
           "sms": "cannot be sent by SMS yet", "track": "Track", "mismatch": "does not match",
           "receipt_label": "Kode pelacakan"},  # the letter itself is always in Bahasa Indonesia
}


def in_language(page, lang):
    page.goto("/")
    if lang == "en":
        page.click("form.lang button[value=en]")
        page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_code_on_the_receipt_explained_on_reload_and_replaced_with_lupa_kode(new_page, lang):
    words = WORDS[lang]
    page = new_page(viewport=PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    in_language(page, lang)
    page.goto("/permohonan/baru/")
    fill_request_form(page, nik="6403012345678901")
    page.click(f"button[type=submit]:has-text('{words['submit']}')")
    page.wait_for_url(re.compile(r"/permohonan/DINKES-\d{4}-\d{5}/terkirim/$"))
    number = page.inner_text("#registration-number")
    code = page.inner_text("#tracking-code")
    assert CODE_RE.fullmatch(code)

    # With scripts on, the copy button appears and puts the code on the clipboard.
    page.click("button[data-copy='#tracking-code']")
    page.wait_for_function("() => document.querySelector('.copy-status').textContent.length > 0")
    assert page.inner_text(".copy-status") == words["copied"]
    assert page.evaluate("() => navigator.clipboard.readText()") == code
    # The share link carries the number, never the code.
    share = page.get_attribute("#share-link", "href")
    assert share.endswith(f"/lacak/?registration_number={number}") and code not in share
    check_page(page, f"code-{lang}-01-done")

    # The receipt downloaded in this session prints the code.
    href = page.get_attribute("#receipt-link", "href")
    receipt = page.context.request.get(href)
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert number in text and f"{words['receipt_label']} : {code}" in text

    # A reload: no code, an explanation, and the way to a new one.
    page.reload()
    assert page.locator("#tracking-code").count() == 0
    assert words["gone"] in page.inner_text("#code-gone")
    check_page(page, f"code-{lang}-02-done-reloaded")

    # "Lupa kode?": the number comes filled in; the e-mail on record gets a new code.
    mail.outbox.clear()
    page.click(f"#code-gone a:has-text('{words['forgot']}')")
    page.wait_for_url("**/lacak/lupa-kode/**")
    assert page.input_value("#id_registration_number") == number
    check_page(page, f"code-{lang}-03-forgot")
    page.fill("#id_contact", "siti@example.org")
    page.click(f"main button[type=submit]:has-text('{words['send']}')")
    page.wait_for_url("**/lacak/lupa-kode/?terkirim=*")
    answer = page.inner_text("#forgot-answer")
    assert words["answer"] in answer and words["sms"] in answer and "Dinas Kesehatan" in answer
    check_page(page, f"code-{lang}-04-forgot-answered")

    [message] = [m for m in mail.outbox if number in m.subject]
    new = CODE_RE.search(message.body).group(0)
    assert new != code and f"/lacak/{number}/" in message.body

    # Tracking on another phone: the old code is refused, the new one opens the case.
    tracker = new_page(viewport=PHONE)
    in_language(tracker, lang)
    tracker.goto(f"/lacak/?registration_number={number}")
    assert tracker.input_value("#id_registration_number") == number
    tracker.fill("#id_tracking_code", code)
    tracker.click(f"main button[type=submit]:has-text('{words['track']}')")
    assert words["mismatch"] in tracker.inner_text("main .msg-error")
    tracker.fill("#id_tracking_code", new)
    tracker.click(f"main button[type=submit]:has-text('{words['track']}')")
    tracker.wait_for_url(f"**/lacak/{number}/")
    check_page(tracker, f"code-{lang}-05-tracked-with-new-code")

    # The session that submitted the request held the old code's access: it has lost it.
    # It lands on the tracking form with the number filled in, asking for the code again.
    page.goto(f"/lacak/{number}/")
    page.wait_for_url(f"**/lacak/?registration_number={number}")
    assert page.input_value("#id_registration_number") == number


def test_the_copy_fields_follow_the_choice_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/permohonan/baru/")
    assert page.is_visible("#id_copy_format") and page.is_visible("#id_delivery_method")
    assert not page.is_visible("#id_email_helptext")  # delivery is "pickup" by default
    page.select_option("#id_delivery_method", "email")
    assert page.is_visible("#id_email_helptext")
    assert page.inner_text("#id_email_helptext") == "E-mail wajib diisi bila dikirim lewat e-mail."
    page.check("input[name=obtain_method][value=view]")
    assert not page.is_visible("#id_copy_format") and not page.is_visible("#id_delivery_method")
    assert page.input_value("#id_delivery_method") == "pickup"  # viewing sends nothing: no e-mail demanded
    assert not page.is_visible("#id_email_helptext")
    check_page(page, "code-form-viewing")
    page.check("input[name=obtain_method][value=copy]")
    assert page.is_visible("#id_copy_format")
