"""The deadline sweep, timed in-process: the product's sweep with its statements EXPLAINed, the 1% of open
cases moved across the overdue threshold, and the raw SQL floor doing the same selecting and marking."""

from __future__ import annotations

import datetime as dt
import inspect
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench import floors_sql
from bench.run import log
from bench.worker import pending_notifications, undispatched_notices


def big_tables() -> tuple[str, ...]:
    """Tables that grow with the cases: a sequential scan of one of them is a finding (the directory, users and
    holidays are small and a sequential scan of them is the planner's right choice)."""
    from bench.seed_documents import documents_model
    from requests_app.models import Case, CaseEvent, DeadlineNotice, Notification, Objection

    growing = (Case, CaseEvent, Notification, Objection, DeadlineNotice, documents_model())
    return tuple(model._meta.db_table for model in growing if model is not None)


def explain(sql_text: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql_text)
        return "\n".join(r[0] for r in cur.fetchall())


def sweep_callable():
    """The product's sweep, once the deadlines package has one (else None)."""
    try:
        from requests_app.deadlines.sweep import sweep_run
    except ImportError:
        return None
    return sweep_run


def sweep_once(today: dt.date, label: str) -> dict:
    """Run the product's sweep in-process, timed, with its queries captured and EXPLAINed."""
    sweep_run = sweep_callable()
    params = inspect.signature(sweep_run).parameters
    kwargs = {"today": today} if "today" in params else {}
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        result = sweep_run(**kwargs)
        seconds = time.perf_counter() - t0
    plans, seen, growing = [], set(), big_tables()
    for q in ctx.captured_queries:
        text = q["sql"]
        head = text.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "UPDATE", "DELETE", "WITH", "INSERT") or text in seen:
            continue
        # One plan per statement shape (the per-case loops repeat the same query with another id).
        shape = "".join(ch for ch in text if not ch.isdigit())
        if shape in seen:
            continue
        seen.add(shape)
        seen.add(text)
        if head == "INSERT":
            continue
        try:
            plan = explain(text)
        except Exception as exc:  # noqa: BLE001 - a plan we cannot get is reported, not fatal
            plan = f"(no plan: {exc})"
        seq = sorted({t for t in growing if f"Seq Scan on {t}" in plan})
        plans.append({"sql": text[:500], "plan": plan, "seq_scan": bool(seq), "seq_scanned": seq,
                      "scans": [ln.strip().split("  (cost")[0].lstrip("-> ") for ln in plan.splitlines()
                                if "Scan" in ln]})
    return {"label": label, "ms": round(seconds * 1000, 1), "queries": len(ctx.captured_queries),
            "result": str(result)[:300], "plans": plans}


def make_crossing(today: dt.date, share: float) -> int:
    """Move `share` of the open cases that are not yet overdue (and so still owe their overdue notice, as the
    sweep reads it) to a due date of yesterday: they cross the overdue threshold at the next sweep."""
    from requests_app.models import Case
    from requests_app.rules import OPEN_STATUSES, OVERDUE_NOTICE_OWED

    open_count = Case.objects.filter(status__in=OPEN_STATUSES).count()
    n = max(1, int(open_count * share))
    ids = list(Case.objects.filter(OVERDUE_NOTICE_OWED, effective_due_date__gte=today)
               .order_by("?").values_list("pk", flat=True)[:n])
    yesterday = today - dt.timedelta(days=1)
    Case.objects.filter(pk__in=ids, extended_due_date__isnull=True).update(due_date=yesterday,
                                                                           effective_due_date=yesterday)
    Case.objects.filter(pk__in=ids, extended_due_date__isnull=False).update(extended_due_date=yesterday,
                                                                            effective_due_date=yesterday)
    return len(ids)


def sweep_raw_floor(today: dt.date) -> float:
    """The raw SQL that selects the crossing cases, marks them and writes their event — rolled back."""
    from ppid_portal.clock import now

    t0 = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(floors_sql.SWEEP_MARK, {"today": today, "now": now()})
            raise _Rollback
    except _Rollback:
        pass
    return round((time.perf_counter() - t0) * 1000, 1)


class _Rollback(Exception):
    pass


def measure_sweeps(out: dict, today: dt.date, celery_app) -> None:
    """The three sweeps (catch-up, nothing to send, 1% crossing) against the raw floor, into out["sweep"]."""
    if not sweep_callable():
        return
    log("Sweeps (in-process)…")
    # Beat runs the sweep in a Celery worker that has published before. In-process, the first sweep that
    # enqueues would also pay the first publish of the process (connection, producer, message set-up: ~20 ms,
    # once): publish one no-op fan-out (no ledger rows) before the timed sweeps.
    try:
        from requests_app.tasks import dispatch_deadline_notices_task

        with celery_app.producer_or_acquire() as producer:
            dispatch_deadline_notices_task.apply_async(([], today.isoformat()), producer=producer)
    except Exception as exc:  # noqa: BLE001 - no broker: the sweep logs and leaves its rows undispatched
        log(f"  (broker not reachable before the sweeps: {exc})")
    catch_up = sweep_once(today, "first sweep after seeding (catch-up)")
    nothing = sweep_once(today, "sweep with nothing to send")
    crossing_n = make_crossing(today, 0.01)
    raw_ms = sweep_raw_floor(today)
    crossing = sweep_once(today, f"sweep with 1% of open cases crossing ({crossing_n} cases)")
    # The in-process figure is the sweep alone (decide, claim, stamp, enqueue the fan-out); the fan-out itself
    # (rendering, outbox rows, reminder events) is the worker's and is timed with the Celery worker (bench.worker).
    out["sweep"] = {"catch_up": catch_up, "nothing": nothing, "crossing": crossing, "crossing_cases": crossing_n,
                    "raw_floor_ms": raw_ms, "ratio_to_floor": round(crossing["ms"] / raw_ms, 1) if raw_ms else None,
                    "undispatched_after": undispatched_notices(), "pending_after": pending_notifications()}
    for s in (catch_up, nothing, crossing):
        log(f"  {s['label']}: {s['ms']} ms, {s['queries']} queries")
    log(f"  raw SQL selecting and marking them: {raw_ms} ms (sweep/floor {out['sweep']['ratio_to_floor']}×); "
        f"left for the worker: {out['sweep']['undispatched_after']} ledger rows to fan out, "
        f"{out['sweep']['pending_after']} notifications to send")
    log("  EXPLAIN of each statement shape the sweeps ran (full plans in the JSON):")
    for p in crossing["plans"]:
        flag = "SEQ SCAN " + ",".join(p["seq_scanned"]) if p["seq_scan"] else "index"
        log(f"    [{flag}] {p['sql'][:110]}…\n        " + " | ".join(p["scans"]))
