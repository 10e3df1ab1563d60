"""The tracking code after submission: printed on the receipt downloaded right away (never on a copy kept or sent
later), explained when it can no longer be shown, and re-issued through "Lupa kode?" to the e-mail on record."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app import letters
from requests_app.models import Case, CaseEvent, EventKind, Notification
from requests_app.services.tracking_codes import REISSUES_PER_DAY, Reissue, tracking_code_reissue
from requests_app.tracking import check_tracking_code, display
from tests.conftest import pdf_text, png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))
SUBMITTED = dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA)
NUMBER = "DINKES-2026-00001"
CODE_RE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def form_data(**overrides):
    data = request_data(**overrides)
    data["publish_consent"] = "on" if data["publish_consent"] else ""
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return data


@pytest.fixture
def citizen(opds, calendar):
    return Client()


def shown_code(page: str) -> str:
    return re.search(r'id="tracking-code"[^>]*>([A-Z0-9-]+)<', page).group(1)


def receipt_text(client, number=NUMBER) -> str:
    response = client.get(f"/permohonan/{number}/tanda-bukti.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    return pdf_text(response.content)


# ------------------------------------------------------------------------------------------- the receipt


def test_the_receipt_downloaded_right_after_submission_prints_the_code_and_later_ones_do_not(citizen):
    with time_machine.travel(SUBMITTED, tick=False) as traveller:
        response = citizen.post("/permohonan/baru/", form_data())
        done = citizen.get(response["Location"]).content.decode()
        code = shown_code(done)
        assert CODE_RE.fullmatch(code)

        text = receipt_text(citizen)
        assert f"Kode pelacakan : {code}" in text
        assert receipt_text(citizen).count(code) == 1  # a second download in that window still has it

        # A reload of the confirmation page shows no code, but says why and where to get a new one.
        again = citizen.get(response["Location"]).content.decode()
        assert 'id="tracking-code"' not in again and code not in again
        assert "Kode pelacakan hanya ditampilkan sekali" in again
        assert f'href="/lacak/lupa-kode/?registration_number={NUMBER}"' in again

        # Past the cookie's window the receipt is the plain one.
        traveller.shift(dt.timedelta(minutes=16))
        later = receipt_text(citizen)
        assert NUMBER in later and code not in later and "Kode pelacakan :" not in later


@time_machine.travel(SUBMITTED, tick=False)
def test_the_receipt_opened_before_the_confirmation_page_has_the_code_too(citizen):
    response = citizen.post("/permohonan/baru/", form_data())
    text = receipt_text(citizen)
    code = CODE_RE.search(text).group(0)
    assert shown_code(citizen.get(response["Location"]).content.decode()) == code


@time_machine.travel(SUBMITTED, tick=False)
def test_the_receipt_kept_or_sent_by_the_portal_and_another_sessions_copy_have_no_code(
        citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post("/permohonan/baru/", form_data())
    code = shown_code(citizen.get(response["Location"]).content.decode())
    case = Case.objects.get()

    # The receipt e-mail's PDF is built from the case at send time: no code in it.
    receipt_mail = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    attached = [content for _name, content, mime in receipt_mail.attachments if mime == "application/pdf"]
    assert attached and all(code not in pdf_text(pdf) and NUMBER in pdf_text(pdf) for pdf in attached)
    assert code not in pdf_text(letters.receipt_pdf(case))

    # The requester on another device, in by the code: the receipt there has no code.
    other = Client()
    assert other.post("/lacak/", {"registration_number": NUMBER, "tracking_code": code}).status_code == 302
    assert code not in receipt_text(other)


@time_machine.travel(SUBMITTED, tick=False)
def test_a_forged_cookie_puts_nothing_on_the_receipt(citizen):
    citizen.post("/permohonan/baru/", form_data())
    citizen.cookies["ppid_new_code"] = f"{NUMBER}:AAAABBBBCCCC"
    citizen.cookies["ppid_receipt_code"] = f"{NUMBER}:AAAABBBBCCCC"
    assert "AAAA" not in receipt_text(citizen)


@time_machine.travel(SUBMITTED, tick=False)
def test_the_confirmation_page_offers_a_copy_button_and_a_share_link_without_the_code(citizen, settings):
    settings.PPID_SITE_URL = "https://ppid.kukarkab.go.id"
    response = citizen.post("/permohonan/baru/", form_data())
    page = citizen.get(response["Location"]).content.decode()
    code = shown_code(page)
    # The copy button is for JavaScript only (hidden until the script finds a clipboard); the code is plain text.
    assert re.search(r'<button[^>]*data-copy="#tracking-code"[^>]*hidden', page)
    assert 'class="code-box code-select" id="tracking-code">' + code in page
    share = re.search(r'id="share-link" href="([^"]+)"', page).group(1)
    assert share == f"https://ppid.kukarkab.go.id/lacak/?registration_number={NUMBER}"
    assert code not in share and code.replace("-", "") not in page.split('id="share-link"')[1]
    # The share link opens the tracking form with the number filled in and asks for the code.
    track = citizen.get(f"/lacak/?registration_number={NUMBER}")
    assert track.status_code == 200
    body = track.content.decode()
    assert f'value="{NUMBER}"' in body and "field-error" not in body


# ------------------------------------------------------------------------------------------- "Lupa kode?"


@pytest.fixture
def filed(submit):
    with time_machine.travel(SUBMITTED, tick=False):
        return submit()


def forgot(client, number, contact, capture):
    with capture(execute=True):
        return client.post("/lacak/lupa-kode/", {"registration_number": number, "contact": contact})


def neutral_page(client, response) -> str:
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def new_code_from(message) -> str:
    return CODE_RE.search(message.body).group(0)


def test_lupa_kode_sends_a_new_code_with_dashes_and_a_link_and_the_old_code_stops_working(
        filed, settings, django_capture_on_commit_callbacks):
    settings.PPID_SITE_URL = "https://ppid.kukarkab.go.id"
    old = filed.tracking_code
    mail.outbox.clear()
    client = Client()
    response = forgot(client, NUMBER.lower(), "  Siti@Example.org ", django_capture_on_commit_callbacks)
    assert "Kode pelacakan baru dikirim" not in neutral_page(client, response)  # the same words for everyone

    [message] = mail.outbox
    assert message.to == ["siti@example.org"]
    assert message.subject == f"Kode pelacakan baru untuk permohonan {NUMBER}"
    new = new_code_from(message)
    assert f"Kode pelacakan baru: {new}" in message.body
    assert f"https://ppid.kukarkab.go.id/lacak/{NUMBER}/" in message.body
    assert new.replace("-", "") != old

    tracker = Client()
    refused = tracker.post("/lacak/", {"registration_number": NUMBER, "tracking_code": old})
    assert refused.status_code == 404
    ok = tracker.post("/lacak/", {"registration_number": NUMBER, "tracking_code": new})
    assert ok.status_code == 302 and ok["Location"] == f"/lacak/{NUMBER}/"

    # Recorded on the case for the officers, internally, and the code is stored nowhere but as its hash.
    [event] = CaseEvent.objects.filter(case=filed.case, kind=EventKind.TRACKING_CODE_REQUEST)
    assert not event.public and event.data["issued"] is True
    assert "kode lama tidak berlaku" in event.note
    plain = new.replace("-", "")
    row = Notification.objects.get(kind="tracking_code_reissued")
    for text in (row.body, row.subject, event.note, str(event.data)):
        assert plain not in text and new not in text
    assert check_tracking_code(plain, Case.objects.get().tracking_code_hash)


def test_the_answer_is_the_same_whether_or_not_the_number_and_contact_match(filed,
                                                                          django_capture_on_commit_callbacks):
    hash_before = Case.objects.get().tracking_code_hash
    mail.outbox.clear()
    client = Client()
    capture = django_capture_on_commit_callbacks
    wrong_contact = neutral_page(client, forgot(client, NUMBER, "orang@example.org", capture))
    wrong_phone = neutral_page(client, forgot(client, NUMBER, "0899999999", django_capture_on_commit_callbacks))
    assert Case.objects.get().tracking_code_hash == hash_before and mail.outbox == []
    right = neutral_page(client, forgot(client, NUMBER, "siti@example.org", django_capture_on_commit_callbacks))
    assert len(mail.outbox) == 1
    assert wrong_contact == wrong_phone == right
    assert "kode pelacakan baru dikirim ke alamat e-mail yang tercatat" in right
    assert "PPID Dinas Kesehatan" in right  # named from the number's prefix, whatever the case
    unknown = neutral_page(client, forgot(client, "DINKES-2026-09999", "siti@example.org",
                                          django_capture_on_commit_callbacks))
    assert unknown == right.replace(NUMBER, "DINKES-2026-09999")
    assert not CaseEvent.objects.filter(kind=EventKind.TRACKING_CODE_REQUEST, data__issued=False).exists()


def test_lupa_kode_is_throttled_per_client(filed, settings, django_capture_on_commit_callbacks):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ppid_code_reissue": "2/hour"}}
    client = Client()
    for contact in ("a@example.org", "b@example.org"):
        assert forgot(client, NUMBER, contact, django_capture_on_commit_callbacks).status_code == 302
    hash_before = Case.objects.get().tracking_code_hash
    mail.outbox.clear()
    # Past the limit even the right contact gets no new code.
    limited = forgot(client, NUMBER, "siti@example.org", django_capture_on_commit_callbacks)
    assert limited.status_code == 429
    assert Case.objects.get().tracking_code_hash == hash_before and mail.outbox == []


def test_a_case_gets_at_most_a_few_new_codes_a_day(filed, django_capture_on_commit_callbacks):
    for _ in range(REISSUES_PER_DAY):
        with django_capture_on_commit_callbacks(execute=True):
            assert tracking_code_reissue(registration_number=NUMBER, contact="siti@example.org") is Reissue.SENT
    hash_before = Case.objects.get().tracking_code_hash
    assert tracking_code_reissue(registration_number=NUMBER, contact="siti@example.org") is Reissue.LIMITED
    assert Case.objects.get().tracking_code_hash == hash_before


def test_with_only_a_phone_on_record_nothing_is_faked_and_the_page_points_to_the_opds_ppid(
        submit, django_capture_on_commit_callbacks):
    with time_machine.travel(SUBMITTED, tick=False):
        filed = submit(email="", delivery_method="pickup", phone="0812-3456-7890")
    mail.outbox.clear()
    client = Client()
    page = neutral_page(client, forgot(client, NUMBER, "+62 812 3456 7890", django_capture_on_commit_callbacks))
    assert mail.outbox == [] and not Notification.objects.filter(kind="tracking_code_reissued").exists()
    assert check_tracking_code(filed.tracking_code, Case.objects.get().tracking_code_hash)  # the old code still works
    assert "belum dapat dikirim lewat SMS" in page
    assert "hubungi atau datangi PPID Dinas Kesehatan dengan membawa identitas (KTP)" in page
    [event] = CaseEvent.objects.filter(kind=EventKind.TRACKING_CODE_REQUEST)
    assert event.data["issued"] is False and not event.public and "tidak ada e-mail" in event.note


def test_a_new_code_ends_the_sessions_opened_with_the_old_one_but_not_the_requesters_account(
        opds, calendar, django_capture_on_commit_callbacks):
    # In the present: sessions saved at a travelled-to date would expire on the way back.
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="siti", email="siti@example.org", password="pw-Secret-1")
    owner = Client()
    owner.force_login(user)
    response = owner.post("/permohonan/baru/", form_data())
    code = shown_code(owner.get(response["Location"]).content.decode())
    number = Case.objects.get().registration_number
    holder = Client()  # someone else who had the old code
    holder.post("/lacak/", {"registration_number": number, "tracking_code": code})
    assert holder.get(f"/lacak/{number}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert tracking_code_reissue(registration_number=number, contact="siti@example.org") is Reissue.SENT
    gone = holder.get(f"/lacak/{number}/")
    assert gone.status_code == 302 and gone["Location"] == f"/lacak/?registration_number={number}"
    assert holder.post(f"/lacak/{number}/cabut/").status_code == 404
    assert holder.get(f"/permohonan/{number}/tanda-bukti.pdf").status_code == 404
    assert owner.get(f"/lacak/{number}/").status_code == 200  # the account is its own proof

    new = new_code_from(mail.outbox[-1])
    holder.post("/lacak/", {"registration_number": number, "tracking_code": new})
    assert holder.get(f"/lacak/{number}/").status_code == 200


def test_the_tracking_page_links_to_lupa_kode_with_the_number_filled_in(citizen):
    page = citizen.get(f"/lacak/?registration_number={NUMBER}").content.decode()
    assert f'href="/lacak/lupa-kode/?registration_number={NUMBER}">Lupa kode?</a>' in page
    form = citizen.get(f"/lacak/lupa-kode/?registration_number={NUMBER}").content.decode()
    assert f'value="{NUMBER}"' in form and 'name="contact"' in form


def test_lupa_kode_in_english(filed, django_capture_on_commit_callbacks):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    form = client.get("/lacak/lupa-kode/").content.decode()
    assert "Forgot your tracking code?" in form
    page = neutral_page(client, forgot(client, NUMBER, "nobody@example.org", django_capture_on_commit_callbacks))
    assert "a new tracking code is sent to the e-mail address on record" in page
    assert "cannot be sent by SMS yet" in page


def test_the_tracking_code_filter_writes_dashes():
    from django.template import Context, Template

    rendered = Template("{% load tracking_codes %}{{ c|tracking_code }}").render(Context({"c": "abcd efghjkmn"}))
    assert rendered == "ABCD-EFGH-JKMN" == display("ABCDEFGHJKMN")
