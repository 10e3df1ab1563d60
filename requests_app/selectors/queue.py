"""Permission-scoped reads of cases: the officer queue and case lookups."""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Left

from opd_app.models import OPD
from opd_app.permissions import cases_visible_to, visible_opd_ids
from ppid_portal.clock import today_wita
from ppid_portal.limits import SEARCH_QUERY_MAX_LENGTH
from requests_app import rules, workdays
from requests_app.models import Case, CaseEvent, EventKind
from requests_app.models.case import STATUS_LABELS


def case_list_for(user, *, status: str = "", overdue: str | bool | None = None, opd: str = "",
                  mine: str = "", show: str = "", today: dt.date | None = None) -> QuerySet:
    """Cases the user may see, ordered by the date owed (the most urgent first): the statutory deadline, or the
    follow-up notice's due date while an upheld keberatan waits for one.

    `status`: comma-separated statuses; without it the work still owed (open cases and follow-ups of upheld
    keberatan, rules.work_owed_filter), or every case with `show="all"`. `mine`: "mine" (assigned to the user),
    "unassigned", or "" (all of the user's OPDs).
    """
    today = today or today_wita()
    qs = cases_visible_to(user, Case.objects.all()).select_related("opd", "assigned_to")
    if status:
        qs = qs.filter(status__in=[s for s in status.split(",") if s])
    elif show != "all":
        qs = qs.filter(rules.work_owed_filter())
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
    return qs.order_by(rules.date_owed_expression(), "received_at", "id")


# A query shaped like a registration number (DINKES-2026-00012): the exact case, not a word search.
REGISTRATION_NUMBER_SHAPE = re.compile(r"^([A-Za-z][A-Za-z0-9]{1,15})-(\d{4})-(\d{1,6})$")
# Words a search matches at most (each must appear in the subject or the requester's name).
SEARCH_WORDS_MAX = 6


def case_search_for(user, q: str) -> QuerySet | None:
    """The queue's search, within the user's scope and over every status: a registration number finds its case
    exactly; words find the cases whose information requested or requester's name holds every word. None for an
    empty query. Ordered like the queue."""
    q = " ".join((q or "").split())[:SEARCH_QUERY_MAX_LENGTH]
    if not q:
        return None
    qs = cases_visible_to(user, Case.objects.all()).select_related("opd", "assigned_to")
    number = REGISTRATION_NUMBER_SHAPE.match(q)
    if number:
        code, year, sequence = number.groups()
        # The number as intake writes it (services.intake.format_registration_number), so "dinkes-2026-12" finds it.
        qs = qs.filter(registration_number=f"{code.upper()}-{year}-{int(sequence):05d}")
    else:
        for word in q.split()[:SEARCH_WORDS_MAX]:
            qs = qs.filter(Q(information_requested__icontains=word) | Q(name__icontains=word))
    return qs.order_by(rules.date_owed_expression(), "received_at", "id")


def forwarded_for(user) -> tuple[QuerySet, set[int] | None]:
    """The queue's "forwarded" filter: the cases forwarded to the user's OPDs and not yet taken up (status
    forwarded), and the cases the user's OPDs forwarded to another OPD and no longer hold (per their FORWARDED
    events; shown read-only). Ordered like the queue. With the user's OPD ids (None for PPID Utama, who sees every
    case and every forwarded one), so a row can tell which side of the forward it is on."""
    ids = visible_opd_ids(user)
    qs = Case.objects.select_related("opd", "assigned_to")
    if ids is None:
        qs = qs.filter(Q(status=rules.FORWARDED) | Q(forward_count__gt=0))
    elif not ids:
        return qs.none(), ids
    else:
        codes = list(OPD.objects.filter(pk__in=ids).values_list("code", flat=True))
        forwarded = CaseEvent.objects.filter(kind=EventKind.FORWARDED, data__from_opd__in=codes).values("case_id")
        qs = qs.filter(Q(status=rules.FORWARDED, opd_id__in=ids) | (Q(pk__in=forwarded) & ~Q(opd_id__in=ids)))
    return qs.order_by(rules.date_owed_expression(), "received_at", "id"), ids


def _queue_sql() -> tuple[str, str, str]:
    """(the open-case condition, the count statement, the page statement), naming tables and columns through
    the models' _meta. The statuses are the rules' fixed values, never input."""
    def c(name: str) -> str:
        return "c." + Case._meta.get_field(name).column

    opd_meta, user_meta = OPD._meta, get_user_model()._meta
    # rules.work_owed_filter, written as the index condition of case_work_queue_idx reads, so the planner walks
    # that index in the order of the date owed.
    open_sql = "(" + ", ".join(f"'{s}'" for s in rules.OPEN_STATUSES) + ")"
    where = (f"({c('status')} IN {open_sql} OR ({c('follow_up_due_date')} IS NOT NULL"
             f" AND {c('status')} = '{rules.ANSWERED}'))")
    owed = f"COALESCE({c('follow_up_due_date')}, {c('effective_due_date')})"
    count = f"SELECT count(*) FROM {Case._meta.db_table} c WHERE {{where}}"
    rows = f"""
SELECT {c('registration_number')}, {c('status')}, {c('decision')}, o.{opd_meta.get_field('code').column},
       u.{user_meta.get_field('username').column}, {c('received_at')}, {c('due_date')}, {c('extended_due_date')},
       {c('effective_due_date')}
FROM {Case._meta.db_table} c JOIN {opd_meta.db_table} o ON o.{opd_meta.pk.column} = {c('opd')}
LEFT JOIN {user_meta.db_table} u ON u.{user_meta.pk.column} = {c('assigned_to')}
WHERE {{where}}
ORDER BY {owed}, {c('received_at')}, {c('id')}
LIMIT %(limit)s OFFSET %(offset)s"""
    return where, count, rows


_QUEUE_WHERE, _QUEUE_COUNT, _QUEUE_ROWS = _queue_sql()
_OPD_ID_SQL = "c." + Case._meta.get_field("opd").column
_QUEUE_ROW_KEYS = ("registration_number", "status", "decision", "opd__code", "assigned_to__username", "received_at",
                   "due_date", "extended_due_date", "effective_due_date")


def open_queue_page(user, *, offset: int, limit: int) -> tuple[int, list[dict]] | None:
    """The officer queue's default view (the work owed by the user's OPDs by the date owed; every OPD for
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
        # the order of the date owed; `= ANY(ARRAY[…])` would fetch and sort every open case of the OPD.
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

    __slots__ = ("registration_number", "status", "effective_due_date", "follow_up_due_date", "opd", "assigned_to",
                 "name", "subject", "forwarded_away")

    class _Named:
        __slots__ = ("code", "username")

        def __init__(self, code="", username=""):
            self.code, self.username = code, username

    FIELDS = ("registration_number", "status", "effective_due_date", "follow_up_due_date", "opd_id", "opd__code",
              "assigned_to__username", "name")

    def __init__(self, row: dict, *, forwarded_away: bool = False):
        self.registration_number = row["registration_number"]
        self.status = row["status"]
        self.effective_due_date = row["effective_due_date"]
        self.follow_up_due_date = row["follow_up_due_date"]
        self.opd = self._Named(code=row["opd__code"])
        username = row["assigned_to__username"]
        self.assigned_to = self._Named(username=username) if username is not None else None
        self.name = row["name"]
        self.subject = subject_of(row["subject_start"])
        self.forwarded_away = forwarded_away

    @property
    def is_open(self) -> bool:
        return rules.is_open(self.status)

    @property
    def follow_up_owed(self) -> bool:
        return rules.follow_up_owed(self.status, self.follow_up_due_date)

    @property
    def date_owed(self) -> dt.date:
        return rules.date_owed(self.status, self.effective_due_date, self.follow_up_due_date)

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


# The subject a queue row shows: the first words of the information requested (read cut in SQL, never the whole text).
SUBJECT_CHARS = 90


def subject_of(text: str) -> str:
    """The first words of `text` within SUBJECT_CHARS, with an ellipsis when cut."""
    text = " ".join((text or "").split())
    if len(text) <= SUBJECT_CHARS:
        return text
    cut = text[:SUBJECT_CHARS].rsplit(" ", 1)[0] or text[:SUBJECT_CHARS]
    return cut.rstrip(",.;:") + "…"


def queue_rows(page_queryset, *, own_opd_ids: set[int] | None = None) -> list[QueueRow]:
    """The rows of one page of `case_list_for` for the queue page (one query, the columns it shows). With
    `own_opd_ids`, a row of another OPD is a case forwarded away (its read-only page)."""
    rows = page_queryset.values(*QueueRow.FIELDS, subject_start=Left("information_requested", SUBJECT_CHARS + 1))
    return [QueueRow(row, forwarded_away=own_opd_ids is not None and row["opd_id"] not in own_opd_ids)
            for row in rows]


def working_days_left(rows: list[QueueRow], today: dt.date) -> list[int]:
    """For each row, the working days to its date owed (rules.working_days_left), on one holiday calendar."""
    if not rows:
        return []
    dates = [row.date_owed for row in rows]
    cal = workdays.calendar_for(min(min(dates), today), max(max(dates), today))
    return [rules.working_days_left(cal, due, today) for due in dates]


def soon_limit_for(today: dt.date) -> dt.date:
    """The last due date the queue shows as soon (rules.soon_limit, on the holiday calendar)."""
    return rules.soon_limit(workdays.calendar_ahead(today, rules.SOON_DAYS), today)
