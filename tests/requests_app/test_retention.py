"""How long the identity scan is kept: until the case is finished, every remedy window has run out and no
objection or dispute is open, plus PPID_IDENTITY_RETENTION_DAYS calendar days; then the sweep deletes it."""

import datetime as dt
import io
import os

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from requests_app.deadlines.sweep import sweep_run
from requests_app.models import Case, CaseEvent, EventKind
from requests_app.services.actions import case_answer, case_close, case_withdraw
from requests_app.services.objections import objection_answer, objection_file, objection_refer

WITA = dt.timezone(dt.timedelta(hours=8))
# Answered on 1 April 2026: the objection filing window ends on 19 May 2026 (see test_objections).
ANSWERED_ON = dt.date(2026, 4, 1)
FILING_ENDS = dt.date(2026, 5, 19)


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture
def case(submit, officer, atasan):
    with at(dt.date(2026, 3, 13), 10):
        return submit().case


@pytest.fixture
def answered(case, officer):
    with at(ANSWERED_ON, 14):
        return case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")


@pytest.fixture
def closed(answered, officer):
    with at(dt.date(2026, 4, 2)):
        return case_close(case=answered, actor=officer)


def sweep_on(day: dt.date, capture) -> dict:
    with at(day, 10), capture(execute=True):
        return sweep_run()


def scan_path(case: Case) -> str:
    return os.path.join(settings.MEDIA_ROOT, case.identity_document.name)


def still_kept(case: Case) -> bool:
    fresh = Case.objects.get(pk=case.pk)
    return bool(fresh.identity_document) and os.path.exists(scan_path(fresh))


def test_closed_case_scan_goes_the_day_after_filing_window_plus_retention(closed, django_capture_on_commit_callbacks):
    kept_until = FILING_ENDS + days(180)
    assert kept_until == dt.date(2026, 11, 15)
    path = scan_path(closed)

    assert sweep_on(kept_until, django_capture_on_commit_callbacks)["identity_documents_purged"] == 0
    assert still_kept(closed)

    assert sweep_on(kept_until + days(1), django_capture_on_commit_callbacks)["identity_documents_purged"] == 1
    fresh = Case.objects.get(pk=closed.pk)
    assert not fresh.identity_document and fresh.identity_document_type == ""
    assert not os.path.exists(path)
    # The register's text columns stay.
    assert fresh.name == "Siti Rahmawati" and fresh.identity_number == "6403012345678901"
    event = CaseEvent.objects.get(case=fresh, kind=EventKind.IDENTITY_DOCUMENT_PURGED)
    assert event.public is False and event.actor is None
    assert "15-11-2026" in event.note
    for personal in ("Siti", "6403012345678901", "Mulawarman", "081234567890", "siti@example.org",
                     os.path.basename(path)):
        assert personal not in event.note and personal not in str(event.data)
    # Once is enough.
    assert sweep_on(kept_until + days(2), django_capture_on_commit_callbacks)["identity_documents_purged"] == 0
    assert CaseEvent.objects.filter(kind=EventKind.IDENTITY_DOCUMENT_PURGED).count() == 1


def test_open_cases_keep_their_scan(case, answered, submit, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 3, 16)):
        submitted = submit().case
    sweep_on(dt.date(2028, 1, 5), django_capture_on_commit_callbacks)
    assert still_kept(answered)  # answered but never closed
    assert still_kept(submitted)


def test_an_objection_still_answerable_keeps_the_scan(answered, officer, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 4, 10)):
        objection_file(case=answered, ground="d", reason="Data tidak sesuai permintaan.")
    with at(dt.date(2026, 4, 13)):
        closed = case_close(case=answered, actor=officer)
    # Long after every window and its retention: the filed objection may still be answered (late).
    sweep_on(dt.date(2028, 1, 5), django_capture_on_commit_callbacks)
    assert still_kept(closed)


def test_a_pending_dispute_keeps_the_scan(answered, officer, atasan, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 4, 10)):
        objection = objection_file(case=answered, ground="d", reason="Data tidak sesuai permintaan.")
    with at(dt.date(2026, 4, 20)):
        objection = objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Sudah sesuai.")
    with at(dt.date(2026, 4, 21)):
        objection_refer(objection=objection)
        closed = case_close(case=answered, actor=officer)
    sweep_on(dt.date(2028, 1, 5), django_capture_on_commit_callbacks)
    assert still_kept(closed)


def test_an_answered_objection_keeps_the_scan_through_its_dispute_window(answered, officer, atasan,
                                                                          django_capture_on_commit_callbacks):
    with at(FILING_ENDS):  # filed on the last day
        objection = objection_file(case=answered, ground="d", reason="Data tidak sesuai permintaan.")
    with at(dt.date(2026, 6, 10)):
        objection = objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Sudah sesuai.")
        closed = case_close(case=answered, actor=officer)
    dispute_ends = objection.commission_deadline
    assert dispute_ends > FILING_ENDS
    sweep_on(dispute_ends + days(180), django_capture_on_commit_callbacks)
    assert still_kept(closed)
    sweep_on(dispute_ends + days(181), django_capture_on_commit_callbacks)
    assert not still_kept(closed)


def test_withdrawn_case_goes_after_retention_from_its_withdrawal(case, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 3, 20)):
        withdrawn = case_withdraw(case=case)
    # A withdrawn request takes no objection: only the retention period runs, from the withdrawal.
    kept_until = dt.date(2026, 3, 20) + days(180)
    sweep_on(kept_until, django_capture_on_commit_callbacks)
    assert still_kept(withdrawn)
    sweep_on(kept_until + days(1), django_capture_on_commit_callbacks)
    assert not still_kept(withdrawn)


def test_withdrawn_case_with_an_answered_objection_waits_for_its_dispute_window(
        case, atasan, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 4, 7)):  # unanswered past its due date (6 April): objection on ground (c)
        objection = objection_file(case=case, ground="c", reason="Tidak ada jawaban.")
    with at(dt.date(2026, 4, 10)):
        objection = objection_answer(objection=objection, actor=atasan, outcome="upheld", answer="Segera jawab.")
    with at(dt.date(2026, 4, 13)):
        withdrawn = case_withdraw(case=case)
    kept_until = objection.commission_deadline + days(180)
    sweep_on(kept_until, django_capture_on_commit_callbacks)
    assert still_kept(withdrawn)
    sweep_on(kept_until + days(1), django_capture_on_commit_callbacks)
    assert not still_kept(withdrawn)


def test_retention_days_come_from_the_setting(closed, settings, django_capture_on_commit_callbacks):
    settings.PPID_IDENTITY_RETENTION_DAYS = 0
    sweep_on(FILING_ENDS, django_capture_on_commit_callbacks)
    assert still_kept(closed)  # the last day an objection may be filed
    sweep_on(FILING_ENDS + days(1), django_capture_on_commit_callbacks)
    assert not still_kept(closed)


def test_one_sweep_purges_a_bounded_batch(submit, officer, monkeypatch, django_capture_on_commit_callbacks):
    from requests_app.services import retention

    cases = []
    for _i in range(3):
        with at(dt.date(2026, 3, 13), 10):
            case = submit().case
        with at(ANSWERED_ON, 14):
            case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")
        with at(dt.date(2026, 4, 2)):
            cases.append(case_close(case=case, actor=officer))
    monkeypatch.setattr(retention, "PURGE_BATCH", 2)
    day = FILING_ENDS + days(181)
    assert sweep_on(day, django_capture_on_commit_callbacks)["identity_documents_purged"] == 2
    assert sweep_on(day, django_capture_on_commit_callbacks)["identity_documents_purged"] == 1
    assert not any(still_kept(c) for c in cases)


def test_officer_page_says_the_scan_was_purged(closed, client, officer, django_capture_on_commit_callbacks):
    sweep_on(FILING_ENDS + days(181), django_capture_on_commit_callbacks)
    client.force_login(officer)
    with at(FILING_ENDS + days(182)):
        page = client.get(f"/petugas/kasus/{closed.registration_number}/")
        identity = client.get(f"/petugas/kasus/{closed.registration_number}/identitas/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dokumen identitas telah dihapus pada 16 November 2026" in text
    assert f"/petugas/kasus/{closed.registration_number}/identitas/" not in text
    assert identity.status_code == 404


def test_purge_command_dry_run_lists_and_keeps_then_purges(closed, django_capture_on_commit_callbacks):
    day = FILING_ENDS + days(181)
    out = io.StringIO()
    with at(day):
        call_command("purge_identity_documents", "--dry-run", stdout=out)
    listing = out.getvalue()
    assert closed.registration_number in listing
    assert "2026-04-02" in listing and "2026-11-15" in listing
    assert "Siti" not in listing and "6403012345678901" not in listing
    assert still_kept(closed)

    out = io.StringIO()
    with at(day), django_capture_on_commit_callbacks(execute=True):
        call_command("purge_identity_documents", stdout=out)
    assert "1 identity scan(s) deleted" in out.getvalue()
    assert not still_kept(closed)
    assert CaseEvent.objects.filter(case=closed, kind=EventKind.IDENTITY_DOCUMENT_PURGED).count() == 1


def test_purge_command_before_the_date_purges_nothing(closed):
    out = io.StringIO()
    call_command("purge_identity_documents", "--date", "2026-11-15", stdout=out)
    assert closed.registration_number not in out.getvalue()
    assert "0 identity scan(s) deleted" in out.getvalue()
    assert still_kept(closed)


def test_the_sql_candidates_are_exactly_the_scans_due_around_the_filing_window(submit, officer):
    """The sweep's SQL must not keep re-reading scans whose working-day filing window has not ended yet: around
    the boundary (weekends included) the candidates are exactly the cases the rule finds due."""
    from requests_app.services import retention

    cases = []
    for offset in range(-6, 7):  # answers on the days around 1 April 2026, closed the day after
        day = ANSWERED_ON + days(offset)
        with at(dt.date(2026, 3, 13), 10):
            case = submit().case
        with at(day, 14):
            case = case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.")
        with at(day + days(1), 9):
            cases.append(case_close(case=case, actor=officer))
    today = FILING_ENDS + days(181)  # the first day a case answered on 1 April is due
    with at(today):
        candidates = set(retention._candidates(today).values_list("pk", flat=True))
        due = {item.case.pk for item in retention.identity_documents_due_for_purge(today)}
    assert due == candidates
    answered_days = {c.pk: ANSWERED_ON + days(o) for c, o in zip(cases, range(-6, 7), strict=True)}
    assert max(answered_days[pk] for pk in due) == ANSWERED_ON
    assert min(answered_days[pk] for pk in set(answered_days) - due) > ANSWERED_ON
