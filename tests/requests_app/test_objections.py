"""Keberatan: the 30-working-day filing window, grounds, numbering, receipt and answer PDFs, the answer
clock, the requester's dispute report, and the objection sweep."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from ppid_portal.errors import IllegalTransition, MissingField, NotPermitted
from requests_app.deadlines.sweep import sweep_run
from requests_app.models import CaseAttachment, EventKind, Notification, Objection
from requests_app.services.actions import case_answer
from requests_app.services.objections import (
    ObjectionNotAllowed,
    filing_deadline,
    objection_answer,
    objection_file,
    objection_refer,
)
from tests.conftest import pdf_text

WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 9, minute: int = 0):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA), tick=False)


def attachment_text(attachment: CaseAttachment) -> str:
    with attachment.file.open("rb") as fh:
        return pdf_text(fh.read())


@pytest.fixture
def submission(submit, officer, atasan, admin_utama):
    with at(dt.date(2026, 3, 13), 10):
        return submit()


@pytest.fixture
def case(submission):
    return submission.case


@pytest.fixture
def answered(case, officer, dik_entry):
    # Answered (refused on Pasal 17 h) on Wednesday 1 April 2026, on time.
    with at(dt.date(2026, 4, 1), 14):
        return case_answer(case=case, actor=officer, decision="rejected_exempt", dik=dik_entry)


def test_filing_window_is_30_working_days_after_the_answer(answered):
    # 30 working days after 1 April 2026, skipping Good Friday 3 April, 1 May, Ascension 14 May and its
    # cuti bersama 15 May.
    deadline = filing_deadline(answered, dt.date(2026, 4, 2))
    assert deadline == dt.date(2026, 5, 19)
    with at(deadline, 23, 59):
        objection = objection_file(case=answered, ground="a", reason="Data agregat tidak memuat rahasia pribadi.")
    assert objection.objection_number == "KEB-DINKES-2026-00001"
    with at(deadline + dt.timedelta(days=1), 0, 1), pytest.raises(ObjectionNotAllowed) as exc:
        objection_file(case=answered, ground="a", reason="Terlambat.")
    assert "19-05-2026" in exc.value.message


def test_no_objection_while_the_ppid_is_still_within_its_time(case):
    with at(dt.date(2026, 4, 6), 16), pytest.raises(ObjectionNotAllowed) as exc:
        objection_file(case=case, ground="c", reason="Belum dijawab.")
    assert "06-04-2026" in exc.value.message


def test_unanswered_case_objection_on_c_or_g_from_the_day_after_the_due_date(case):
    with at(dt.date(2026, 4, 7), 8):
        with pytest.raises(MissingField) as exc:
            objection_file(case=case, ground="a", reason="Tidak dijawab.")
        assert exc.value.field == "ground"
        objection = objection_file(case=case, ground="c", reason="Tidak ada jawaban sampai batas waktu.")
    # Received Tuesday 7 April: 30 working days later.
    assert objection.received_on == dt.date(2026, 4, 7)
    assert objection.due_date == dt.date(2026, 5, 22)
    event = case.events.get(kind=EventKind.OBJECTION_FILED)
    assert event.public and "KEB-DINKES-2026-00001" in event.note
    # The window for an unanswered case: 30 working days after 7 April.
    assert filing_deadline(case, dt.date(2026, 4, 7)) == dt.date(2026, 5, 22)


def test_ground_g_only_for_a_late_answer_and_a_only_after_a_refusal(case, officer):
    with at(dt.date(2026, 4, 8), 10):
        case_answer(case=case, actor=officer, decision="granted", note="Terlampir.")
        with pytest.raises(MissingField):
            objection_file(case=case, ground="a", reason="x")  # not refused
        with pytest.raises(MissingField):
            objection_file(case=case, ground="c", reason="x")  # it was answered
        assert objection_file(case=case, ground="g", reason="Dijawab terlambat.").ground == "g"


def test_bad_ground_and_empty_reason_and_second_pending_objection(answered):
    with at(dt.date(2026, 4, 2)):
        with pytest.raises(MissingField) as exc:
            objection_file(case=answered, ground="z", reason="x")
        assert exc.value.field == "ground"
        with pytest.raises(MissingField) as exc:
            objection_file(case=answered, ground="a", reason="  ")
        assert exc.value.field == "reason"
        objection_file(case=answered, ground="a", reason="Keberatan pertama.")
        with pytest.raises(IllegalTransition):
            objection_file(case=answered, ground="e", reason="Kedua.")


def test_objection_received_on_a_weekend_counts_from_monday(answered):
    with at(dt.date(2026, 4, 4), 10):  # Saturday
        objection = objection_file(case=answered, ground="a", reason="x")
    assert objection.received_on == dt.date(2026, 4, 6)
    # 30 working days after Monday 6 April.
    assert objection.due_date == dt.date(2026, 5, 21)


def test_receipt_pdf_and_emails(answered, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with at(dt.date(2026, 4, 2), 11), django_capture_on_commit_callbacks(execute=True):
        objection = objection_file(case=answered, ground="a", reason="Data agregat tidak memuat rahasia pribadi.")
    receipt = answered.attachments.get(kind=CaseAttachment.Kind.OBJECTION_RECEIPT)
    assert receipt.public
    text = attachment_text(receipt)
    assert "Tanda Bukti Penerimaan Keberatan".upper() in text.upper()
    assert "KEB-DINKES-2026-00001" in text and answered.registration_number in text
    assert "huruf a" in text and "20 Mei 2026" in text.replace("May", "Mei")
    to_requester = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert objection.objection_number in to_requester.subject
    assert to_requester.attachments[0][0] == "tanda-terima-keberatan-KEB-DINKES-2026-00001.pdf"
    assert [m.to for m in mail.outbox if m is not to_requester] == [["atasan@example.org"]]


def test_answer_flow_upheld(answered, officer, atasan, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=answered, ground="a", reason="Data agregat tidak memuat rahasia pribadi.")
    mail.outbox.clear()
    with at(dt.date(2026, 4, 20), 10):
        with pytest.raises(NotPermitted):
            objection_answer(objection=objection, actor=officer, outcome="upheld", answer="x")
        with pytest.raises(MissingField):
            objection_answer(objection=objection, actor=atasan, outcome="upheld", answer="")
        with django_capture_on_commit_callbacks(execute=True):
            objection = objection_answer(objection=objection, actor=atasan, outcome="upheld",
                                         answer="Berikan data agregat per kecamatan tanpa nama pasien.")
        with pytest.raises(IllegalTransition):
            objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="x")
    assert objection.status == "answered"
    # 14 working days after Monday 20 April 2026 (1 May holiday).
    assert objection.commission_deadline == dt.date(2026, 5, 11)
    letter = answered.attachments.get(kind=CaseAttachment.Kind.OBJECTION_ANSWER)
    text = attachment_text(letter)
    assert re.search(r"Putusan\s*:\s*Dikabulkan", text) and "Berikan data agregat per kecamatan" in text
    assert "11 Mei 2026" in text.replace("May", "Mei")
    event = answered.events.get(kind=EventKind.OBJECTION_ANSWERED)
    assert event.public and event.data["outcome"] == "upheld" and event.data["late"] is False
    to_requester = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert "14 hari kerja" in to_requester.body and to_requester.attachments
    to_officer = next(m for m in mail.outbox if m.to == ["petugas@example.org"])
    assert "Berikan data agregat per kecamatan" in to_officer.body

    with at(dt.date(2026, 4, 28)):
        objection_refer(objection=objection)
    objection.refresh_from_db()
    assert objection.status == "referred_to_commission" and objection.referred_at
    assert answered.events.filter(kind=EventKind.OBJECTION_REFERRED).count() == 1


def test_answer_flow_dismissed_by_utama(answered, admin_utama):
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=answered, ground="a", reason="x")
    with at(dt.date(2026, 4, 10)):
        objection = objection_answer(objection=objection, actor=admin_utama, outcome="dismissed",
                                     answer="Uji konsekuensi telah dilakukan dengan benar.")
    text = attachment_text(answered.attachments.get(kind=CaseAttachment.Kind.OBJECTION_ANSWER))
    assert re.search(r"Putusan\s*:\s*Ditolak", text) and "Uji konsekuensi telah dilakukan dengan benar." in text
    assert not Notification.objects.filter(kind="objection_upheld").exists()


def test_refer_not_before_answer_or_overdue(answered):
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=answered, ground="a", reason="x")
        with pytest.raises(IllegalTransition):
            objection_refer(objection=objection)


def test_objection_clock_in_the_sweep(answered, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=answered, ground="a", reason="x")
    assert objection.due_date == dt.date(2026, 5, 20)

    def sweep(day, hour=8):
        with at(day, hour), django_capture_on_commit_callbacks(execute=True):
            sweep_run()
            sweep_run()

    def kinds():
        return sorted(Notification.objects.filter(objection=objection, kind__startswith="objection_")
                      .exclude(kind__in=["objection_filed", "objection_new"]).values_list("kind", flat=True))

    sweep(dt.date(2026, 5, 12))
    assert kinds() == []
    sweep(dt.date(2026, 5, 13))  # 20 May is 3 working days away (14, 15 May off)
    assert kinds() == ["objection_reminder3"]
    sweep(dt.date(2026, 5, 18))
    assert kinds() == ["objection_reminder3"]
    sweep(dt.date(2026, 5, 19))
    assert kinds() == ["objection_reminder1", "objection_reminder3"]
    sweep(dt.date(2026, 5, 20))
    sweep(dt.date(2026, 5, 21), hour=0)
    sweep(dt.date(2026, 5, 22))
    assert kinds() == ["objection_due_today", "objection_overdue", "objection_overdue", "objection_reminder1",
                       "objection_reminder3"]
    assert sorted(Notification.objects.filter(kind="objection_overdue").values_list("recipient_email", flat=True)) \
        == ["atasan@example.org", "utama@example.org"]
    assert Notification.objects.filter(kind="requester_objection_overdue", objection=objection).count() == 1
    objection.refresh_from_db()
    assert objection.overdue_at == dt.datetime(2026, 5, 21, 0, 0, tzinfo=WITA)
    # Its overdue notice is stamped: the sweep's overdue lookup (a partial index) no longer holds it.
    from requests_app.rules import OBJECTION_OVERDUE_NOTICE_OWED

    assert objection.overdue_notice_due == objection.due_date
    assert not type(objection).objects.filter(OBJECTION_OVERDUE_NOTICE_OWED, pk=objection.pk).exists()
    # Overdue and unanswered: the requester may now take it to the Komisi Informasi.
    with at(dt.date(2026, 5, 22)):
        assert objection_refer(objection=objection).status == "referred_to_commission"


# ---------------------------------------------------------------------------------------------------- API


@pytest.fixture
def api():
    return APIClient()


def test_api_files_an_objection(api, submission, officer):
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=submission.case, actor=officer, decision="not_documented")
    with at(dt.date(2026, 4, 2), 9, 30):
        response = api.post("/api/v1/requests/objections/", {
            "registration_number": submission.case.registration_number,
            "tracking_code": submission.tracking_code.lower(), "ground": "e", "reason": "Informasi ada di laporan.",
        }, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"objection_number": "KEB-DINKES-2026-00001",
                               "filed_at": "2026-04-02T09:30:00+08:00", "due_date": "2026-05-20"}
    assert Objection.objects.get().reason == "Informasi ada di laporan."


def test_api_404_on_mismatch_and_400_outside_window(api, submission):
    body = {"registration_number": submission.case.registration_number, "tracking_code": "AAAAAAAAAAAA",
            "ground": "c", "reason": "x"}
    with at(dt.date(2026, 4, 2)):
        assert api.post("/api/v1/requests/objections/", body, format="json").status_code == 404
        body["tracking_code"] = submission.tracking_code
        response = api.post("/api/v1/requests/objections/", body, format="json")
        assert response.status_code == 400
        assert "jangka waktu jawaban" in response.json()["detail"][0]
        body["ground"] = "q"
        assert "ground" in api.post("/api/v1/requests/objections/", body, format="json").json()
    with at(dt.date(2026, 6, 1)):
        body["ground"] = "c"
        response = api.post("/api/v1/requests/objections/", body, format="json")
        assert response.status_code == 400
        assert "telah berakhir" in response.json()["detail"][0]
    assert not Objection.objects.exists()


def test_api_is_throttled(api, submission, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ppid_submit": "2/hour"}}
    body = {"registration_number": "X", "tracking_code": "Y", "ground": "c", "reason": "x"}
    codes = [api.post("/api/v1/requests/objections/", body, format="json").status_code for _ in range(3)]
    assert codes == [404, 404, 429]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_objections_get_unique_gap_free_numbers(submit, officer, atasan):
    import threading

    from django.db import connection

    with at(dt.date(2026, 3, 13), 10):
        cases = [submit().case for _ in range(6)]
    with at(dt.date(2026, 4, 1), 14):
        cases = [case_answer(case=c, actor=officer, decision="not_documented") for c in cases]
    barrier = threading.Barrier(len(cases))
    errors = []

    def file(case):
        try:
            barrier.wait()
            objection_file(case=case, ground="e", reason="Informasi ada.")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    with at(dt.date(2026, 4, 2)):
        threads = [threading.Thread(target=file, args=(c,)) for c in cases]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sorted(Objection.objects.values_list("objection_number", flat=True)) == [
        f"KEB-DINKES-2026-{n:05d}" for n in range(1, 7)]
