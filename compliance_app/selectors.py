"""Compliance figures for dashboards, public statistics and the annual report.

Every figure is an aggregate query grouped by OPD (a fixed number of queries whatever the number of OPDs or
cases); Python only reshapes the few grouped rows. The cohort is the requests *received* in the period (their
received_at, WITA); objections are those *filed* in the period. Definitions:

- answered: a written notice was sent (answered_at set; answered and closed cases);
- answered_on_time: the WITA date of the answer is on or before the effective due date; answered_late otherwise;
- overdue_open: still owes a notice (open status) and today (WITA) is after the effective due date;
- working days to answer: Case.answer_working_days (received_on → answer date, the workdays calendar), whose
  median and 90th percentile are continuous percentiles, exactly PostgreSQL's percentile_cont, computed from
  one grouped histogram (OPD × working days) so one scan serves every OPD and the total on any database;
- forwarded: forwards *out of* an OPD of requests received in the period (CaseEvent `forwarded`, from_opd);
- objections_detail.overdue: objections answered after, or still open past, their due date;
- disputes: objections taken to the Komisi Informasi;
- letter_deliveries: the letters issued in the period that wait to be handed over (no e-mail, or delivery by
  pickup, post or courier; requests_app LetterDelivery), per issuing OPD: issued, delivered, delivered_late (the
  WITA date of the handover after the letter's due day), waiting (no handover recorded yet) and waiting_overdue
  (still waiting and today is after its due day).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, FloatField, Q, QuerySet
from django.db.models.aggregates import Aggregate
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth

from opd_app.models import OPD
from ppid_portal.clock import WITA, today_wita
from requests_app.models import Case, CaseEvent, Decision, EventKind, Exemption, LetterDelivery, Objection
from requests_app.models.objection import ObjectionOutcome, ObjectionStatus
from requests_app.rules import (
    answered_late_expression,
    answered_on_time_expression,
    delivered_late_expression,
    delivery_overdue_filter,
    objection_overdue_filter,
    overdue_filter,
)

DECISIONS = tuple(Decision.values)
LETTERS = tuple(Exemption.values)
COUNT_FIELDS = ("received", "answered", "answered_on_time", "answered_late", "overdue_open", "forwarded",
                "objections", "disputes")
DELIVERY_FIELDS = ("issued", "delivered", "delivered_late", "waiting", "waiting_overdue")
# The figures that carry no personal data, published on /statistik/ and GET /api/v1/stats/.
PUBLIC_FIELDS = ("opd", "name", "received", "answered", "answered_on_time", "overdue_open",
                 "median_working_days", "objections")
# The answers the yearly announcement counts (UU 14/2008 Pasal 12): each decision under its own public name.
# "refused" is only a refusal on a Pasal 17 exemption; "not held" (the notice names the holder) and "not yet
# documented" are answers of their own in Pasal 22(7), not refusals, so they are counted apart.
PUBLIC_DECISIONS = (
    ("granted", Decision.GRANTED),
    ("partially_granted", Decision.PARTIALLY_GRANTED),
    ("refused", Decision.REJECTED_EXEMPT),
    ("not_held", Decision.NOT_HELD),
    ("not_documented", Decision.NOT_DOCUMENTED),
)


@dataclass(frozen=True)
class Period:
    """An inclusive range of WITA dates, usually one calendar year."""

    start: dt.date
    end: dt.date

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=WITA)

    @property
    def end_before(self) -> dt.datetime:
        """The first moment after the period (exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=WITA)

    @property
    def is_full_year(self) -> bool:
        return self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.start.year, 12, 31)

    def months(self) -> list[dt.date]:
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out


MIN_YEAR, MAX_YEAR = 2008, 2100  # UU 14/2008 is the start of it all


def period_from_params(params, today: dt.date | None = None) -> Period:
    """The period from query parameters `year` (default: this year, WITA) and optional `start`/`end` ISO dates
    inside it. Bad input raises ValueError with a message for the user."""
    from django.utils.translation import gettext as _

    today = today or today_wita()
    raw = (params.get("year") or "").strip()
    try:
        year = int(raw) if raw else today.year
    except ValueError:
        raise ValueError(_("Tahun harus berupa angka, misalnya %(y)s.") % {"y": today.year}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_("Tahun harus antara %(a)s dan %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR})
    period = Period.for_year(year)
    start, end = (params.get("start") or "").strip(), (params.get("end") or "").strip()
    if not (start or end):
        return period
    try:
        start_d = dt.date.fromisoformat(start) if start else period.start
        end_d = dt.date.fromisoformat(end) if end else period.end
    except ValueError:
        raise ValueError(_("Tanggal harus berformat YYYY-MM-DD.")) from None
    if start_d > end_d:
        raise ValueError(_("Tanggal awal harus sebelum tanggal akhir."))
    if start_d.year != year or end_d.year != year:
        raise ValueError(_("Rentang tanggal harus berada di dalam tahun %(y)s.") % {"y": year})
    return Period(start_d, end_d)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(p) WITHIN GROUP (ORDER BY expr) (the reference the
    histogram percentiles are checked against; see tests)."""

    function = "percentile_cont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


def percentile_from_histogram(histogram: dict[int, int], p: float) -> float | None:
    """percentile_cont(p) of the multiset {value: count} (linear interpolation between closest ranks)."""
    n = sum(histogram.values())
    if not n:
        return None
    pos = p * (n - 1)
    lo_rank, hi_rank = math.floor(pos), math.ceil(pos)
    lo = hi = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lo is None and lo_rank < seen:
            lo = value
        if hi_rank < seen:
            hi = value
            break
    return lo + (pos - lo_rank) * (hi - lo)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _empty_row(opd: OPD | None) -> dict:
    return {
        "opd": opd.code if opd else None, "name": opd.name if opd else None, "opd_id": opd.pk if opd else None,
        **{f: 0 for f in COUNT_FIELDS},
        "median_working_days": None, "p90_working_days": None,
        "decisions": dict.fromkeys(DECISIONS, 0), "refusals_by_letter": dict.fromkeys(LETTERS, 0),
        "objections_detail": {"filed": 0, "upheld": 0, "dismissed": 0, "overdue": 0},
        "letter_deliveries": dict.fromkeys(DELIVERY_FIELDS, 0),
        "on_time_rate": None,
    }


def on_time_rate(row: dict) -> float | None:
    """Percentage answered on time of the requests whose clock has run out (answered or overdue now)."""
    due = row["answered"] + row["overdue_open"]
    return round(100 * row["answered_on_time"] / due, 1) if due else None


def opds_for(codes: list[str] | None = None) -> list[OPD]:
    qs = OPD.objects.all()
    if codes:
        qs = qs.filter(code__in=[c.upper() for c in codes])
    return list(qs.order_by("-is_ppid_utama", "name"))


def cases_received(period: Period, opd_ids=None) -> QuerySet:
    qs = Case.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_before)
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    return qs


def archive_figures(period: Period, opd_codes: list[str] | None = None, today: dt.date | None = None) -> dict:
    """How many of the period's cases are archived (their package written), waiting (archivable, not written yet)
    and not yet archivable (open, or within a remedy window): requests_app.services.archive.archive_counts, four
    queries whatever the number of cases."""
    from requests_app.services.archive import archive_counts

    cases = cases_received(period)
    if opd_codes:
        cases = cases.filter(opd__code__in=[c.upper() for c in opd_codes])
    return archive_counts(cases, today or today_wita())


def dik_entries_used(period: Period) -> list[dict]:
    """The DIK entries the refusals and partial grants of the period's requests rest on, with how many of each, by
    OPD and entry: one grouped query and one for the entries, whatever the year's size."""
    from requests_app.models import DikEntry

    uses = (cases_received(period).filter(dik_entry__isnull=False,
                                          decision__in=[Decision.REJECTED_EXEMPT, Decision.PARTIALLY_GRANTED])
            .order_by().values("dik_entry_id")
            .annotate(refused=Count("id", filter=Q(decision=Decision.REJECTED_EXEMPT)),
                      partial=Count("id", filter=Q(decision=Decision.PARTIALLY_GRANTED))))
    counts = {u["dik_entry_id"]: u for u in uses}
    entries = DikEntry.objects.filter(pk__in=list(counts)).select_related("opd").order_by("opd__code", "pk")
    return [{"entry": e, "refused": counts[e.pk]["refused"], "partial": counts[e.pk]["partial"]} for e in entries]


def objections_filed(period: Period, opd_ids=None) -> QuerySet:
    qs = Objection.objects.filter(filed_at__gte=period.start_at, filed_at__lt=period.end_before)
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    return qs


def letters_issued(period: Period, opd_ids=None) -> QuerySet:
    """The letters to hand over issued in the period (WITA), by the OPD that issued them."""
    qs = LetterDelivery.objects.filter(issued_at__gte=period.start_at, issued_at__lt=period.end_before)
    if opd_ids is not None:
        qs = qs.filter(opd_id__in=opd_ids)
    return qs


def _objection_overdue(today: dt.date) -> Q:
    return Q(overdue_at__isnull=False) | objection_overdue_filter(today)


def compliance_figures(*, period: Period, opd_codes: list[str] | None = None, today: dt.date | None = None,
                       internal: bool = True) -> dict:
    """{"period", "opds": [row per OPD, directory order], "total": row} — see the module docstring.

    With internal=False the figures only the dashboard shows (forwards, letter deliveries) stay zero and are not
    queried: the public statistics do not publish them."""
    today = today or today_wita()
    opds = opds_for(opd_codes)
    opd_ids = [o.pk for o in opds] if opd_codes else None
    rows = {o.pk: _empty_row(o) for o in opds}
    cases = cases_received(period, opd_ids)

    # One scan for the counts, decisions and refusals: grouped by (OPD, decision, Pasal 17 letter), at most
    # OPDs × 15 rows, folded per OPD below.
    counts = {
        "received": Count("id"),
        "answered": Count("id", filter=Q(answered_at__isnull=False)),
        "answered_on_time": Count("id", filter=answered_on_time_expression()),
        "answered_late": Count("id", filter=answered_late_expression()),
        "overdue_open": Count("id", filter=overdue_filter(today)),
    }
    for rec in cases.order_by().values("opd_id", "decision", "exemption").annotate(**counts):
        row = rows.get(rec["opd_id"])
        if row is None:
            continue
        for key in counts:
            row[key] += rec[key]
        decision, n = rec["decision"], rec["answered"]
        if decision in row["decisions"]:
            row["decisions"][decision] += n
            if decision == Decision.REJECTED_EXEMPT and rec["exemption"] in row["refusals_by_letter"]:
                row["refusals_by_letter"][rec["exemption"]] += n

    # One scan for the percentiles: a histogram of working days per OPD (at most OPDs × the longest answer
    # rows), from which percentile_cont's interpolation is exact. Cheaper than percentile_cont per OPD plus
    # once more for the total (it sorts every group), and the same on SQLite.
    total = _empty_row(None)
    per_opd: dict[int, dict[int, int]] = {}
    overall: dict[int, int] = {}
    histogram = (cases.filter(answer_working_days__isnull=False).order_by()
                 .values("opd_id", "answer_working_days").annotate(n=Count("id")))
    for rec in histogram:
        days, n = rec["answer_working_days"], rec["n"]
        per_opd.setdefault(rec["opd_id"], {})[days] = n
        overall[days] = overall.get(days, 0) + n
    for opd_id, hist in per_opd.items():
        if opd_id in rows:
            rows[opd_id]["median_working_days"] = _round(percentile_from_histogram(hist, 0.5))
            rows[opd_id]["p90_working_days"] = _round(percentile_from_histogram(hist, 0.9))
    total["median_working_days"] = _round(percentile_from_histogram(overall, 0.5))
    total["p90_working_days"] = _round(percentile_from_histogram(overall, 0.9))

    by_code = {row["opd"]: row for row in rows.values()}
    forwards = (CaseEvent.objects.filter(kind=EventKind.FORWARDED, case__received_at__gte=period.start_at,
                                         case__received_at__lt=period.end_before)
                .order_by().values(from_opd=KT("data__from_opd")).annotate(n=Count("id")))
    for rec in forwards if internal else ():
        if rec["from_opd"] in by_code:
            by_code[rec["from_opd"]]["forwarded"] += rec["n"]

    objections = objections_filed(period, opd_ids).order_by().values("opd_id").annotate(
        filed=Count("id"),
        upheld=Count("id", filter=Q(outcome=ObjectionOutcome.UPHELD)),
        dismissed=Count("id", filter=Q(outcome=ObjectionOutcome.DISMISSED)),
        overdue=Count("id", filter=_objection_overdue(today)),
        disputes=Count("id", filter=Q(status=ObjectionStatus.REFERRED) | Q(referred_at__isnull=False)),
    )
    for rec in objections:
        row = rows.get(rec["opd_id"])
        if row is None:
            continue
        row["objections"] = rec["filed"]
        row["disputes"] = rec["disputes"]
        row["objections_detail"] = {k: rec[k] for k in ("filed", "upheld", "dismissed", "overdue")}

    deliveries = letters_issued(period, opd_ids).order_by().values("opd_id").annotate(
        issued=Count("id"),
        delivered=Count("id", filter=Q(delivered_at__isnull=False)),
        delivered_late=Count("id", filter=delivered_late_expression()),
        waiting=Count("id", filter=Q(delivered_at__isnull=True)),
        waiting_overdue=Count("id", filter=delivery_overdue_filter(today)),
    )
    for rec in deliveries if internal else ():
        row = rows.get(rec["opd_id"])
        if row is not None:
            row["letter_deliveries"] = {k: rec[k] for k in DELIVERY_FIELDS}

    ordered = [rows[o.pk] for o in opds]
    for row in ordered:
        row["on_time_rate"] = on_time_rate(row)
        for key in COUNT_FIELDS:
            total[key] += row[key]
        for group in ("decisions", "refusals_by_letter", "objections_detail", "letter_deliveries"):
            for key, value in row[group].items():
                total[group][key] += value
    total["on_time_rate"] = on_time_rate(total)
    return {"period": period, "opds": ordered, "total": total}


def league_table(rows: list[dict]) -> list[dict]:
    """OPDs sorted by on-time rate (best first); OPDs with no request due yet come last."""
    return sorted(rows, key=lambda r: (r["on_time_rate"] is None, -(r["on_time_rate"] or 0), -r["received"],
                                       r["opd"] or ""))


def monthly_trends(*, period: Period, opd_codes: list[str] | None = None) -> list[dict]:
    """[{month (first day), received, answered}] for every month of the period: requests received in the month,
    and written notices sent in the month."""
    opd_ids = [o.pk for o in opds_for(opd_codes)] if opd_codes else None
    received = cases_received(period, opd_ids).annotate(m=TruncMonth("received_at", tzinfo=WITA))
    answered = Case.objects.filter(answered_at__gte=period.start_at, answered_at__lt=period.end_before)
    if opd_ids is not None:
        answered = answered.filter(opd_id__in=opd_ids)
    answered = answered.annotate(m=TruncMonth("answered_at", tzinfo=WITA))

    def by_month(qs):
        out = {}
        for rec in qs.order_by().values("m").annotate(n=Count("id")):
            month = rec["m"]
            if isinstance(month, dt.datetime):
                month = month.astimezone(WITA).date() if month.tzinfo else month.date()
            out[month.replace(day=1)] = rec["n"]
        return out

    r, a = by_month(received), by_month(answered)
    return [{"month": m, "received": r.get(m, 0), "answered": a.get(m, 0)} for m in period.months()]


PUBLIC_STATS_CACHE_SECONDS = 300


def public_row(row: dict, *, with_opd: bool = True) -> dict:
    """One row of the public statistics from a compliance_figures row: the public figures, each decision under its
    public name, and the refusals per Pasal 17 letter (every letter, zero included)."""
    fields = PUBLIC_FIELDS if with_opd else [k for k in PUBLIC_FIELDS if k not in ("opd", "name")]
    return {**{k: row[k] for k in fields},
            **{name: row["decisions"][decision] for name, decision in PUBLIC_DECISIONS},
            "refusals_by_letter": dict(row["refusals_by_letter"])}


def public_stats(*, year: int, today: dt.date | None = None) -> dict:
    """The figures without personal data for citizens to compare OPDs: {year, opds: [...], total}.

    Cached for a few minutes: anyone may ask, and a year is a scan of every request received in it."""
    from django.core.cache import cache

    today = today or today_wita()
    # The key names the row's shape: a cached entry of an older shape is never served to a newer reader.
    key = f"ppid:public-stats:v2:{year}:{today.isoformat()}"
    stats = cache.get(key)
    if stats is None:
        figures = compliance_figures(period=Period.for_year(year), today=today, internal=False)
        stats = {"year": year, "opds": [public_row(row) for row in figures["opds"]],
                 "total": public_row(figures["total"], with_opd=False)}
        cache.set(key, stats, PUBLIC_STATS_CACHE_SECONDS)
    return stats


# The published yearly reports -----------------------------------------------------------------------------------

def published_report(year: int):
    """The year's report as the public gets it: its latest publication, or None before it is published."""
    from compliance_app.models import ReportPublication

    return ReportPublication.objects.filter(year=year).order_by("-published_at", "-pk").first()


def published_reports() -> list:
    """Every year with a published report, newest year first: the year's latest publication (one query; a year has
    a handful of publications at most)."""
    from compliance_app.models import ReportPublication

    latest = {}
    for publication in ReportPublication.objects.order_by("-year", "-published_at", "-pk").only(
            "year", "published_at", "size"):
        latest.setdefault(publication.year, publication)
    return list(latest.values())


# Drill-down: the cases behind a figure ----------------------------------------------------------------------

CASE_METRICS = ("received", "answered", "answered_on_time", "answered_late", "overdue_open", "forwarded",
                "objections", "objections_upheld", "objections_dismissed", "objections_overdue", "disputes")


def metric_is_valid(metric: str) -> bool:
    kind, _, value = metric.partition(":")
    if kind == "decision":
        return value in DECISIONS
    if kind == "refusal":
        return value in LETTERS
    return metric in CASE_METRICS


def cases_for_metric(*, period: Period, metric: str, opd_code: str = "", today: dt.date | None = None) -> QuerySet:
    """The cases counted in one figure (same filters as compliance_figures). Unknown metric -> ValueError."""
    if not metric_is_valid(metric):
        raise ValueError(metric)
    today = today or today_wita()
    opd = OPD.objects.filter(code=opd_code.upper()).first() if opd_code else None
    if opd_code and opd is None:
        return Case.objects.none()
    in_period = Q(received_at__gte=period.start_at, received_at__lt=period.end_before)
    qs = Case.objects.all()
    kind, _, value = metric.partition(":")

    if metric == "forwarded":
        events = CaseEvent.objects.filter(kind=EventKind.FORWARDED)
        if opd:
            events = events.filter(data__from_opd=opd.code)
        qs = qs.filter(in_period, pk__in=events.values("case_id"))
    elif metric.startswith("objections") or metric == "disputes":
        objections = objections_filed(period, [opd.pk] if opd else None)
        objections = objections.filter({
            "objections": Q(),
            "objections_upheld": Q(outcome=ObjectionOutcome.UPHELD),
            "objections_dismissed": Q(outcome=ObjectionOutcome.DISMISSED),
            "objections_overdue": _objection_overdue(today),
            "disputes": Q(status=ObjectionStatus.REFERRED) | Q(referred_at__isnull=False),
        }[metric])
        qs = qs.filter(pk__in=objections.values("case_id"))
    else:
        qs = qs.filter(in_period)
        if opd:
            qs = qs.filter(opd=opd)
        if kind == "decision":
            qs = qs.filter(decision=value)
        elif kind == "refusal":
            qs = qs.filter(decision=Decision.REJECTED_EXEMPT, exemption=value)
        elif metric == "answered":
            qs = qs.filter(answered_at__isnull=False)
        elif metric == "answered_on_time":
            qs = qs.filter(answered_on_time_expression())
        elif metric == "answered_late":
            qs = qs.filter(answered_late_expression())
        elif metric == "overdue_open":
            qs = qs.filter(overdue_filter(today))
    return qs.select_related("opd").order_by("received_at", "id")
