"""The deadline sweep: every threshold once, catch-up after a gap, racing sweeps, the outbox re-send."""

import datetime as dt
import threading
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from requests_app.deadlines.digest import digest_send
from requests_app.deadlines.sweep import sweep_run
from requests_app.models import Case, CaseEvent, DeadlineNotice, EventKind, Notification, NotificationStatus
from requests_app.tasks import resend_notifications_task

WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 8, minute: int = 0):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA), tick=False)


@pytest.fixture
def people(officer, atasan, admin_utama):
    return {"officer": officer, "atasan": atasan, "utama": admin_utama}


@pytest.fixture
def case(people, submit, django_capture_on_commit_callbacks):
    # Received Friday 13 March 2026: due Monday 6 April 2026 (the README's example).
    with at(dt.date(2026, 3, 13), 10), django_capture_on_commit_callbacks(execute=True):
        submission = submit()
    mail.outbox.clear()
    case = submission.case
    assert case.effective_due_date == dt.date(2026, 4, 6)
    return case


def sweep_on(day, hour=8, times=2, capture=None):
    """Run the sweep `times` times at `day`, executing on-commit work (the eager send task)."""
    with at(day, hour):
        for _ in range(times):
            with capture(execute=True):
                sweep_run()


def notices(case, kind=None):
    qs = Notification.objects.filter(case=case).exclude(kind__in=["receipt", "new_case"])
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def recipients(case, kind):
    return sorted(notices(case, kind).values_list("recipient_email", flat=True))


def test_walk_through_every_threshold_each_notice_once(case, people, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    # Monday 30 March: 4 working days left (Good Friday 3 April is a holiday) — nothing yet.
    sweep_on(dt.date(2026, 3, 30), capture=cap)
    assert not notices(case).exists()

    # Tuesday 31 March: 3 working days left (31 Mar → 1, 2, 6 Apr).
    sweep_on(dt.date(2026, 3, 31), capture=cap)
    assert recipients(case, "reminder3") == ["petugas@example.org"]
    # Wednesday 1 April: still inside the 3-day window, but already told.
    sweep_on(dt.date(2026, 4, 1), capture=cap)
    assert notices(case, "reminder3").count() == 1
    assert not notices(case, "reminder1").exists()

    # Thursday 2 April: the next working day is Monday 6 April (Good Friday in between).
    sweep_on(dt.date(2026, 4, 2), capture=cap)
    assert recipients(case, "reminder1") == ["petugas@example.org"]
    sweep_on(dt.date(2026, 4, 3), capture=cap)  # the holiday itself: nothing new
    sweep_on(dt.date(2026, 4, 4), capture=cap)
    assert notices(case, "reminder1").count() == 1

    sweep_on(dt.date(2026, 4, 6), capture=cap)
    assert recipients(case, "due_today") == ["petugas@example.org"]
    case.refresh_from_db()
    assert case.overdue_at is None

    # Tuesday 7 April 00:05 WITA: overdue from the first minute of the next day.
    sweep_on(dt.date(2026, 4, 7), hour=0, capture=cap)
    assert recipients(case, "overdue") == ["atasan@example.org", "petugas@example.org", "utama@example.org"]
    assert recipients(case, "requester_overdue") == ["siti@example.org"]
    case.refresh_from_db()
    assert case.overdue_at == dt.datetime(2026, 4, 7, 0, 0, tzinfo=WITA)
    sweep_on(dt.date(2026, 4, 8), capture=cap)
    sweep_on(dt.date(2026, 4, 20), capture=cap)

    # Exactly once each, all delivered.
    assert notices(case).count() == 1 + 1 + 1 + 3 + 1
    assert not notices(case).exclude(status=NotificationStatus.SENT).exists()
    assert len(mail.outbox) == 7
    assert case.events.filter(kind=EventKind.OVERDUE).count() == 1
    assert case.events.filter(kind=EventKind.REMINDER, public=False).count() == 4
    assert DeadlineNotice.objects.filter(case=case).count() == 4

    requester_mail = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert "huruf c" in requester_mail.body and "(huruf g)" in requester_mail.body
    # 30 working days after the grounds arose (7 April): 20 May 2026 (1 May, 14 May Ascension, 15 May cuti... )
    assert "Keberatan dapat diajukan paling lambat" in requester_mail.body
    escalation = next(m for m in mail.outbox if m.to == ["utama@example.org"])
    assert "eskalasi" in escalation.body
    assert case.registration_number in escalation.subject


def test_answered_case_gets_no_more_notices(case, people, django_capture_on_commit_callbacks):
    from requests_app.services.actions import case_answer

    sweep_on(dt.date(2026, 3, 31), capture=django_capture_on_commit_callbacks)
    with at(dt.date(2026, 4, 1)), django_capture_on_commit_callbacks(execute=True):
        case_answer(case=case, actor=people["officer"], decision="granted", note="Data terlampir.")
    sweep_on(dt.date(2026, 4, 2), capture=django_capture_on_commit_callbacks)
    sweep_on(dt.date(2026, 4, 7), capture=django_capture_on_commit_callbacks)
    assert list(notices(case).exclude(kind="answered").values_list("kind", flat=True)) == ["reminder3"]
    assert not case.events.filter(kind=EventKind.OVERDUE).exists()


def test_sweep_after_a_long_gap_sends_only_what_is_still_relevant(case, people, django_capture_on_commit_callbacks):
    # Workers down from 27 March to 14 April: the case went overdue meanwhile.
    sweep_on(dt.date(2026, 3, 27), capture=django_capture_on_commit_callbacks)
    assert not notices(case).exists()
    sweep_on(dt.date(2026, 4, 14), capture=django_capture_on_commit_callbacks)
    kinds = set(notices(case).values_list("kind", flat=True))
    assert kinds == {"overdue", "requester_overdue"}  # no stale 3-day / 1-day / due-today reminders
    assert notices(case, "overdue").count() == 3
    assert case.events.filter(kind=EventKind.OVERDUE).count() == 1


def test_gap_ending_one_day_before_due_sends_only_the_one_day_reminder(case, people,
                                                                        django_capture_on_commit_callbacks):
    sweep_on(dt.date(2026, 4, 2), capture=django_capture_on_commit_callbacks)
    assert set(notices(case).values_list("kind", flat=True)) == {"reminder1"}


def test_extension_starts_a_fresh_set_of_notices(case, people, django_capture_on_commit_callbacks):
    from requests_app.services.actions import case_extend

    sweep_on(dt.date(2026, 4, 2), capture=django_capture_on_commit_callbacks)
    with at(dt.date(2026, 4, 2), 9), django_capture_on_commit_callbacks(execute=True):
        case = case_extend(case=case, actor=people["officer"], reason="Data tersebar di 18 puskesmas.")
    assert case.effective_due_date == dt.date(2026, 4, 15)
    sweep_on(dt.date(2026, 4, 14), capture=django_capture_on_commit_callbacks)
    assert notices(case, "reminder1").count() == 2
    assert set(notices(case, "reminder1").values_list("case__effective_due_date", flat=True)) == {
        dt.date(2026, 4, 15)}


def test_overdue_notice_is_stamped_and_the_next_sweep_no_longer_considers_the_case(
        case, people, django_capture_on_commit_callbacks):
    from requests_app.deadlines.thresholds import overdue_candidates

    day = dt.date(2026, 4, 14)
    assert list(overdue_candidates(day)) == [case]
    sweep_on(day, capture=django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.overdue_notice_due == dt.date(2026, 4, 6)
    assert not overdue_candidates(day).exists()


def test_overdue_case_whose_due_date_moves_gets_the_overdue_notice_for_the_new_date(
        case, people, django_capture_on_commit_callbacks):
    from requests_app.services.holidays import holiday_add

    sweep_on(dt.date(2026, 4, 14), capture=django_capture_on_commit_callbacks)
    assert notices(case, "requester_overdue").count() == 1
    # A local holiday on Wednesday 1 April, entered late: the due date moves to Tuesday 7 April, still past.
    with at(dt.date(2026, 4, 14), 9):
        holiday_add(date=dt.date(2026, 4, 1), name="Hari jadi (contoh)", kind="local", actor=people["utama"])
    case.refresh_from_db()
    assert case.effective_due_date == dt.date(2026, 4, 7)
    sweep_on(dt.date(2026, 4, 14), 10, capture=django_capture_on_commit_callbacks)
    assert sorted(notices(case, "requester_overdue").values_list("dedupe_key", flat=True)) == [
        f"overdue:case{case.pk}:2026-04-06:requester", f"overdue:case{case.pk}:2026-04-07:requester"]
    case.refresh_from_db()
    assert case.overdue_notice_due == dt.date(2026, 4, 7)
    assert case.events.filter(kind=EventKind.OVERDUE).count() == 1  # the first moment stays the one event


def test_ledger_row_without_the_stamp_is_stamped_without_a_second_notice(case, people,
                                                                          django_capture_on_commit_callbacks):
    # A case notified before the stamp existed (the migration's backfill missed nothing, but a restore might).
    sweep_on(dt.date(2026, 4, 14), capture=django_capture_on_commit_callbacks)
    Case.objects.filter(pk=case.pk).update(overdue_notice_due=None)
    sent = notices(case).count()
    sweep_on(dt.date(2026, 4, 15), capture=django_capture_on_commit_callbacks)
    assert notices(case).count() == sent
    case.refresh_from_db()
    assert case.overdue_notice_due == dt.date(2026, 4, 6)


def test_unassigned_case_reminds_every_officer_of_the_opd_assigned_case_only_its_officer(
        submit, officer, officer2, django_capture_on_commit_callbacks):
    from requests_app.services.actions import case_assign

    with at(dt.date(2026, 3, 13), 10):
        first = submit().case
        second = submit().case
        case_assign(case=second, actor=officer2, officer=officer2)
    sweep_on(dt.date(2026, 3, 31), capture=django_capture_on_commit_callbacks)
    assert recipients(first, "reminder3") == ["petugas2@example.org", "petugas@example.org"]
    assert recipients(second, "reminder3") == ["petugas2@example.org"]


def test_broker_down_during_submission_then_the_resend_sends(people, submit, django_capture_on_commit_callbacks):
    from celery.app.task import Task

    with at(dt.date(2026, 3, 13), 10), mock.patch.object(
        Task, "apply_async", side_effect=ConnectionRefusedError("redis down")
    ), django_capture_on_commit_callbacks(execute=True):
        case = submit().case
    pending = Notification.objects.filter(case=case, status=NotificationStatus.PENDING)
    assert pending.count() == 2  # the requester's receipt and the officer's new-case notice
    assert mail.outbox == []
    # The broker is back; beat's next re-send (every minute) queues them: they were due at once, their send was
    # never queued. The deadline sweep leaves the outbox to it.
    with at(dt.date(2026, 3, 13), 10, 3), django_capture_on_commit_callbacks(execute=True):
        assert "resent" not in sweep_run()
        assert resend_notifications_task.delay().get() == 2
    assert not Notification.objects.filter(case=case).exclude(status=NotificationStatus.SENT).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["petugas@example.org", "siti@example.org"]
    with at(dt.date(2026, 3, 13), 10, 20), django_capture_on_commit_callbacks(execute=True):
        assert resend_notifications_task.delay().get() == 0
    assert len(mail.outbox) == 2


def test_management_command_runs_the_same_sweep(case, people, django_capture_on_commit_callbacks):
    import io

    out = io.StringIO()
    with at(dt.date(2026, 4, 7)), django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_deadlines", stdout=out)
    assert "overdue=1" in out.getvalue() and "overdue_marked=1" in out.getvalue()
    assert "resent=" in out.getvalue()  # the operator's catch-up also queues what the outbox still owes
    assert notices(case, "overdue").count() == 3


def test_daily_digest_once_per_officer_per_working_day(case, people, submit, django_capture_on_commit_callbacks):
    with at(dt.date(2026, 3, 20), 9):
        assert digest_send() == 0  # cuti bersama Idul Fitri: no digest
    with at(dt.date(2026, 4, 7), 7), django_capture_on_commit_callbacks(execute=True):
        assert digest_send() == 1
        assert digest_send() == 0
    digest = Notification.objects.get(kind="digest")
    assert digest.recipient_email == "petugas@example.org"
    assert "TERLAMBAT (1)" in digest.body and case.registration_number in digest.body
    with at(dt.date(2026, 4, 8), 7), django_capture_on_commit_callbacks(execute=True):
        assert digest_send() == 1
    assert Notification.objects.filter(kind="digest").count() == 2


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    errors = []

    def run():
        try:
            barrier.wait()
            fn()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_send_each_notice_once(transactional_db, submit, officer, atasan, admin_utama):
    with at(dt.date(2026, 3, 13), 10):
        cases = [submit().case for _ in range(4)]
    mail.outbox.clear()
    for day in (dt.date(2026, 3, 31), dt.date(2026, 4, 7)):
        with at(day):
            assert _race(sweep_run, n=3) == []
    for case in cases:
        assert notices(case, "reminder3").count() == 1
        assert notices(case, "overdue").count() == 3
        assert notices(case, "requester_overdue").count() == 1
        assert CaseEvent.objects.filter(case=case, kind=EventKind.OVERDUE).count() == 1
        assert CaseEvent.objects.filter(case=case, kind=EventKind.REMINDER).count() == 2
    sent = [m.to[0] for m in mail.outbox if "reminder" in m.subject.lower() or "Pengingat" in m.subject]
    assert len(sent) == 4
    assert Case.objects.filter(overdue_at__isnull=False).count() == 4


# ------------------------------------------------------------------------------ the fan-out (deadlines/dispatch.py)


def _broker_down():
    from requests_app.tasks import dispatch_deadline_notices_task

    return mock.patch.object(dispatch_deadline_notices_task, "delay",
                             side_effect=ConnectionRefusedError("redis down"))


def test_broker_down_at_sweep_time_leaves_the_claim_undispatched_and_a_later_sweep_sends_it_once(
        case, people, django_capture_on_commit_callbacks):
    day = dt.date(2026, 4, 7)
    with at(day, 8), _broker_down(), django_capture_on_commit_callbacks(execute=True):
        result = sweep_run()
    assert result["overdue"] == 1 and result["overdue_marked"] == 1
    ledger = DeadlineNotice.objects.get(case=case, kind="overdue")
    assert ledger.dispatched_at is None
    assert not notices(case).exists() and mail.outbox == []
    assert not case.events.filter(kind=EventKind.REMINDER).exists()
    # The claim and the stamp are in: a sweep does not claim or stamp again, nor write a second event.
    case.refresh_from_db()
    assert case.overdue_at is not None and case.overdue_notice_due == dt.date(2026, 4, 6)
    assert case.events.filter(kind=EventKind.OVERDUE).count() == 1
    # Three minutes later: too early to enqueue again (a worker may still be on it).
    with at(day, 8, 3), django_capture_on_commit_callbacks(execute=True):
        assert sweep_run()["redispatched"] == 0
    assert not notices(case).exists()
    # The broker is back: the sweep after 5 minutes enqueues the ledger row, the task fans out and sends.
    with at(day, 8, 6), django_capture_on_commit_callbacks(execute=True):
        result = sweep_run()
    assert result["redispatched"] == 1 and result["overdue"] == 0
    assert recipients(case, "overdue") == ["atasan@example.org", "petugas@example.org", "utama@example.org"]
    assert recipients(case, "requester_overdue") == ["siti@example.org"]
    assert not notices(case).exclude(status=NotificationStatus.SENT).exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["atasan@example.org", "petugas@example.org", "siti@example.org",
                                                     "utama@example.org"]
    ledger.refresh_from_db()
    assert ledger.dispatched_at == dt.datetime(2026, 4, 7, 8, 6, tzinfo=WITA)
    # Later sweeps send nothing again.
    sweep_on(dt.date(2026, 4, 8), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4
    assert case.events.filter(kind=EventKind.REMINDER).count() == 1
    assert case.events.filter(kind=EventKind.OVERDUE).count() == 1


def test_dispatching_the_same_ledger_rows_twice_sends_nothing_twice(case, people,
                                                                     django_capture_on_commit_callbacks):
    from requests_app.deadlines.dispatch import deadline_notices_dispatch
    from requests_app.tasks import dispatch_deadline_notices_task

    day = dt.date(2026, 3, 31)
    with at(day), _broker_down(), django_capture_on_commit_callbacks(execute=True):
        assert sweep_run()["reminder3"] == 1
    ids = list(DeadlineNotice.objects.filter(case=case).values_list("pk", flat=True))
    with at(day, 9), django_capture_on_commit_callbacks(execute=True):
        assert dispatch_deadline_notices_task.apply(args=[ids, day.isoformat()]).get() == 1
        assert dispatch_deadline_notices_task.apply(args=[ids, day.isoformat()]).get() == 0
        assert deadline_notices_dispatch(ids, day) == 0
    assert recipients(case, "reminder3") == ["petugas@example.org"]
    assert len(mail.outbox) == 1
    event = case.events.get(kind=EventKind.REMINDER)
    assert event.data == {"notice": "reminder3", "due_date": "2026-04-06", "recipients": ["petugas.dinkes"]}
    assert not DeadlineNotice.objects.filter(dispatched_at__isnull=True).exists()


def test_a_claim_whose_case_was_answered_before_the_dispatch_sends_nothing(case, people,
                                                                           django_capture_on_commit_callbacks):
    from requests_app.services.actions import case_answer

    with at(dt.date(2026, 3, 31)), _broker_down(), django_capture_on_commit_callbacks(execute=True):
        sweep_run()
    with at(dt.date(2026, 3, 31), 9), django_capture_on_commit_callbacks(execute=True):
        case_answer(case=case, actor=people["officer"], decision="granted", note="Data terlampir.")
    sweep_on(dt.date(2026, 3, 31), hour=10, capture=django_capture_on_commit_callbacks)
    assert not notices(case).exclude(kind="answered").exists()
    assert not DeadlineNotice.objects.filter(dispatched_at__isnull=True).exists()
    assert not case.events.filter(kind=EventKind.REMINDER).exists()


def test_the_overdue_event_is_written_once_per_case_across_sweeps_and_due_date_moves(
        case, people, django_capture_on_commit_callbacks):
    from requests_app.services.holidays import holiday_add

    sweep_on(dt.date(2026, 4, 7), hour=0, capture=django_capture_on_commit_callbacks)
    case.refresh_from_db()
    first_at = case.overdue_at
    assert first_at == dt.datetime(2026, 4, 7, 0, 0, tzinfo=WITA)
    with at(dt.date(2026, 4, 8), 9):
        holiday_add(date=dt.date(2026, 4, 1), name="Hari jadi (contoh)", kind="local", actor=people["utama"])
    sweep_on(dt.date(2026, 4, 8), hour=10, capture=django_capture_on_commit_callbacks)
    sweep_on(dt.date(2026, 4, 9), capture=django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.overdue_notice_due == dt.date(2026, 4, 7)  # the new due date's overdue notice was sent
    assert notices(case, "requester_overdue").count() == 2
    assert case.overdue_at == first_at  # the first moment stays
    event = case.events.get(kind=EventKind.OVERDUE)
    assert event.data == {"due_date": "2026-04-06"}
