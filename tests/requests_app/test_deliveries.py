"""Letters that reach the requester: a letter for a requester without e-mail (or who asked for pickup, post or
courier) waits in the issuing OPD's list of letters to deliver until an officer records its handover, which keeps a
receipt of delivery (tanda bukti penyerahan); every letter also goes out as a short text message to a phone."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ppid_portal.clock import WITA
from requests_app.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    EventKind,
    LetterDelivery,
    Notification,
    NotificationStatus,
)
from requests_app.services.actions import case_answer
from requests_app.services.objections import objection_answer, objection_file
from requests_app.services.requester_notices import letter_delivery_queue
from tests.conftest import pdf_text

PHONE_ONLY = {"email": "", "delivery_method": "pickup"}


def at(year, month, day, hour=10, minute=0):
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=WITA), tick=False)


def texts(directory: Path) -> list[str]:
    """The text messages the file backend wrote, oldest first."""
    return [path.read_text(encoding="utf-8") for path in sorted(directory.iterdir())]


@pytest.fixture
def sms_files(settings, tmp_path):
    settings.PPID_SMS_BACKEND = "file"
    settings.PPID_SMS_FILE_PATH = str(tmp_path / "sms")
    settings.PPID_SITE_URL = "https://ppid.kukarkab.go.id"
    return tmp_path / "sms"


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def answered_phone_only_case(submit, officer, capture):
    """A phone-only requester (no e-mail, pickup) whose request was received on Friday 13 March 2026 and answered on
    Thursday 26 March 2026 (sends run at commit, as in production)."""
    with at(2026, 3, 13), capture(execute=True):
        submission = submit(**PHONE_ONLY)
    with at(2026, 3, 26), capture(execute=True):
        case_answer(case=submission.case, actor=officer, decision="granted", note="Data terlampir.")
    return submission


# ---------------------------------------------------------------------------------------------------------------
# Which letters wait, and the text messages


def test_a_phone_only_requester_gets_receipt_and_notice_in_the_list_and_as_text_messages(
        submit, officer, client, sms_files, django_capture_on_commit_callbacks):
    submission = answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks)
    case = submission.case

    waiting = {d.letter: d for d in LetterDelivery.objects.filter(case=case)}
    assert set(waiting) == {"receipt", "notice"}
    # Issued Friday 13 March: three working days on, past Nyepi and Idul Fitri with its cuti bersama (18–24 March).
    assert waiting["receipt"].due_on == dt.date(2026, 3, 25)
    assert waiting["receipt"].attachment is None  # rebuilt from the case, as its e-mail is
    notice = case.attachments.get(kind=CaseAttachment.Kind.NOTICE)
    assert waiting["notice"].attachment == notice and waiting["notice"].due_on == dt.date(2026, 3, 31)
    assert all(d.opd_id == case.opd_id and d.delivered_at is None for d in waiting.values())
    # No e-mail to the requester (the officer's new-case notice only).
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert not Notification.objects.filter(channel="email", case=case, recipient_user=None).exists()

    client.force_login(officer)
    with at(2026, 3, 27):
        html = client.get("/petugas/surat/").content.decode()
    assert html.count(case.registration_number) >= 2
    assert "Tanda bukti penerimaan" in html and "Pemberitahuan tertulis" in html and notice.letter_number in html

    sent = texts(sms_files)
    assert len(sent) == 2
    receipt_text, notice_text = sent
    link = f"https://ppid.kukarkab.go.id/lacak/{case.registration_number}/"
    for text in sent:
        assert "To: +6281234567890" in text
        assert case.registration_number in text and link in text
        # Nothing else about the requester, and never the tracking code.
        assert case.name not in text and "Mulawarman" not in text and "6403012345678901" not in text
        assert submission.tracking_code not in text and submission.tracking_code[:4] not in text.split(link)[1]
    assert "Batas waktu jawaban: 06-04-2026" in receipt_text and "diambil di kantor PPID" in receipt_text
    assert "Pemberitahuan tertulis atas permohonan" in notice_text
    rows = Notification.objects.filter(case=case, channel="sms")
    assert {r.kind: r.status for r in rows} == {"receipt": NotificationStatus.SENT, "answered": NotificationStatus.SENT}
    assert {r.recipient_phone for r in rows} == {"+6281234567890"}
    assert f"Id: receipt:{case.pk}:sms" in receipt_text


def test_the_letter_printed_is_the_letter_issued(submit, officer, client, django_capture_on_commit_callbacks):
    answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks)
    client.force_login(officer)
    by_letter = {d.letter: d for d in LetterDelivery.objects.all()}
    printed = client.get(f"/petugas/surat/{by_letter['notice'].pk}/surat.pdf")
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert "inline" in printed["Content-Disposition"] and "sandbox" in printed["Content-Security-Policy"]
    with by_letter["notice"].attachment.file.open("rb") as fh:
        assert b"".join(printed.streaming_content) == fh.read()  # the kept copy, byte for byte
    receipt = client.get(f"/petugas/surat/{by_letter['receipt'].pk}/surat.pdf")
    text = pdf_text(b"".join(receipt.streaming_content))
    assert "TANDA BUKTI PENERIMAAN PERMOHONAN INFORMASI PUBLIK" in text and "DINKES-2026-00001" in text


def test_an_email_requester_is_listed_only_for_pickup_post_or_courier(submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        by_email = submit().case  # e-mail address, delivery by e-mail: the e-mail is enough
        by_post = submit(delivery_method="post").case
    assert not LetterDelivery.objects.filter(case=by_email).exists()
    assert LetterDelivery.objects.get(case=by_post).letter == "receipt"
    # Both e-mailed as before (the receipt, with its PDF).
    assert sorted(m.to[0] for m in mail.outbox) == ["siti@example.org", "siti@example.org"]
    assert all(m.attachments and m.attachments[0][0].startswith("tanda-bukti-") for m in mail.outbox)


def test_each_letter_is_listed_once_and_a_follow_up_notice_is_a_letter_of_its_own(submit, officer, atasan,
                                                                                   dik_entry):
    with at(2026, 3, 13):
        case = submit(**PHONE_ONLY).case
    with at(2026, 3, 16):
        letter_delivery_queue(case=case, letter="receipt")  # the receipt again: already listed
        case_answer(case=case, actor=officer, decision="rejected_exempt", dik=dik_entry)
    with at(2026, 3, 17):
        objection = objection_file(case=case, ground="a", reason="Saya keberatan.")
    with at(2026, 4, 1):
        objection_answer(objection=objection, actor=atasan, outcome="upheld", answer="Berikan datanya.")
    with at(2026, 4, 2):
        case_answer(case=Case.objects.get(pk=case.pk), actor=officer, decision="granted", note="Data diberikan.")
    letters = list(LetterDelivery.objects.filter(case=case).order_by("issued_at", "id")
                   .values_list("letter", "objection__objection_number"))
    number = objection.objection_number
    assert letters == [("receipt", None), ("notice", None), ("objection_receipt", number),
                       ("objection_answer", number), ("notice", None)]


# ---------------------------------------------------------------------------------------------------------------
# The handover


def test_recording_the_handover_keeps_a_receipt_naming_the_letter_and_the_recipient(
        submit, officer, client, django_capture_on_commit_callbacks):
    case = answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks).case
    delivery = LetterDelivery.objects.get(case=case, letter="notice")
    client.force_login(officer)
    with at(2026, 3, 30, 15):
        page = client.get(f"/petugas/surat/{delivery.pk}/")
        assert 'value="in_person" ' in page.content.decode().replace("checked", "") and b"2026-03-30T15:00" in \
            page.content  # the pickup case's likely way, and now, offered first
        response = client.post(f"/petugas/surat/{delivery.pk}/", {
            "delivered_at": "2026-03-30T14:20", "method": "in_person", "recipient_name": "Budi Santoso",
            "note": "Diambil oleh suami pemohon dengan surat kuasa."})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.delivered_at == dt.datetime(2026, 3, 30, 14, 20, tzinfo=WITA)
    assert (delivery.method, delivery.recipient_name, delivery.delivered_by) == ("in_person", "Budi Santoso", officer)
    assert not delivery.delivered_late  # due 31 March

    receipt = client.get(f"/petugas/surat/{delivery.pk}/tanda-bukti-penyerahan.pdf")
    assert receipt.status_code == 200 and "attachment" in receipt["Content-Disposition"]
    assert "tanda-bukti-penyerahan-pemberitahuan-tertulis-DINKES-2026-00001.pdf" in receipt["Content-Disposition"]
    text = pdf_text(b"".join(receipt.streaming_content))
    assert "TANDA BUKTI PENYERAHAN SURAT" in text
    assert "Surat yang diserahkan : Pemberitahuan tertulis" in text
    assert delivery.attachment.letter_number in text and case.registration_number in text
    assert "Diterima oleh : Budi Santoso" in text and "30 Maret 2026, pukul 14:20 WITA" in text
    assert "Diserahkan langsung" in text and "surat kuasa" in text

    event = CaseEvent.objects.get(case=case, kind=EventKind.LETTER_DELIVERED)
    assert event.public and event.actor == officer
    assert event.note == "Pemberitahuan tertulis diserahkan kepada pemohon pada 30-03-2026."
    assert "Budi" not in event.note  # who took it stays on the receipt, not on the requester's timeline

    case_page = client.get(f"/petugas/kasus/{case.registration_number}/").content.decode()
    assert f"/petugas/surat/{delivery.pk}/tanda-bukti-penyerahan.pdf" in case_page
    delivered = client.get("/petugas/surat/?status=delivered").content.decode()
    waiting = client.get("/petugas/surat/").content.decode()
    assert f"/petugas/surat/{delivery.pk}/tanda-bukti-penyerahan.pdf" in delivered
    assert f"/petugas/surat/{delivery.pk}/surat.pdf" not in waiting
    # The receipt of delivery leaves with its case (personal data on it).
    assert delivery.receipt_file.name in Case.objects.filter(pk=case.pk).stored_file_names()


def test_a_handover_after_the_due_day_is_late(submit, officer, django_capture_on_commit_callbacks):
    case = answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks).case
    delivery = LetterDelivery.objects.get(case=case, letter="receipt")  # due 25 March
    with at(2026, 3, 27):
        response = api_for(officer).post(f"/api/v1/deliveries/{delivery.pk}/handover/", {
            "delivered_at": "2026-03-26T09:00:00+08:00", "method": "post", "recipient_name": "Kantor Pos"},
            format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["delivered_late"] is True and body["method"] == "post" and body["delivered_by"] == officer.username
    assert body["receipt_url"].endswith(f"/petugas/surat/{delivery.pk}/tanda-bukti-penyerahan.pdf")
    again = api_for(officer).post(f"/api/v1/deliveries/{delivery.pk}/handover/", {
        "delivered_at": "2026-03-26T09:00:00+08:00", "method": "post", "recipient_name": "Kantor Pos"}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize(("field", "value", "message"), [
    ("delivered_at", "2026-03-31T09:00", "masa depan"),
    ("delivered_at", "2026-03-25T09:00", "sebelum surat terbit"),
    ("recipient_name", "x" * 201, "200"),
    ("recipient_name", "   ", ""),
    ("note", "x" * 1001, "1000"),
    ("method", "drone", ""),
])
def test_handover_form_refuses_bad_values_beside_their_field(submit, officer, client, field, value, message,
                                                             django_capture_on_commit_callbacks):
    case = answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks).case
    delivery = LetterDelivery.objects.get(case=case, letter="notice")  # issued 26 March, 10:00
    client.force_login(officer)
    body = {"delivered_at": "2026-03-30T11:00", "method": "in_person", "recipient_name": "Budi", field: value}
    with at(2026, 3, 30, 12):
        response = client.post(f"/petugas/surat/{delivery.pk}/", body)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    delivery.refresh_from_db()
    assert delivery.delivered_at is None and not delivery.receipt_file
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.LETTER_DELIVERED).exists()


@pytest.mark.parametrize(("field", "value"), [("recipient_name", "x" * 201), ("note", "x" * 1001),
                                              ("delivered_at", "2099-01-01T00:00:00+08:00"), ("method", "drone")])
def test_handover_api_refuses_bad_values_naming_the_field(submit, officer, field, value,
                                                          django_capture_on_commit_callbacks):
    case = answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks).case
    delivery = LetterDelivery.objects.get(case=case, letter="notice")
    body = {"delivered_at": "2026-03-30T11:00:00+08:00", "method": "courier", "recipient_name": "JNE", field: value}
    with at(2026, 3, 30, 12):
        response = api_for(officer).post(f"/api/v1/deliveries/{delivery.pk}/handover/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert LetterDelivery.objects.get(pk=delivery.pk).delivered_at is None


# ---------------------------------------------------------------------------------------------------------------
# The list: order, scope, filters


def _listed(case, letter, issued, due):
    return LetterDelivery.objects.create(case=case, opd=case.opd, letter=letter, issued_at=issued, due_on=due)


def test_the_list_puts_overdue_letters_first_then_the_oldest(submit, officer, client):
    cases = [submit(**PHONE_ONLY).case for _ in range(4)]
    LetterDelivery.objects.all().delete()
    day = dt.datetime(2026, 3, 2, 9, tzinfo=WITA)
    not_due_oldest = _listed(cases[0], "receipt", day, dt.date(2026, 4, 30))  # a longer term set for it
    overdue_young = _listed(cases[1], "receipt", day + dt.timedelta(days=3), dt.date(2026, 3, 6))
    overdue_old = _listed(cases[2], "receipt", day + dt.timedelta(days=1), dt.date(2026, 3, 5))
    fresh = _listed(cases[3], "receipt", day + dt.timedelta(days=8), dt.date(2026, 3, 13))
    expected = [overdue_old.pk, overdue_young.pk, not_due_oldest.pk, fresh.pk]
    with at(2026, 3, 10):
        body = api_for(officer).get("/api/v1/deliveries/").json()
        client.force_login(officer)
        html = client.get("/petugas/surat/").content.decode()
    assert [row["id"] for row in body["results"]] == expected
    assert [row["overdue"] for row in body["results"]] == [True, True, False, False]
    assert body["count"] == 4 and body["next"] is None
    positions = [html.index(f'href="/petugas/surat/{pk}/"') for pk in expected]
    assert positions == sorted(positions)
    assert "4 surat menunggu diserahkan, 2 di antaranya lewat batas." in html


def test_the_list_pages_by_50(submit, officer, client):
    case = submit(**PHONE_ONLY).case
    LetterDelivery.objects.all().delete()
    day = dt.datetime(2026, 3, 2, 9, tzinfo=WITA)
    for i in range(55):  # 55 written notices (each its own kept copy)
        kept = CaseAttachment.objects.create(case=case, kind="notice", file="x.pdf", filename="x.pdf",
                                             content_type="application/pdf", size=1, created_at=day)
        LetterDelivery.objects.create(case=case, opd=case.opd, letter="notice", attachment=kept,
                                      issued_at=day + dt.timedelta(minutes=i), due_on=dt.date(2026, 3, 20))
    with at(2026, 3, 10):
        first = api_for(officer).get("/api/v1/deliveries/").json()
        second = api_for(officer).get("/api/v1/deliveries/?page=2").json()
        client.force_login(officer)
        page2 = client.get("/petugas/surat/?page=2").content.decode()
    assert first["count"] == 55 and len(first["results"]) == 50 and len(second["results"]) == 5
    assert "Halaman 2 dari 2" in page2


def test_officers_of_another_opd_get_404_and_change_nothing(submit, officer, other_officer, client,
                                                            django_capture_on_commit_callbacks):
    case = answered_phone_only_case(submit, officer, django_capture_on_commit_callbacks).case
    delivery = LetterDelivery.objects.get(case=case, letter="notice")
    client.force_login(other_officer)
    for url in (f"/petugas/surat/{delivery.pk}/", f"/petugas/surat/{delivery.pk}/surat.pdf",
                f"/petugas/surat/{delivery.pk}/tanda-bukti-penyerahan.pdf"):
        assert client.get(url).status_code == 404, url
    with at(2026, 3, 30):
        assert client.post(f"/petugas/surat/{delivery.pk}/", {
            "delivered_at": "2026-03-30T09:00", "method": "in_person", "recipient_name": "Orang lain"},
        ).status_code == 404
        assert api_for(other_officer).post(f"/api/v1/deliveries/{delivery.pk}/handover/", {
            "delivered_at": "2026-03-30T09:00:00+08:00", "method": "in_person", "recipient_name": "Orang lain"},
            format="json").status_code == 404
    assert api_for(other_officer).get("/api/v1/deliveries/").json()["count"] == 0
    assert case.registration_number not in client.get("/petugas/surat/").content.decode()
    assert LetterDelivery.objects.get(pk=delivery.pk).delivered_at is None


def test_ppid_utama_sees_every_opd_and_filters_by_one(submit, officer, admin_utama, client,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dinkes = submit(**PHONE_ONLY).case
        dpupr = submit(opd="DPUPR", **PHONE_ONLY).case
    api = api_for(admin_utama)
    assert {r["registration_number"] for r in api.get("/api/v1/deliveries/").json()["results"]} == {
        dinkes.registration_number, dpupr.registration_number}
    only = api.get("/api/v1/deliveries/?opd=dpupr").json()["results"]
    assert [r["registration_number"] for r in only] == [dpupr.registration_number]
    assert api.get("/api/v1/deliveries/?status=sent").status_code == 400
    client.force_login(admin_utama)
    html = client.get("/petugas/surat/?opd=DPUPR").content.decode()
    assert dpupr.registration_number in html and dinkes.registration_number not in html


def test_a_letter_handed_over_in_the_minute_it_was_issued_is_not_before_it():
    """The forms take the time to the minute: the desk hands a letter over right after issuing it."""
    from requests_app.services.deliveries import handover_errors

    issued = dt.datetime(2026, 3, 26, 10, 0, 30, tzinfo=WITA)
    delivery = LetterDelivery(letter="notice", issued_at=issued)
    with at(2026, 3, 26, 10, 1):
        same_minute = handover_errors(delivery, delivered_at=issued.replace(second=0), method="in_person",
                                      recipient_name="Budi")
        minute_before = handover_errors(delivery, delivered_at=issued.replace(minute=59, hour=9, second=0),
                                        method="in_person", recipient_name="Budi")
    assert same_minute == {}
    assert list(minute_before) == ["delivered_at"]
