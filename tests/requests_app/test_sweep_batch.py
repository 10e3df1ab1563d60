"""The sweep's batched path: many cases crossing a threshold in one sweep, each with its own recipients, and a
number of statements that does not grow with the cases that cross (measured in bench/)."""

import datetime as dt

import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.deadlines.sweep import sweep_run
from requests_app.models import CaseEvent, DeadlineNotice, EventKind, Notification

WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 8):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=WITA), tick=False)


def emails(case, kind):
    return sorted(Notification.objects.filter(case=case, kind=kind).values_list("recipient_email", flat=True))


def test_cases_of_several_opds_crossing_together_each_get_their_own_recipients(
        submit, officer, officer2, atasan, other_officer, admin_utama, django_capture_on_commit_callbacks):
    from requests_app.services.actions import case_assign

    with at(dt.date(2026, 3, 13), 10), django_capture_on_commit_callbacks(execute=True):
        unassigned = submit().case
        assigned = submit(email="budi@example.org").case
        case_assign(case=assigned, actor=officer2, officer=officer2)
        elsewhere = submit(opd="DPUPR").case
    mail.outbox.clear()
    assert {c.effective_due_date for c in (unassigned, assigned, elsewhere)} == {dt.date(2026, 4, 6)}

    with at(dt.date(2026, 4, 7)), django_capture_on_commit_callbacks(execute=True):
        result = sweep_run()
    assert result["overdue_marked"] == 3 and result["overdue"] == 3

    assert emails(unassigned, "overdue") == ["atasan@example.org", "petugas2@example.org", "petugas@example.org",
                                             "utama@example.org"]
    assert emails(assigned, "overdue") == ["atasan@example.org", "petugas2@example.org", "utama@example.org"]
    assert emails(elsewhere, "overdue") == ["dpupr@example.org", "utama@example.org"]  # DPUPR has no Atasan
    assert emails(unassigned, "requester_overdue") == ["siti@example.org"]
    assert emails(assigned, "requester_overdue") == ["budi@example.org"]

    # The assigned officer is told as the officer, the Atasan and the admin as an escalation.
    to_officer = Notification.objects.get(case=assigned, kind="overdue", recipient_email="petugas2@example.org")
    to_atasan = Notification.objects.get(case=assigned, kind="overdue", recipient_email="atasan@example.org")
    assert "eskalasi" not in to_officer.body and "eskalasi" in to_atasan.body
    assert assigned.registration_number in to_atasan.subject

    reminder = CaseEvent.objects.get(case=assigned, kind=EventKind.REMINDER)
    assert reminder.data == {"notice": "overdue", "due_date": "2026-04-06",
                             "recipients": ["petugas2.dinkes", "atasan.dinkes", "admin.utama"]}
    assert reminder.public is False
    for case in (unassigned, assigned, elsewhere):
        case.refresh_from_db()
        assert case.overdue_at == dt.datetime(2026, 4, 7, 8, tzinfo=WITA)
        overdue_event = CaseEvent.objects.get(case=case, kind=EventKind.OVERDUE)
        assert overdue_event.data == {"due_date": "2026-04-06"}
        assert overdue_event.note == "Batas waktu 06-04-2026 terlewati tanpa pemberitahuan tertulis."
        assert DeadlineNotice.objects.filter(case=case, kind="overdue", due_date=dt.date(2026, 4, 6)).count() == 1
    assert len(mail.outbox) == 4 + 3 + 2 + 3  # officers and escalations, and the three requesters


def _sweep_statements(day, capture) -> tuple[int, dict]:
    """The statements of one sweep on `day`; the send tasks it enqueues run afterwards, outside the count."""
    with at(day), capture(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        result = sweep_run()
    with at(day):
        for callback in callbacks:
            callback()
    return len(queries.captured_queries), result


def test_statement_count_does_not_grow_with_the_cases_that_cross(
        submit, officer, atasan, admin_utama, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    with at(dt.date(2026, 3, 13), 10), cap(execute=True):
        submit()
    one, result = _sweep_statements(dt.date(2026, 4, 7), cap)
    assert result["overdue"] == 1

    # Six cases received later cross together; the first case, already told, is not told again.
    with at(dt.date(2026, 4, 7), 10), cap(execute=True):
        later = [submit().case for _ in range(6)]
    due = later[0].effective_due_date
    assert {c.effective_due_date for c in later} == {due}
    six, result = _sweep_statements(due + dt.timedelta(days=1), cap)
    assert result["overdue"] == 6 and result["overdue_marked"] == 6
    assert six == one
    assert Notification.objects.filter(kind="overdue").count() == 7 * 3
    assert Notification.objects.filter(kind="requester_overdue").count() == 7
