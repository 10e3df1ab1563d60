"""Permission-scoped reads of cases: the officer queue and case lookups."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from opd_app.models import OPD
from opd_app.permissions import cases_visible_to, visible_opd_ids
from ppid_portal.clock import today_wita
from requests_app import rules, workdays
from requests_app.models import Case
from requests_app.models.case import STATUS_LABELS


def case_list_for(user, *, status: str = "", overdue: str | bool | None = None, opd: str = "",
                  mine: str = "", show: str = "", today: dt.date | None = None) -> QuerySet:
    """Cases the user may see, ordered by statutory deadline (the most urgent first).

    `status`: comma-separated statuses; without it the open cases (the work still owed), or every case with
    `show="all"`. `mine`: "mine" (assigned to the user), "unassigned", or "" (all of the user's OPDs).
    """
    today = today or today_wita()
    qs = cases_visible_to(user, Case.objects.all()).select_related("opd", "assigned_to")
    if status:
        qs = qs.filter(status__in=[s for s in status.split(",") if s])
    elif show != "all":
        qs = qs.open()
    if opd:
        qs = qs.filter(opd__code=opd.upper())
    if overdue in (True, "1", "true", "yes"):
        qs = qs.overdue_on(today)
    elif overdue in (False, "0", "false", "no"):
        qs = qs.exclude(rules.overdue_filter(today))
    if mine == "mine":
        qs = qs.filter(assigned_to=user)
    elif mine == "unassigned":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("effective_due_date", "received_at", "id")


def _queue_sql() -> tuple[str, str, str]:
    """(the open-case condition, the count statement, the page statement), naming tables and columns through
    the models' _meta. The statuses are the rules' fixed values, never input."""
    def c(name: str) -> str:
        return "c." + Case._meta.get_field(name).column

    opd_meta, user_meta = OPD._meta, get_user_model()._meta
    open_sql = "(" + ", ".join(f"'{s}'" for s in rules.OPEN_STATUSES) + ")"
    where = f"{c('status')} IN {open_sql}"
    count = f"SELECT count(*) FROM {Case._meta.db_table} c WHERE {{where}}"
    rows = f"""
SELECT {c('registration_number')}, {c('status')}, {c('decision')}, o.{opd_meta.get_field('code').column},
       u.{user_meta.get_field('username').column}, {c('received_at')}, {c('due_date')}, {c('extended_due_date')},
       {c('effective_due_date')}
FROM {Case._meta.db_table} c JOIN {opd_meta.db_table} o ON o.{opd_meta.pk.column} = {c('opd')}
LEFT JOIN {user_meta.db_table} u ON u.{user_meta.pk.column} = {c('assigned_to')}
WHERE {{where}}
ORDER BY {c('effective_due_date')}, {c('received_at')}, {c('id')}
LIMIT %(limit)s OFFSET %(offset)s"""
    return where, count, rows


_QUEUE_WHERE, _QUEUE_COUNT, _QUEUE_ROWS = _queue_sql()
_OPD_ID_SQL = "c." + Case._meta.get_field("opd").column
_QUEUE_ROW_KEYS = ("registration_number", "status", "decision", "opd__code", "assigned_to__username", "received_at",
                   "due_date", "extended_due_date", "effective_due_date")


def open_queue_page(user, *, offset: int, limit: int) -> tuple[int, list[dict]] | None:
    """The officer queue's default view (the open cases of the user's OPDs by statutory deadline; every OPD for
    PPID Utama) in two hand-written statements: its count and its page, as rows with the keys of
    `CaseListSerializer`'s values() rows. The same cases in the same order as `case_list_for(user)` (a test
    compares them); without building and compiling two ORM querysets per request, which cost a third of the
    queue API's time (measured in bench/). None off PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    where, params = _QUEUE_WHERE, {"limit": limit, "offset": offset}
    ids = visible_opd_ids(user)  # the scope of cases_visible_to
    if ids is not None:
        if not ids:
            return 0, []
        # IN (…) as the ORM writes it: one OPD becomes `opd_id = 12`, which walks the partial queue index in
        # deadline order; `= ANY(ARRAY[…])` would fetch and sort every open case of the OPD.
        where += f" AND {_OPD_ID_SQL} IN %(opd_ids)s"
        params["opd_ids"] = tuple(sorted(ids))
    with connection.cursor() as cur:
        cur.execute(_QUEUE_COUNT.format(where=where), params)
        total = cur.fetchone()[0]
        if total <= offset:
            return total, []
        cur.execute(_QUEUE_ROWS.format(where=where), params)
        return total, [dict(zip(_QUEUE_ROW_KEYS, row, strict=True)) for row in cur.fetchall()]


class QueueRow:
    """One row of the officer queue page: what its table shows, read as values() (no Case, OPD and User
    instances per row; measured in bench/). Answers the template like a Case does."""

    __slots__ = ("registration_number", "status", "effective_due_date", "opd", "assigned_to")

    class _Named:
        __slots__ = ("code", "username")

        def __init__(self, code="", username=""):
            self.code, self.username = code, username

    FIELDS = ("registration_number", "status", "effective_due_date", "opd__code", "assigned_to__username")

    def __init__(self, row: dict):
        self.registration_number = row["registration_number"]
        self.status = row["status"]
        self.effective_due_date = row["effective_due_date"]
        self.opd = self._Named(code=row["opd__code"])
        username = row["assigned_to__username"]
        self.assigned_to = self._Named(username=username) if username is not None else None

    @property
    def is_open(self) -> bool:
        return rules.is_open(self.status)

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def queue_rows(page_queryset) -> list[QueueRow]:
    """The rows of one page of `case_list_for` for the queue page (one query, the five columns it shows)."""
    return [QueueRow(row) for row in page_queryset.values(*QueueRow.FIELDS)]


def case_get_for(user, registration_number: str) -> Case:
    """One case the user may see; 404 (never 403) for a case of another OPD, so ids leak nothing."""
    case = (
        cases_visible_to(user, Case.objects.all())
        .select_related("opd", "assigned_to")
        .filter(registration_number=registration_number)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def soon_limit_for(today: dt.date) -> dt.date:
    """The last due date the queue shows as soon (rules.soon_limit, on the holiday calendar)."""
    return rules.soon_limit(workdays.calendar_ahead(today, rules.SOON_DAYS), today)
