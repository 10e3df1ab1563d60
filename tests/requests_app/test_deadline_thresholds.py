"""The sweep's threshold windows: the one-query PostgreSQL path (a CASE on the due date built from
rules.reminder_windows) selects the same rows, with the same kinds, as the one-query-per-window path."""

import datetime as dt

import pytest
from django.db import connection

from requests_app import rules, workdays
from requests_app.deadlines import thresholds
from requests_app.models import Case, DeadlineNotice

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-query path is PostgreSQL's")


@pytest.fixture
def spread(submit, officer):
    """Five open cases due on consecutive days from Tuesday 31 March 2026 (Good Friday 3 April and a weekend
    follow), with ledger rows for some of their notices."""
    cases = [submit().case for _ in range(5)]
    for i, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(effective_due_date=dt.date(2026, 3, 31) + dt.timedelta(days=i))
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    # Already claimed: cases[1] (due 1 April) its reminder1, cases[2] (due 2 April) a reminder3 for another due date
    # and its due_today (so only some days see it), cases[4] (due 4 April, a Saturday) its reminder1.
    DeadlineNotice.objects.bulk_create([
        DeadlineNotice(case=cases[1], kind="reminder1", due_date=dt.date(2026, 4, 1), created_at=at),
        DeadlineNotice(case=cases[2], kind="reminder3", due_date=dt.date(2026, 3, 30), created_at=at),
        DeadlineNotice(case=cases[2], kind="due_today", due_date=dt.date(2026, 4, 2), created_at=at),
        DeadlineNotice(case=cases[4], kind="reminder1", due_date=dt.date(2026, 4, 4), created_at=at),
    ])
    return cases


def test_one_query_and_one_query_per_window_find_the_same_rows_in_every_window(spread):
    seen = set()
    for offset in range(-6, 6):
        today = dt.date(2026, 3, 31) + dt.timedelta(days=offset)
        cal = workdays.calendar_ahead(today, rules.SOON_DAYS)
        args = (Case.objects.open(), "case", "effective_due_date", today, cal, rules.REMINDER_KINDS)
        one_query = thresholds.unclaimed_in_one_query(*args)
        by_window = thresholds.unclaimed_by_window(*args)
        assert one_query == by_window, today
        # And each row's kind is the rules' threshold for its due date.
        next_day = cal.add_working_days(today, 1)
        assert all(kind == rules.threshold_of(due, today, next_day) for _pk, due, kind in one_query)
        seen |= {kind for _pk, _due, kind in one_query}
    assert seen == set(rules.REMINDER_KINDS)  # every window was probed with rows in it


def test_the_case_expression_follows_the_windows_of_the_rules(calendar):
    today = dt.date(2026, 4, 2)
    cal = workdays.calendar_ahead(today, rules.SOON_DAYS)
    wins = rules.reminder_windows(cal, today)
    sql, params = thresholds.kind_case_sql("d", wins)
    assert sql == ("CASE WHEN d < %s THEN 'overdue' WHEN d = %s THEN 'due_today' WHEN d <= %s THEN 'reminder1' "
                   "ELSE 'reminder3' END")
    assert params == [today, today, dt.date(2026, 4, 6)]  # Good Friday and the weekend are skipped

    gap = {**wins, "reminder3": {"gt": wins["reminder1"]["lte"] + dt.timedelta(days=1),
                                 "lte": wins["reminder3"]["lte"]}}
    with pytest.raises(ValueError, match="not adjacent"):
        thresholds.kind_case_sql("d", gap)
