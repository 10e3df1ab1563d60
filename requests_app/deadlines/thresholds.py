"""Which rows are in which threshold window and still unclaimed.

The windows are requests_app.rules.reminder_windows; the PostgreSQL query that probes all the reminder windows
at once builds its CASE on the due date from those same windows, so the boundaries are written once.
"""

import datetime as dt
from itertools import pairwise

from django.db import connection
from django.db.models import Exists, OuterRef, Q

from requests_app import rules, workdays
from requests_app.models import Case, DeadlineNotice, Objection
from requests_app.rules import OBJECTION_OVERDUE_NOTICE_OWED, OVERDUE_NOTICE_OWED

# The SQL comparison that closes a window from above, by the lookup that bounds it in reminder_windows.
_UPPER_BOUND_SQL = {"lt": "<", "exact": "=", "lte": "<="}
# The windows in the order of their due dates, earliest first (the reverse of the order a due date meets them).
_BY_DUE_DATE = tuple(reversed(rules.KINDS))


def due_filter(field: str, window: dict) -> Q:
    """The rows whose `field` lies in `window` (one of the lookups of reminder_windows)."""
    return Q(**{f"{field}__{op}": value for op, value in window.items()})


def kind_case_sql(due_column: str, wins: dict[str, dict]) -> tuple[str, list]:
    """(SQL, params): a CASE on `due_column` naming the window of `wins` (reminder_windows) that holds it.

    Each window but the last is closed from above by its one upper bound: a due date that reaches a WHEN is
    past the windows before it, whose upper bounds are this window's lower bound (checked here, so a change of
    the windows in rules cannot leave a gap or an overlap between this CASE and the generic path)."""
    for earlier, later in pairwise(_BY_DUE_DATE):
        if not _adjacent(wins[earlier], wins[later]):
            raise ValueError(f"threshold windows {earlier} and {later} are not adjacent: {wins}")
    whens, params = [], []
    for kind in _BY_DUE_DATE[:-1]:
        op, value = next((op, v) for op, v in wins[kind].items() if op in _UPPER_BOUND_SQL)
        whens.append(f"WHEN {due_column} {_UPPER_BOUND_SQL[op]} %s THEN '{kind}'")
        params.append(value)
    return f"CASE {' '.join(whens)} ELSE '{_BY_DUE_DATE[-1]}' END", params


def _adjacent(earlier: dict, later: dict) -> bool:
    """Whether the window `later` starts where `earlier` ends (no due date in both, none between them)."""
    (up_op, up), = ((op, v) for op, v in earlier.items() if op in _UPPER_BOUND_SQL)
    (low_op, low), = ((op, v) for op, v in later.items() if op in ("gt", "gte", "exact"))
    if up_op == "lt":
        return low_op in ("gte", "exact") and low == up
    return low_op == "gt" and low == up


def unclaimed(qs, owner: str, due_field: str, kind: str):
    """`qs` without the rows that already hold a DeadlineNotice of `kind` for their current due date.

    On PostgreSQL the NOT EXISTS carries OFFSET 0, which keeps the planner from turning it into a hash anti-join
    over the whole ledger (every notice ever sent, closed cases included — the cost that grew with the history,
    measured in bench/): it stays a per-row probe of the unique (owner, kind, due_date) index, so the query costs
    an index scan of the window plus one index probe per row in it. Elsewhere: the plain NOT EXISTS."""
    if connection.vendor != "postgresql":
        claimed = DeadlineNotice.objects.filter(**{owner: OuterRef("pk"), "due_date": OuterRef(due_field)}, kind=kind)
        return qs.exclude(Exists(claimed))
    table, ledger = qs.model._meta.db_table, DeadlineNotice._meta.db_table
    due_column = qs.model._meta.get_field(due_field).column
    return qs.extra(where=[
        f'NOT EXISTS (SELECT 1 FROM "{ledger}" dn WHERE dn."{owner}_id" = "{table}"."id" AND dn."kind" = %s '
        f'AND dn."due_date" = "{table}"."{due_column}" OFFSET 0)'
    ], params=[kind])


def unclaimed_in(qs, owner: str, due_field: str, today: dt.date, cal: workdays.Calendar,
                 kinds: tuple[str, ...]) -> list[tuple[int, dt.date, str]]:
    """(id, due date, kind) of the rows of `qs` in the windows of `kinds` (adjacent windows) that hold no
    DeadlineNotice of the kind of their window for their current due date, by id.

    PostgreSQL: one query for all the windows (unclaimed_in_one_query; a round trip per window was most of a
    sweep with nothing to send). Elsewhere: one query per window (unclaimed_by_window)."""
    if connection.vendor != "postgresql":
        return unclaimed_by_window(qs, owner, due_field, today, cal, kinds)
    return unclaimed_in_one_query(qs, owner, due_field, today, cal, kinds)


def unclaimed_by_window(qs, owner: str, due_field: str, today: dt.date, cal: workdays.Calendar,
                        kinds: tuple[str, ...]) -> list[tuple[int, dt.date, str]]:
    """unclaimed_in, one query per window (any backend)."""
    wins = rules.reminder_windows(cal, today)
    rows = []
    for kind in kinds:
        found = unclaimed(qs.filter(due_filter(due_field, wins[kind])), owner, due_field, kind)
        rows += [(pk, due, kind) for pk, due in found.values_list("pk", due_field)]
    return sorted(rows)


def unclaimed_in_one_query(qs, owner: str, due_field: str, today: dt.date, cal: workdays.Calendar,
                           kinds: tuple[str, ...]) -> list[tuple[int, dt.date, str]]:
    """unclaimed_in in one PostgreSQL query: the kind probed in the ledger is a CASE on the due date
    (kind_case_sql, from the same windows)."""
    wins = rules.reminder_windows(cal, today)
    d1, d3 = wins["reminder1"]["lte"], wins["reminder3"]["lte"]
    span = Q(**{f"{due_field}__lte": d3})
    if "overdue" not in kinds:
        span &= Q(**{f"{due_field}__gte": today})
    table, ledger = qs.model._meta.db_table, DeadlineNotice._meta.db_table
    due_column = f'"{table}"."{qs.model._meta.get_field(due_field).column}"'
    kind_sql, kind_params = kind_case_sql(due_column, wins)
    found = qs.filter(span).extra(where=[
        f'NOT EXISTS (SELECT 1 FROM "{ledger}" dn WHERE dn."{owner}_id" = "{table}"."id" AND dn."kind" = {kind_sql} '
        f'AND dn."due_date" = {due_column} OFFSET 0)'
    ], params=kind_params).order_by("pk").values_list("pk", due_field)
    return [(pk, due, rules.threshold_of(due, today, d1)) for pk, due in found]


def overdue_candidates(today: dt.date):
    """Open cases past their due date that still owe the overdue notice for it. The overdue window is open-ended
    (every overdue open case), so this reads the partial index of the cases that still owe the notice: its cost
    follows the cases that cross, not the overdue backlog. (The reminder windows span a few days of due dates:
    probing the ledger per case there is cheap, see unclaimed_in.)"""
    return Case.objects.filter(OVERDUE_NOTICE_OWED, effective_due_date__lt=today)


def objection_overdue_candidates(today: dt.date):
    """Filed objections past their due date that still owe the overdue notice for it (the partial index
    objection_overdue_owed_idx, as for cases)."""
    return Objection.objects.filter(OBJECTION_OVERDUE_NOTICE_OWED, due_date__lt=today)
