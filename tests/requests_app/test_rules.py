"""The statutory rules (requests_app.rules) on an in-memory working-day calendar, and the places that must agree
with them: the overdue rule as a value and as a filter, the sweep's windows and their thresholds, the page's
actions and the extension service."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from ppid_portal.errors import IllegalTransition
from requests_app import rules
from requests_app.models import Case
from requests_app.workdays import Calendar

D = dt.date
WITA = dt.timezone(dt.timedelta(hours=8))
# Imlek 2026: cuti bersama Monday 16 February and the day itself, Tuesday 17 February.
CAL = Calendar([D(2026, 2, 16), D(2026, 2, 17)])
ALL_STATUSES = (rules.SUBMITTED, rules.IN_PROCESS, rules.EXTENDED, rules.ANSWERED, rules.CLOSED, rules.FORWARDED,
                rules.WITHDRAWN)


# ------------------------------------------------------------------------------------------ clocks
def test_case_clock_counts_a_weekend_receipt_from_monday_and_skips_the_holidays():
    # Saturday 7 Feb counts from Monday 9 Feb: 10,11,12,13 (4) | 16,17 off | 18,19,20 (7) | 23,24,25 (10).
    assert rules.case_clock(CAL, D(2026, 2, 7)) == (D(2026, 2, 9), D(2026, 2, 25))


def test_case_clock_receipt_on_a_working_day_counts_from_that_day():
    # Wednesday 11 Feb: 12,13 (2) | 16,17 off | 18,19,20 (5) | 23–27 (10).
    assert rules.case_clock(CAL, D(2026, 2, 11)) == (D(2026, 2, 11), D(2026, 2, 27))


def test_case_clock_receipt_on_a_holiday_moves_to_the_next_working_day():
    assert rules.case_clock(CAL, D(2026, 2, 16)) == (D(2026, 2, 18), D(2026, 3, 4))


def test_extended_due_date_is_seven_working_days_after_the_first_due_date():
    # Friday 13 Feb + 7: 18,19,20,23,24,25,26 (the holidays do not count).
    assert rules.extended_due_date(CAL, D(2026, 2, 13)) == D(2026, 2, 26)
    assert rules.extended_due_date(CAL, D(2026, 2, 25)) == D(2026, 3, 6)


# ------------------------------------------------------------------------------------------ extension
@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield


DUE, BEFORE_DUE = D(2026, 2, 25), D(2026, 2, 20)


def refusal(status=rules.IN_PROCESS, due=DUE, extended=None, today=BEFORE_DUE):
    return rules.extension_refusal(status=status, due_date=due, extended_due_date=extended, today=today)


def test_extension_refusal_none_when_it_may_be_extended(indonesian):
    for status in rules.EXTENDABLE_STATUSES:
        assert refusal(status=status) is None
    assert refusal(today=D(2026, 2, 25)) is None  # on the first due date itself


def test_extension_refusal_once_only(indonesian):
    assert refusal(extended=D(2026, 3, 6)) == "Jangka waktu hanya dapat diperpanjang satu kali."
    # Forwarded after its extension: still the one extension.
    assert refusal(status=rules.FORWARDED, extended=D(2026, 3, 6)) == "Jangka waktu hanya dapat diperpanjang satu kali."


def test_extension_refusal_for_a_status_that_cannot_be_extended(indonesian):
    for status in set(ALL_STATUSES) - set(rules.EXTENDABLE_STATUSES):
        assert refusal(status=status) == "Permohonan berstatus ini tidak dapat diperpanjang."


def test_extension_refusal_after_the_first_due_date(indonesian):
    assert refusal(today=D(2026, 2, 26)) == (
        "Batas waktu pertama sudah lewat; perpanjangan tidak lagi dapat diberikan.")


# ------------------------------------------------------------------------------------------ open and overdue
def test_is_open_is_the_open_statuses():
    assert [s for s in ALL_STATUSES if rules.is_open(s)] == [rules.SUBMITTED, rules.IN_PROCESS, rules.EXTENDED,
                                                            rules.FORWARDED]


def test_is_overdue_only_for_open_cases_past_their_due_date():
    due = D(2026, 2, 25)
    assert rules.is_overdue(rules.IN_PROCESS, due, D(2026, 2, 26))
    assert not rules.is_overdue(rules.IN_PROCESS, due, due)
    assert not rules.is_overdue(rules.ANSWERED, due, D(2026, 3, 30))


@time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False)
def test_is_overdue_and_overdue_filter_agree_on_rows(submit):
    case = submit().case
    due = D(2026, 4, 6)
    days = [due - dt.timedelta(days=1), due, due + dt.timedelta(days=1)]
    for status in ALL_STATUSES:
        Case.objects.filter(pk=case.pk).update(status=status, effective_due_date=due)
        for today in days:
            in_filter = Case.objects.filter(rules.overdue_filter(today), pk=case.pk).exists()
            assert in_filter == rules.is_overdue(status, due, today), (status, today)
            assert Case.objects.overdue_on(today).filter(pk=case.pk).exists() == in_filter
        assert Case.objects.filter(rules.open_filter(), pk=case.pk).exists() == rules.is_open(status)
        assert Case.objects.open().filter(pk=case.pk).exists() == rules.is_open(status)
        case.refresh_from_db()
        assert case.is_open == rules.is_open(status)
        assert [case.is_overdue(t) for t in days] == [rules.is_overdue(status, due, t) for t in days]


# ------------------------------------------------------------------------------------------ reminders and urgency
def _in_window(due: dt.date, lookup: dict) -> bool:
    checks = {"gt": lambda v: due > v, "lte": lambda v: due <= v, "exact": lambda v: due == v,
              "lt": lambda v: due < v}
    return all(checks[op](value) for op, value in lookup.items())


@pytest.mark.parametrize("today", [D(2026, 2, 9), D(2026, 2, 12), D(2026, 2, 13), D(2026, 2, 14), D(2026, 2, 16),
                                   D(2026, 2, 18), D(2026, 2, 20)])
def test_reminder_windows_and_threshold_of_agree_for_every_date_up_to_soon_days(today):
    windows = rules.reminder_windows(CAL, today)
    assert set(windows) == set(rules.KINDS)
    next_working_day = CAL.add_working_days(today, 1)
    last = rules.soon_limit(CAL, today)
    assert last == CAL.add_working_days(today, rules.SOON_DAYS)
    due = today - dt.timedelta(days=5)
    while due <= last:
        holding = [kind for kind, lookup in windows.items() if _in_window(due, lookup)]
        assert holding == [rules.threshold_of(due, today, next_working_day)], (today, due)
        due += dt.timedelta(days=1)
    # Past the soon limit no window holds the due date.
    assert not any(_in_window(last + dt.timedelta(days=1), lookup) for lookup in windows.values())


def test_soon_limit_skips_the_weekend_and_the_holidays():
    # Friday 13 Feb + 3 working days: 18, 19, 20.
    assert rules.soon_limit(CAL, D(2026, 2, 13)) == D(2026, 2, 20)


def test_urgency():
    today = D(2026, 2, 13)
    soon_until = rules.soon_limit(CAL, today)
    assert rules.urgency(rules.ANSWERED, D(2026, 2, 1), today, soon_until) == "done"
    assert rules.urgency(rules.CLOSED, D(2026, 3, 1), today, soon_until) == "done"
    assert rules.urgency(rules.IN_PROCESS, D(2026, 2, 12), today, soon_until) == "overdue"
    assert rules.urgency(rules.IN_PROCESS, today, today, soon_until) == "soon"
    assert rules.urgency(rules.EXTENDED, soon_until, today, soon_until) == "soon"
    assert rules.urgency(rules.FORWARDED, soon_until + dt.timedelta(days=1), today, soon_until) == "normal"


# ------------------------------------------------------------------------------------------ objections
def test_grounds_arose_on():
    due = D(2026, 2, 25)
    arose = rules.grounds_arose_on
    assert arose(status=rules.ANSWERED, effective_due_date=due, answered_on=D(2026, 2, 20),
                 today=D(2026, 3, 2)) == D(2026, 2, 20)
    assert arose(status=rules.IN_PROCESS, effective_due_date=due, answered_on=None, today=due) is None
    assert arose(status=rules.IN_PROCESS, effective_due_date=due, answered_on=None,
                 today=D(2026, 2, 26)) == D(2026, 2, 26)
    # Withdrawn without an answer: no grounds, however late.
    assert arose(status=rules.WITHDRAWN, effective_due_date=due, answered_on=None, today=D(2026, 4, 1)) is None


def test_grounds_allowed():
    due = D(2026, 2, 25)
    allowed = rules.grounds_allowed
    assert allowed(decision="granted", effective_due_date=due, answered_on=due, arose=due) == ["b", "d", "e", "f"]
    assert allowed(decision="rejected_exempt", effective_due_date=due, answered_on=D(2026, 2, 26),
                   arose=D(2026, 2, 26)) == ["a", "b", "d", "e", "f", "g"]
    assert allowed(decision="", effective_due_date=due, answered_on=None, arose=D(2026, 2, 26)) == ["b", "c", "g"]
    assert allowed(decision="", effective_due_date=due, answered_on=None, arose=None) == []


def test_objection_filing_deadline_is_thirty_working_days_after_the_grounds():
    # Friday 13 Feb: 18–20 (3), 23–27 (8), Mar 2–6 (13), 9–13 (18), 16–20 (23), 23–27 (28), 30, 31 (30).
    assert rules.objection_filing_deadline(CAL, D(2026, 2, 13)) == D(2026, 3, 31)


def test_objection_clock_counts_a_weekend_filing_from_monday():
    # Saturday 14 Feb counts from Wednesday 18 Feb (Mon 16 and Tue 17 are off); + 30 working days.
    received_on, due = rules.objection_clock(CAL, D(2026, 2, 14))
    assert received_on == D(2026, 2, 18)
    assert due == CAL.add_working_days(D(2026, 2, 18), rules.OBJECTION_ANSWER_DAYS) == D(2026, 4, 1)


def test_commission_deadline_is_fourteen_working_days_after_the_answer():
    # Thursday 12 Feb: 13 (1) | 16,17 off | 18–20 (4) | 23–27 (9) | Mar 2–6 (14).
    assert rules.commission_deadline(CAL, D(2026, 2, 12)) == D(2026, 3, 6)


def test_objection_overdue_and_referable():
    due = D(2026, 3, 6)
    assert rules.objection_is_overdue(rules.OBJECTION_FILED, due, D(2026, 3, 9))
    assert not rules.objection_is_overdue(rules.OBJECTION_FILED, due, due)
    assert not rules.objection_is_overdue(rules.OBJECTION_ANSWERED, due, D(2026, 3, 9))
    assert rules.objection_referable(rules.OBJECTION_ANSWERED, due, D(2026, 3, 1))
    assert rules.objection_referable(rules.OBJECTION_FILED, due, D(2026, 3, 9))
    assert not rules.objection_referable(rules.OBJECTION_FILED, due, due)
    assert [rules.objection_urgency(s, due, D(2026, 3, 9)) for s in ("filed", "answered")] == ["overdue", "done"]
    assert rules.objection_urgency("filed", due, due) == "normal"


# ------------------------------------------------------------------------------------------ page and service agree
SUBMIT_AT = dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA)  # due Monday 6 April 2026


def _extend_offered_and_done(case, officer) -> tuple[bool, bool]:
    from requests_app.services.actions import allowed_actions, case_extend

    offered = "extend" in allowed_actions(case)
    try:
        case_extend(case=case, actor=officer, reason="Informasi tersebar di beberapa bidang.")
    except IllegalTransition:
        return offered, False
    return offered, True


@pytest.mark.parametrize("when, extended_first, expected", [
    (dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), False, True),  # fresh
    (dt.datetime(2026, 4, 6, 16, 0, tzinfo=WITA), False, True),  # on the first due date
    (dt.datetime(2026, 4, 7, 9, 0, tzinfo=WITA), False, False),  # past its first due date
    (dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), True, False),  # already extended
])
def test_page_offers_extend_exactly_when_case_extend_succeeds(submit, officer, when, extended_first, expected):
    from requests_app.services.actions import case_extend

    with time_machine.travel(SUBMIT_AT, tick=False):
        case = submit().case
    with time_machine.travel(when, tick=False):
        if extended_first:
            case = case_extend(case=case, actor=officer, reason="Perlu waktu.")
        assert _extend_offered_and_done(case, officer) == (expected, expected)


def test_forwarded_after_its_extension_is_neither_offered_nor_extended(submit, officer):
    from requests_app.services.actions import case_extend

    with time_machine.travel(SUBMIT_AT, tick=False):
        case = submit().case
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA), tick=False):
        case = case_extend(case=case, actor=officer, reason="Perlu waktu.")
        Case.objects.filter(pk=case.pk).update(status=rules.FORWARDED)
        case.refresh_from_db()
        with translation.override("id"), pytest.raises(IllegalTransition,
                                                       match="hanya dapat diperpanjang satu kali"):
            case_extend(case=case, actor=officer, reason="Lagi.")
        assert _extend_offered_and_done(case, officer) == (False, False)


def test_objection_filing_open_since_is_the_inverse_of_the_filing_deadline():
    # For every day grounds could arise on, around the Imlek holidays and weekends: the filing window is still open
    # after `latest` exactly when the grounds arose on or after objection_filing_open_since(latest).
    for latest in (D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 28), D(2026, 4, 1)):
        since = rules.objection_filing_open_since(CAL, latest)
        assert CAL.is_working_day(since)
        for offset in range(80):
            arose = D(2026, 1, 5) + dt.timedelta(days=offset)
            assert (rules.objection_filing_deadline(CAL, arose) > latest) == (arose >= since), (latest, arose)
