"""Requester and officer write to each other on a case: each message is a public timeline event and a notice to the
other side; it changes no status, no due date and does not stop the clock; a withdrawn request takes none."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client, TestCase, override_settings
from rest_framework.test import APIClient

from opd_app.models import Role
from opd_app.services import officer_create
from requests_app.models import Case, CaseEvent, EventKind, Notification, Status
from requests_app.services.actions import case_answer, case_assign, case_close, case_forward, case_withdraw
from requests_app.services.messages import MESSAGE_MAX_LENGTH, message_from_officer, message_from_requester

WITA = dt.timezone(dt.timedelta(hours=8))
SITE = "https://ppid.kukarkab.example"
URL = re.compile(r"https?://\S+")
WRONG = "Nomor registrasi atau kode pelacakan tidak cocok."


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def submission(submit):
    with at(dt.date(2026, 3, 13), 10):  # due Monday 6 April 2026
        return submit()


@pytest.fixture
def case(submission):
    return submission.case


def send_message(submission, text, **extra):
    """The requester's API, run as a commit would (the notices leave on commit)."""
    body = {"registration_number": submission.case.registration_number, "tracking_code": submission.tracking_code,
            "text": text, **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return APIClient().post("/api/v1/requests/messages/", body, format="json")


def officer_writes(user, case, note):
    client = APIClient()
    client.force_authenticate(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/api/v1/cases/{case.registration_number}/actions/",
                           {"action": "message", "note": note}, format="json")


def requester_client(submission) -> Client:
    client = Client()
    response = client.post("/lacak/", {"registration_number": submission.case.registration_number,
                                       "tracking_code": submission.tracking_code})
    assert response.status_code == 302
    return client


def messages_of(case):
    return list(CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE).order_by("pk"))


def mail_to(address: str, words: str):
    return [m for m in mail.outbox if m.to == [address] and words in m.subject]


def clock_of(case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    return (case.status, case.due_date, case.extended_due_date, case.effective_due_date, case.follow_up_due_date,
            case.answered_at, case.answer_working_days, case.updated_at, case.assigned_to_id)


# ------------------------------------------------------------------------------------------------ the requester


@override_settings(PPID_SITE_URL=SITE)
def test_the_requesters_message_is_a_public_event_and_reaches_the_opds_officers(submission, officer, officer2,
                                                                               other_officer, atasan):
    mail.outbox.clear()
    with at(dt.date(2026, 3, 16)):
        response = send_message(submission, "Apakah data tahun 2024 juga bisa diberikan?\r\nTerima kasih.")
    assert response.status_code == 201, response.content
    body = response.json()
    event = messages_of(submission.case)[0]
    assert body == {"id": event.pk, "at": "2026-03-16T09:00:00+08:00",
                    "text": "Apakah data tahun 2024 juga bisa diberikan?\nTerima kasih.", "author": "requester"}
    assert event.public and event.actor is None and event.data == {"author": "requester"}
    assert (event.from_status, event.to_status) == ("submitted", "submitted")
    # Nobody is assigned: every PPID Pelaksana of the OPD is told, nobody else (not the Atasan, not another OPD).
    number = submission.case.registration_number
    told = sorted(m.to[0] for m in mail.outbox if number in m.subject and "Pesan" in m.subject)
    assert told == ["petugas2@example.org", "petugas@example.org"]
    notice = mail_to("petugas@example.org", "Pesan dari pemohon")[0]
    assert notice.subject == f"Pesan dari pemohon {number}"
    assert "Apakah data tahun 2024 juga bisa diberikan?\nTerima kasih." in notice.body
    assert URL.findall(notice.body) == [f"{SITE}/petugas/kasus/{number}/"]
    assert "Batas waktu: 6 April 2026" in notice.body


def test_the_assigned_officer_alone_hears_of_the_requesters_message(submission, officer, officer2, atasan):
    with at(dt.date(2026, 3, 16)):
        case_assign(case=submission.case, actor=atasan, officer=officer2)
        mail.outbox.clear()
        assert send_message(submission, "Kapan data dikirim?").status_code == 201
    assert [m.to for m in mail.outbox] == [["petugas2@example.org"]]
    # An assigned officer whose account was deactivated is no one to tell: the OPD's officers are.
    officer2.is_active = False
    officer2.save(update_fields=["is_active"])
    mail.outbox.clear()
    with at(dt.date(2026, 3, 16), 10):
        assert send_message(submission, "Mohon kabarnya.").status_code == 201
    assert [m.to for m in mail.outbox] == [["petugas@example.org"]]


def test_each_message_is_its_own_notice(submission, officer):
    with at(dt.date(2026, 3, 16)):
        send_message(submission, "Halo.")
        send_message(submission, "Halo.")
        officer_writes(officer, submission.case, "Baik.")
        officer_writes(officer, submission.case, "Baik.")
    rows = Notification.objects.filter(kind__in=["message_new", "requester_message"])
    keys = sorted(rows.values_list("dedupe_key", flat=True))
    events = [e.pk for e in messages_of(submission.case)]
    assert keys == sorted([f"message:{events[0]}:{officer.pk}", f"message:{events[1]}:{officer.pk}",
                           f"message:{events[2]}", f"message:{events[3]}"])


def test_a_wrong_code_is_404_as_the_track_api_says_and_counts_as_a_failed_lookup(submission, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ppid_track": "2/minute"}}
    track = APIClient().get("/api/v1/requests/track/", {"registration_number": submission.case.registration_number,
                                                        "tracking_code": "ABCDEFGHJKMN"})
    assert track.status_code == 404
    response = send_message(submission, "Halo.", tracking_code="ABCDEFGHJKMN")
    assert response.status_code == 404
    assert response.json() == track.json() == {"detail": [WRONG]}
    unknown = send_message(submission, "Halo.", registration_number="DINKES-2026-09999")
    # Two failed lookups (the track API's and the first message's) used up the rate: the third is refused before it
    # is looked up, and so is the right code now.
    assert unknown.status_code == 429
    assert send_message(submission, "Halo.").status_code == 429
    assert messages_of(submission.case) == []


@pytest.mark.parametrize(("body", "error"), [
    ({"text": ""}, "Tulis pesannya."),
    ({"text": "  \r\n "}, "Tulis pesannya."),
    ({"text": "x" * (MESSAGE_MAX_LENGTH + 1)}, f"Pesan paling panjang {MESSAGE_MAX_LENGTH} karakter (sekarang 2001)."),
    ({}, None),  # missing: DRF's own "required" message
])
def test_an_empty_missing_or_too_long_text_is_400_on_the_field(submission, officer, body, error):
    payload = {"registration_number": submission.case.registration_number,
               "tracking_code": submission.tracking_code, **body}
    mail.outbox.clear()
    response = APIClient().post("/api/v1/requests/messages/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["text"]
    if error:
        assert response.json()["text"] == [error]
    assert messages_of(submission.case) == [] and mail.outbox == []


def test_the_limit_counts_a_line_break_as_one_character(submission):
    text = ("x" * 99 + "\r\n") * 20  # 2,000 characters as kept (LF), 2,020 as a browser sends them (CRLF)
    response = send_message(submission, text)
    assert response.status_code == 201, response.content
    assert len(messages_of(submission.case)[0].note) == MESSAGE_MAX_LENGTH - 1  # the last line break is trimmed
    assert send_message(submission, "y" * MESSAGE_MAX_LENGTH).status_code == 201
    assert send_message(submission, "y" * (MESSAGE_MAX_LENGTH + 1)).status_code == 400


def test_form_data_is_taken_too(submission):
    response = APIClient().post("/api/v1/requests/messages/", {
        "registration_number": submission.case.registration_number, "tracking_code": submission.tracking_code,
        "text": "Dikirim sebagai formulir."})
    assert response.status_code == 201 and response.json()["text"] == "Dikirim sebagai formulir."


# ------------------------------------------------------------------------------------------------ the officer


@override_settings(PPID_SITE_URL=SITE)
def test_the_officers_message_is_a_public_event_and_an_email_to_the_requester(submission, officer):
    case = submission.case
    mail.outbox.clear()
    with at(dt.date(2026, 3, 16)):
        response = officer_writes(officer, case, "Mohon jelaskan kecamatan mana yang dimaksud.")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    last = body["events"][-1]
    assert (last["kind"], last["actor"], last["note"], last["public"]) == (
        "message", "petugas.dinkes", "Mohon jelaskan kecamatan mana yang dimaksud.", True)
    event = messages_of(case)[0]
    assert event.actor == officer and event.data == {"author": "officer"}
    [notice] = mail.outbox
    number = case.registration_number
    assert notice.to == ["siti@example.org"]
    assert notice.subject == f"Pesan dari PPID tentang permohonan {number}"
    assert "Yth. Siti Rahmawati," in notice.body
    assert "Petugas PPID Dinas Kesehatan menulis pesan tentang permohonan" in notice.body
    assert "Mohon jelaskan kecamatan mana yang dimaksud." in notice.body
    # The tracking page, never with the code.
    assert URL.findall(notice.body) == [f"{SITE}/lacak/{number}/"]
    assert submission.tracking_code not in notice.body


@override_settings(PPID_SITE_URL=SITE)
def test_the_requesters_email_is_in_the_requesters_language(submission, officer):
    Case.objects.filter(pk=submission.case.pk).update(language="en")
    mail.outbox.clear()
    with at(dt.date(2026, 3, 16)):
        assert officer_writes(officer, submission.case, "Mohon jelaskan.").status_code == 200
    [notice] = mail.outbox
    number = submission.case.registration_number
    assert notice.subject == f"Message from the PPID about request {number}"
    assert "Dear Siti Rahmawati," in notice.body and "Mohon jelaskan." in notice.body
    assert f"{SITE}/lacak/{number}/" in notice.body


def test_a_requester_without_email_sees_the_message_on_the_tracking_page_only(submit, officer):
    with at(dt.date(2026, 3, 13), 10):
        submission = submit(email="")
    mail.outbox.clear()
    assert officer_writes(officer, submission.case, "Mohon datang ke kantor.").status_code == 200
    assert mail.outbox == [] and not Notification.objects.filter(kind="requester_message").exists()
    page = requester_client(submission).get(f"/lacak/{submission.case.registration_number}/").content.decode()
    assert "Mohon datang ke kantor." in page


def test_a_requester_with_a_mobile_number_is_told_of_the_officers_message_by_text(submit, officer, settings, tmp_path):
    """The message reaches the requester as every notice does: a text message to the mobile number, with the
    registration number and the tracking page's address, not the message itself nor the code."""
    settings.PPID_SMS_BACKEND, settings.PPID_SMS_FILE_PATH = "file", str(tmp_path)
    with at(dt.date(2026, 3, 13), 10):
        submission = submit(email="")
    case = submission.case
    assert officer_writes(officer, case, "Mohon datang ke kantor dengan KTP asli.").status_code == 200
    text = Notification.objects.get(kind="requester_message", channel="sms")
    assert text.recipient_phone == "+6281234567890"
    assert text.body.startswith(f"LOBIKU: Ada pesan baru tentang permohonan {case.registration_number}.")
    assert f"/lacak/{case.registration_number}/" in text.body
    assert "KTP asli" not in text.body and case.name not in text.body
    sent = "".join(p.read_text() for p in tmp_path.iterdir())
    assert case.registration_number in sent and "KTP asli" not in sent


def test_an_officer_of_another_opd_gets_404_and_writes_nothing(case, other_officer):
    response = officer_writes(other_officer, case, "Bukan kasus saya.")
    assert response.status_code == 404
    assert messages_of(case) == []
    client = Client()
    client.force_login(other_officer)
    page = client.post(f"/petugas/kasus/{case.registration_number}/aksi/", {"action": "message", "note": "x"})
    assert page.status_code == 404 and messages_of(case) == []


@pytest.mark.parametrize(("note", "error"), [
    ("", "Tulis pesannya."),
    ("x" * (MESSAGE_MAX_LENGTH + 1), f"Pesan paling panjang {MESSAGE_MAX_LENGTH} karakter (sekarang 2001)."),
])
def test_the_officers_empty_or_too_long_message_is_400_on_note(case, officer, note, error):
    response = officer_writes(officer, case, note)
    assert response.status_code == 400
    assert response.json() == {"note": [error]}
    assert messages_of(case) == []


def test_the_atasan_and_ppid_utama_may_write_too(case, atasan, admin_utama):
    assert officer_writes(atasan, case, "Dari Atasan PPID.").status_code == 200
    assert officer_writes(admin_utama, case, "Dari PPID Utama.").status_code == 200
    assert [e.actor.username for e in messages_of(case)] == ["atasan.dinkes", "admin.utama"]


# ------------------------------------------------------------------------------------------------ the clock


def test_messages_leave_status_due_dates_and_the_clock_as_they_were(submission, officer):
    case = submission.case
    with at(dt.date(2026, 3, 16)):
        client = APIClient()
        client.force_authenticate(officer)
        client.post(f"/api/v1/cases/{case.registration_number}/actions/", {"action": "extend", "reason": "Data banyak"},
                    format="json")
    before = clock_of(case)
    assert before[0] == "extended" and before[3] == dt.date(2026, 4, 15)
    with at(dt.date(2026, 4, 15), 15):  # the last day
        assert officer_writes(officer, case, "Mohon klarifikasi: kecamatan mana?").status_code == 200
        assert send_message(submission, "Semua kecamatan.").status_code == 201
    assert clock_of(case) == before
    # The clock did not stop for the clarification: the next day the notice is late.
    case.refresh_from_db()
    assert case.is_overdue(dt.date(2026, 4, 16))


def test_a_message_on_an_answered_case_keeps_its_answer_and_dates(submission, officer):
    case = submission.case
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=case, actor=officer, decision="granted", note="Terlampir.")
    before = clock_of(case)
    with at(dt.date(2026, 4, 2)):
        assert send_message(submission, "Berkasnya tidak bisa dibuka.").status_code == 201
        assert officer_writes(officer, case, "Sudah kami kirim ulang dalam format PDF.").status_code == 200
    assert clock_of(case) == before


def test_a_closed_case_still_takes_messages(submission, officer):
    case = submission.case
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=case, actor=officer, decision="granted")
        case_close(case=case, actor=officer)
    with at(dt.date(2026, 4, 2)):
        assert send_message(submission, "Terima kasih, sudah saya terima.").status_code == 201
        assert officer_writes(officer, case, "Sama-sama.").status_code == 200
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_a_withdrawn_request_takes_no_message(submission, officer):
    case = submission.case
    case_withdraw(case=case, note="Tidak jadi")
    mail.outbox.clear()
    requester = send_message(submission, "Halo?")
    assert requester.status_code == 409
    assert requester.json() == {"detail": ["Permohonan ini telah dicabut; pesan tidak dapat dikirim lagi."]}
    staff = officer_writes(officer, case, "Halo?")
    assert staff.status_code == 409
    assert messages_of(case) == [] and mail.outbox == []


def test_an_imported_case_takes_no_message(case, officer):
    Case.objects.filter(pk=case.pk).update(imported=True, status=Status.CLOSED)
    assert officer_writes(officer, case, "Halo?").status_code == 409
    case.refresh_from_db()
    from requests_app.services.actions import allowed_actions

    assert "message" not in allowed_actions(case)


def test_the_services_take_the_same_rules(case, officer, other_officer):
    from ppid_portal.errors import MissingField, NotPermitted

    with pytest.raises(NotPermitted):
        message_from_officer(case=case, actor=other_officer, text="Bukan kasus saya.")
    with pytest.raises(MissingField) as raised:
        message_from_requester(case=case, text=" ")
    assert raised.value.field == "text"
    assert message_from_requester(case=case, text="  Halo.  ").note == "Halo."


# ------------------------------------------------------------------------------------------------ the pages


def test_the_tracking_page_shows_the_conversation_escaped(submission, officer):
    case = submission.case
    with at(dt.date(2026, 3, 16)):
        send_message(submission, "Apakah <b>semua</b> kecamatan?\nTerima kasih.")
        officer_writes(officer, case, "Ya, <script>alert(1)</script> semua.")
        page = requester_client(submission).get(f"/lacak/{case.registration_number}/").content.decode()
    timeline = page[page.index('id="timeline"'):]
    assert "Pesan Anda" in timeline and "Pesan dari petugas PPID" in timeline
    assert "Apakah &lt;b&gt;semua&lt;/b&gt; kecamatan?<br>Terima kasih." in timeline
    assert "Ya, &lt;script&gt;alert(1)&lt;/script&gt; semua." in timeline and "<script>alert" not in page
    assert timeline.index("Pesan Anda") < timeline.index("Pesan dari petugas PPID")


def test_the_requester_writes_from_the_tracking_page(submission, officer):
    case = submission.case
    client = requester_client(submission)
    url = f"/lacak/{case.registration_number}/pesan/"
    page = client.get(f"/lacak/{case.registration_number}/").content.decode()
    assert f'action="{url}"' in page and f'maxlength="{MESSAGE_MAX_LENGTH}"' in page
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, {"text": "Mohon dikirim lewat e-mail saja."})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{case.registration_number}/"
    assert [e.note for e in messages_of(case)] == ["Mohon dikirim lewat e-mail saja."]
    assert [m.to for m in mail.outbox] == [["petugas@example.org"]]
    after = client.get(response["Location"]).content.decode()
    assert "Pesan Anda terkirim kepada petugas PPID." in after and "Mohon dikirim lewat e-mail saja." in after


def test_a_mistake_on_the_tracking_page_keeps_the_text(submission):
    case = submission.case
    client = requester_client(submission)
    long_text = "a" * (MESSAGE_MAX_LENGTH + 1)
    response = client.post(f"/lacak/{case.registration_number}/pesan/", {"text": long_text})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Pesan paling panjang {MESSAGE_MAX_LENGTH} karakter" in html and f"{long_text}</textarea>" in html
    assert 'aria-invalid="true"' in html
    empty = client.post(f"/lacak/{case.registration_number}/pesan/", {"text": "   "})
    assert empty.status_code == 400 and "Tulis pesannya." in empty.content.decode()
    assert messages_of(case) == []


def test_only_the_requester_gets_the_form_and_may_post_it(submission, officer):
    case = submission.case
    url = f"/lacak/{case.registration_number}/pesan/"
    staff = Client()
    staff.force_login(officer)
    page = staff.get(f"/lacak/{case.registration_number}/").content.decode()
    assert page and f'action="{url}"' not in page
    # Staff rights do not stand in for the requester's proof; a stranger gets nothing either.
    assert staff.post(url, {"text": "Saya petugas."}).status_code == 404
    assert Client().post(url, {"text": "Saya orang lain."}).status_code == 404
    assert Client().get(url).status_code == 405
    assert messages_of(case) == []


def test_a_withdrawn_request_has_no_form(submission):
    case = submission.case
    client = requester_client(submission)
    case_withdraw(case=case)
    url = f"/lacak/{case.registration_number}/pesan/"
    assert f'action="{url}"' not in client.get(f"/lacak/{case.registration_number}/").content.decode()
    response = client.post(url, {"text": "Halo?"})
    assert response.status_code == 302
    assert "pesan tidak dapat dikirim lagi" in client.get(response["Location"]).content.decode()
    assert messages_of(case) == []


def test_the_track_api_timeline_carries_the_messages(submission, officer):
    case = submission.case
    with at(dt.date(2026, 3, 16)):
        send_message(submission, "Pertanyaan saya.")
        officer_writes(officer, case, "Jawaban kami.")
        response = APIClient().get("/api/v1/requests/track/", {"registration_number": case.registration_number,
                                                               "tracking_code": submission.tracking_code})
    timeline = response.json()["timeline"]
    assert timeline[0]["kind"] == "submitted" and timeline[0]["author"] is None
    assert [(t["kind"], t["author"], t["note"], t["status"]) for t in timeline[1:]] == [
        ("message", "requester", "Pertanyaan saya.", "submitted"), ("message", "officer", "Jawaban kami.", "submitted")]
    assert "petugas.dinkes" not in response.content.decode()  # the officer's account is not public


def test_the_case_page_offers_the_message_panel_and_sends_it(case, officer):
    client = Client()
    client.force_login(officer)
    page = client.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    panel = page[page.index('id="panel-message"'):]
    panel = panel[:panel.index("</details>")]
    assert 'name="action" value="message"' in panel and f'maxlength="{MESSAGE_MAX_LENGTH}"' in panel
    assert "Pesan tampil di halaman lacak pemohon dan dikirim ke e-mailnya." in panel
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/petugas/kasus/{case.registration_number}/aksi/",
                               {"action": "message", "note": "Data sedang kami kumpulkan."})
    assert response.status_code == 302 and response["Location"] == f"/petugas/kasus/{case.registration_number}/"
    assert [(e.note, e.actor) for e in messages_of(case)] == [("Data sedang kami kumpulkan.", officer)]
    assert [m.to for m in mail.outbox] == [["siti@example.org"]]
    after = client.get(response["Location"]).content.decode()
    assert "Tersimpan: Pesan kepada pemohon." in after
    timeline = after[after.index('class="timeline"'):]
    assert "Pesan kepada pemohon</strong> — petugas.dinkes" in timeline and "Data sedang kami kumpulkan." in timeline
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_mistake_in_the_panel_shows_it_open_with_the_error(case, officer):
    client = Client()
    client.force_login(officer)
    long_note = "b" * (MESSAGE_MAX_LENGTH + 1)
    response = client.post(f"/petugas/kasus/{case.registration_number}/aksi/", {"action": "message", "note": long_note})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<details id="panel-message" open>' in html
    assert f"Pesan paling panjang {MESSAGE_MAX_LENGTH} karakter" in html and f">{long_note}</textarea>" in html
    assert messages_of(case) == []


def test_the_panel_follows_the_state(submission, officer):
    case = submission.case
    client = Client()
    client.force_login(officer)
    url = f"/petugas/kasus/{case.registration_number}/"
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=case, actor=officer, decision="granted")
        case_close(case=case, actor=officer)
    closed = client.get(url).content.decode()
    assert 'id="panel-message"' in closed and "Tidak ada tindakan untuk status ini." not in closed
    Case.objects.filter(pk=case.pk).update(status=Status.WITHDRAWN)
    withdrawn = client.get(url).content.decode()
    assert 'id="panel-message"' not in withdrawn and "Tidak ada tindakan untuk status ini." in withdrawn


def test_the_forwarding_opds_read_only_page_leaves_the_conversation_out(submission, officer, opds):
    case = submission.case
    officer_create(username="petugas.dpupr", opd_code="DPUPR", role=Role.PELAKSANA, password="pw-Secret-1",
                   email="dpupr@example.org")
    with at(dt.date(2026, 3, 16)):
        send_message(submission, "Nomor HP saya 081299998888.")
        case_forward(case=case, actor=officer, to_opd=opds["DPUPR"], note="Bukan kewenangan kami")
    client = Client()
    client.force_login(officer)
    page = client.get(f"/petugas/kasus/{case.registration_number}/diteruskan/").content.decode()
    assert "Bukan kewenangan kami" in page and "081299998888" not in page


# ------------------------------------------------------------------------------------------------ the rate


@pytest.fixture
def message_rate(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ppid_message": "2/hour"}}


def test_requester_messages_are_rate_limited_on_the_api(submission, message_rate):
    codes = [send_message(submission, f"Pesan {i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    assert len(messages_of(submission.case)) == 2


def test_the_page_and_the_api_share_one_count(submission, message_rate):
    client = requester_client(submission)
    url = f"/lacak/{submission.case.registration_number}/pesan/"
    assert send_message(submission, "Lewat API.").status_code == 201
    assert client.post(url, {"text": "Lewat halaman."}).status_code == 302
    refused = client.post(url, {"text": "Sekali lagi."})
    assert refused.status_code == 429
    assert send_message(submission, "Lewat API lagi.").status_code == 429
    assert [e.note for e in messages_of(submission.case)] == ["Lewat API.", "Lewat halaman."]


def test_the_rate_is_a_setting_with_a_default():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["ppid_message"] == "20/hour"


# ------------------------------------------------------------------------------------------------ the schema


def test_the_openapi_schema_describes_both_sides(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    post = schema["paths"]["/api/v1/requests/messages/"]["post"]
    assert set(post["responses"]) == {"201", "400", "404", "409", "429"}
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CaseMessage"}
    components = schema["components"]["schemas"]
    assert set(components["CaseMessage"]["properties"]) == {"id", "at", "text", "author"}
    assert components["MessageCreateRequest"]["required"] == ["registration_number", "text", "tracking_code"]
    assert "message" in components["ActionEnum"]["enum"]
    assert {"kind", "author"} <= set(components["Timeline"]["properties"])
