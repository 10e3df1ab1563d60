"""Permission-scoped reads of cases: the officer queue and case lookups."""

import datetime as dt

from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from opd_app.permissions import cases_visible_to, visible_opd_ids
from ppid_portal.clock import today_wita
from requests_app import workdays
from requests_app.models import Case
from requests_app.models.case import OPEN_STATUSES, STATUS_LABELS

URGENCY_DAYS = 3


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
        qs = qs.filter(status__in=OPEN_STATUSES)
    if opd:
        qs = qs.filter(opd__code=opd.upper())
    if overdue in (True, "1", "true", "yes"):
        qs = qs.overdue_on(today)
    elif overdue in (False, "0", "false", "no"):
        qs = qs.exclude(status__in=OPEN_STATUSES, effective_due_date__lt=today)
    if mine == "mine":
        qs = qs.filter(assigned_to=user)
    elif mine == "unassigned":
        qs = qs.filter(assigned_to__isnull=True)
    return qs.order_by("effective_due_date", "received_at", "id")


_OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"  # fixed enum values, not input
_QUEUE_WHERE = f"c.status IN {_OPEN_SQL}"
_QUEUE_COUNT = "SELECT count(*) FROM requests_app_case c WHERE {where}"
_QUEUE_ROWS = """
SELECT c.registration_number, c.status, c.decision, o.code, u.username, c.received_at, c.due_date,
       c.extended_due_date, c.effective_due_date
FROM requests_app_case c JOIN opd_app_opd o ON o.id = c.opd_id LEFT JOIN auth_user u ON u.id = c.assigned_to_id
WHERE {where}
ORDER BY c.effective_due_date, c.received_at, c.id
LIMIT %(limit)s OFFSET %(offset)s"""
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
        where += " AND c.opd_id IN %(opd_ids)s"
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
        return self.status in OPEN_STATUSES

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


def urgency(case: Case, today: dt.date, soon_limit: dt.date) -> str:
    """overdue / soon (due within 3 working days) / normal / done — text that pages show with colour."""
    if not case.is_open:
        return "done"
    if today > case.effective_due_date:
        return "overdue"
    if case.effective_due_date <= soon_limit:
        return "soon"
    return "normal"


def soon_limit_for(today: dt.date) -> dt.date:
    return workdays.add_working_days(today, URGENCY_DAYS)
