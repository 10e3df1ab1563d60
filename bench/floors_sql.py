"""Hand-written SQL the floors run: the aggregates behind the statistics and the dashboard, the sweep's
select-and-mark, the raw full-text query. Lower bounds, not re-implementations: durations are counted in
the same columns the product reads (answer_working_days is written when a case is answered)."""

import datetime as dt

OPEN = "('submitted', 'in_process', 'extended', 'forwarded')"


def year_start(year: int) -> str:
    return dt.datetime(year, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))).isoformat()


_PER_OPD = f"""
  count(*) AS received,
  count(*) FILTER (WHERE c.answered_at IS NOT NULL) AS answered,
  count(*) FILTER (WHERE c.answered_at IS NOT NULL
                   AND (c.answered_at AT TIME ZONE 'Asia/Makassar')::date <= c.effective_due_date) AS answered_on_time,
  count(*) FILTER (WHERE c.status IN {OPEN} AND c.effective_due_date < %(today)s) AS overdue_open,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY c.answer_working_days) AS median_days"""

# The public statistics: the same figures GET /api/v1/stats/ publishes, per OPD (the total is their sum).
# Decisions count answered requests (a written notice sent), refused is rejected_exempt only.
STATS = f"""
WITH per_opd AS (
  SELECT c.opd_id, {_PER_OPD},
  count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.decision = 'granted') AS granted,
  count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.decision = 'partially_granted') AS partially_granted,
  count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.decision = 'rejected_exempt') AS refused,
  count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.decision = 'not_held') AS not_held,
  count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.decision = 'not_documented') AS not_documented
  FROM requests_app_case c
  WHERE c.received_at >= %(start)s AND c.received_at < %(end)s
  GROUP BY c.opd_id),
letters AS (
  SELECT l.opd_id, jsonb_object_agg(l.exemption, l.n) AS refusals_by_letter FROM (
    SELECT opd_id, exemption, count(*) n FROM requests_app_case
    WHERE received_at >= %(start)s AND received_at < %(end)s AND decision = 'rejected_exempt'
      AND answered_at IS NOT NULL
    GROUP BY opd_id, exemption) l GROUP BY l.opd_id),
obj AS (
  SELECT o.opd_id, count(*) AS objections FROM requests_app_objection o
  WHERE o.filed_at >= %(start)s AND o.filed_at < %(end)s GROUP BY o.opd_id)
SELECT d.code, d.name, p.received, p.answered, p.answered_on_time, p.overdue_open, p.median_days,
       coalesce(obj.objections, 0) AS objections, p.granted, p.partially_granted, p.refused, p.not_held,
       p.not_documented, coalesce(l.refusals_by_letter, '{{}}'::jsonb) AS refusals_by_letter
FROM opd_app_opd d LEFT JOIN per_opd p ON p.opd_id = d.id LEFT JOIN obj ON obj.opd_id = d.id
LEFT JOIN letters l ON l.opd_id = d.id
ORDER BY d.code"""

COMPLIANCE = f"""
WITH per_opd AS (
  SELECT c.opd_id, {_PER_OPD},
  count(*) FILTER (WHERE (c.answered_at AT TIME ZONE 'Asia/Makassar')::date > c.effective_due_date) AS answered_late,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY c.answer_working_days) AS p90_days,
  count(*) FILTER (WHERE c.decision = 'granted') AS granted,
  count(*) FILTER (WHERE c.decision = 'partially_granted') AS partially_granted,
  count(*) FILTER (WHERE c.decision = 'rejected_exempt') AS rejected_exempt,
  count(*) FILTER (WHERE c.decision = 'not_held') AS not_held,
  count(*) FILTER (WHERE c.decision = 'not_documented') AS not_documented
  FROM requests_app_case c
  WHERE c.received_at >= %(start)s AND c.received_at < %(end)s
  GROUP BY c.opd_id),
letters AS (
  SELECT c.opd_id, jsonb_object_agg(c.exemption, c.n) AS refusals_by_letter FROM (
    SELECT opd_id, exemption, count(*) n FROM requests_app_case
    WHERE received_at >= %(start)s AND received_at < %(end)s AND decision = 'rejected_exempt'
    GROUP BY opd_id, exemption) c GROUP BY c.opd_id),
fwd AS (
  SELECT e.data ->> 'from_opd' AS code, count(*) AS forwarded
  FROM requests_app_caseevent e JOIN requests_app_case c ON c.id = e.case_id
  WHERE e.kind = 'forwarded' AND c.received_at >= %(start)s AND c.received_at < %(end)s
  GROUP BY 1),
tot AS (
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY answer_working_days) AS total_median,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY answer_working_days) AS total_p90
  FROM requests_app_case WHERE received_at >= %(start)s AND received_at < %(end)s),
obj AS (
  SELECT o.opd_id, count(*) AS filed, count(*) FILTER (WHERE o.outcome = 'upheld') AS upheld,
         count(*) FILTER (WHERE o.outcome = 'dismissed') AS dismissed,
         count(*) FILTER (WHERE o.status = 'filed' AND o.due_date < %(today)s) AS overdue
  FROM requests_app_objection o WHERE o.filed_at >= %(start)s AND o.filed_at < %(end)s GROUP BY o.opd_id)
SELECT d.code, d.name, p.*, l.refusals_by_letter, fwd.forwarded, obj.filed, obj.upheld, obj.dismissed,
       obj.overdue, tot.total_median, tot.total_p90
FROM opd_app_opd d CROSS JOIN tot LEFT JOIN per_opd p ON p.opd_id = d.id LEFT JOIN letters l ON l.opd_id = d.id
LEFT JOIN fwd ON fwd.code = d.code LEFT JOIN obj ON obj.opd_id = d.id
ORDER BY d.code"""

# Select the cases that crossed the overdue threshold and still owe their overdue notice, mark them, write the
# first-overdue event: one statement. The WHERE is the product's condition (rules.OVERDUE_NOTICE_OWED, the
# predicate of case_overdue_unnotified_idx, written as PostgreSQL stores it so the planner matches the index);
# the mark is what the sweep stamps (overdue_notice_due, and overdue_at the first time).
SWEEP_MARK = f"""
WITH marked AS (
  UPDATE requests_app_case SET overdue_notice_due = effective_due_date, overdue_at = COALESCE(overdue_at, %(now)s)
  WHERE status IN {OPEN}
    AND (overdue_notice_due IS NULL OR NOT (overdue_notice_due = effective_due_date AND overdue_notice_due IS NOT NULL))
    AND effective_due_date < %(today)s
  RETURNING id, status, overdue_at)
INSERT INTO requests_app_caseevent (case_id, at, kind, from_status, to_status, note, public, data)
SELECT id, %(now)s, 'overdue', status, status, 'Batas waktu terlewati.', true, '{{}}'::jsonb FROM marked
WHERE overdue_at = %(now)s"""


def fts_statement(model) -> str | None:
    """The raw full-text query over published documents, with the configuration the app indexes with."""
    fields = {f.name for f in model._meta.concrete_fields}
    if "search_vector" not in fields:
        return None
    config = fts_config()
    return (f"SELECT id, title, ts_rank(search_vector, q) AS rank "
            f"FROM {model._meta.db_table}, websearch_to_tsquery('{config}', %(q)s) q "
            f"WHERE status = 'published' AND search_vector @@ q ORDER BY rank DESC, id DESC LIMIT 50")


def fts_config() -> str:
    try:
        from documents_app import search

        return getattr(search, "SEARCH_CONFIG", None) or "simple"
    except ImportError:
        return "simple"


# The submission's fair floor: one row holding the citizen's form (the same fields the submission API takes) and
# the stored identity scan's name, inserted in a transaction. A table of the bench's own, re-created before the
# HTTP figures; no index beyond its key, no constraint, no numbering.
def submission_floor_columns() -> tuple[str, ...]:
    from requests_app.services.intake import REQUEST_FIELDS

    return ("opd", *REQUEST_FIELDS)


SUBMISSION_FLOOR_TABLE = "bench_submission_floor"


def submission_floor_ddl() -> list[str]:
    cols = ", ".join(f"{c} text NOT NULL" for c in submission_floor_columns())
    return [f"DROP TABLE IF EXISTS {SUBMISSION_FLOOR_TABLE}",
            f"CREATE TABLE {SUBMISSION_FLOOR_TABLE} (id bigserial PRIMARY KEY, {cols}, "
            f"identity_document text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"]


def submission_floor_insert() -> str:
    cols = (*submission_floor_columns(), "identity_document")
    return (f"INSERT INTO {SUBMISSION_FLOOR_TABLE} ({', '.join(cols)}) "
            f"VALUES ({', '.join(['%s'] * len(cols))}) RETURNING id")
