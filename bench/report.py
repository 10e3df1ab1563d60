"""The table `make bench` prints: each figure next to its floor, the ratio, the target and pass/miss."""

from __future__ import annotations

NA = "not available"

# (figure, floor, how the ratio is taken, target, label)
COMPARISONS = [
    ("queue_html", "template_floor", "latency", 1.5, "Queue page HTML (50 rows) vs template floor"),
    ("queue_api", "sql_floor", "latency", 2.0, "Queue API (50 rows) vs SQL floor"),
    ("case_detail", "minimal", "latency", None, "Case detail page vs minimal view"),
    ("tracking", "minimal", "latency", None, "Public tracking API vs minimal view"),
    ("stats", "stats_floor", "latency", 2.0, "Public statistics API vs SQL aggregates"),
    ("compliance", "compliance_floor", "latency", 2.0, "Admin dashboard (year) vs SQL aggregates"),
    ("search_common", "fts_common_floor", "latency", 2.0, "Search, common word vs raw full-text query"),
    ("search_rare", "fts_rare_floor", "latency", 2.0, "Search, rare word vs raw full-text query"),
    ("submit", "minimal_post", "throughput", 0.3, "Submission throughput vs minimal view (same concurrency)"),
    ("submit", "submit_floor", "latency", 3.0,
     "Submission vs fair floor (same form parsed, scan stored, one row inserted)"),
    ("submit_parallel", "submit_floor_parallel", "p95", None,
     "Submission p95, 20 submitters at once to one OPD, vs the fair floor's p95"),
]
# Figures that add cases: a gap or a duplicate in the registration numbers fails them whatever their speed.
NUMBERED = ("submit", "submit_parallel")


def _fmt(v, unit=""):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return f"{v:,.2f}{unit}" if isinstance(v, float) else f"{v:,}{unit}"


def evaluate(result: dict) -> list[dict]:
    """One row per comparison with ratio and verdict (also stored in the JSON)."""
    m = result.get("measurements", {})
    rows = []
    for fig, floor, kind, target, label in COMPARISONS:
        a, b = m.get(fig), m.get(floor)
        row = {"label": label, "figure": fig, "floor": floor, "target": target}
        if not a or not b:
            row.update(value=NA, floor_value=NA, ratio=None, verdict=NA)
            rows.append(row)
            continue
        if not a.get("requests", 1) or not b.get("requests", 1):
            row.update(value="no answer within its rounds", floor_value="", ratio=None, verdict="miss")
            rows.append(row)
            continue
        row["kind"] = kind
        if kind == "latency":
            ratio = a["median_ms"] / b["median_ms"] if b["median_ms"] else None
            row.update(value=f"{a['median_ms']:.2f} ms (p95 {a['p95_ms']:.2f})",
                       floor_value=f"{b['median_ms']:.2f} ms", ratio=ratio, queries=a.get("queries"))
            ok = ratio is not None and target is not None and ratio <= target
        elif kind == "p95":
            ratio = a["p95_ms"] / b["p95_ms"] if b["p95_ms"] else None
            row.update(value=f"p95 {a['p95_ms']:.2f} ms (median {a['median_ms']:.2f}, {a['rps']:.1f} req/s)",
                       floor_value=f"p95 {b['p95_ms']:.2f} ms", ratio=ratio, queries=a.get("queries"))
            ok = ratio is not None and target is not None and ratio <= target
        else:
            ratio = a["rps"] / b["rps"] if b["rps"] else None
            row.update(value=f"{a['rps']:.1f} req/s", floor_value=f"{b['rps']:.1f} req/s", ratio=ratio,
                       queries=a.get("queries"))
            ok = ratio is not None and ratio >= target
        gaps = fig in NUMBERED and not result.get("numbering", {}).get("gap_free")
        row["verdict"] = "miss" if gaps else "—" if target is None else ("pass" if ok else "miss")
        rows.append(row)
    # Non-ratio targets.
    for fig in ("queue_html", "queue_api"):
        q = m.get(fig, {}).get("queries")
        rows.append({"label": f"SQL queries per request, {fig.replace('_', ' ')}", "value": _fmt(q),
                     "floor_value": "", "ratio": None, "target": "≤ 10",
                     "verdict": NA if q is None else ("pass" if q <= 10 else "miss")})
    sweep = result.get("sweep")
    if sweep:
        c = sweep["crossing"]
        ratio = c["ms"] / sweep["raw_floor_ms"] if sweep["raw_floor_ms"] else None
        rows.append({"label": f"Sweep, nothing to send ({sweep['nothing']['queries']} queries)",
                     "value": f"{sweep['nothing']['ms']:.1f} ms", "floor_value": "", "ratio": None, "target": None,
                     "verdict": "—"})
        seq = any(p["seq_scan"] for p in sweep["nothing"]["plans"] + c["plans"])
        rows.append({"label": f"Sweep, 1% of open cases crossing ({sweep['crossing_cases']} cases) vs raw SQL",
                     "value": f"{c['ms']:.1f} ms", "floor_value": f"{sweep['raw_floor_ms']:.1f} ms", "ratio": ratio,
                     "target": 3.0, "verdict": "pass" if (ratio is not None and ratio <= 3) else "miss"})
        rows.append({"label": "Sweep: every query on a growing table is an index scan (EXPLAIN)",
                     "value": "no" if seq else "yes",
                     "floor_value": "", "ratio": None, "target": "yes", "verdict": "miss" if seq else "pass"})
    else:
        rows.append({"label": "Deadline sweep", "value": NA, "floor_value": "", "ratio": None, "target": None,
                     "verdict": NA})
    pdf = m.get("report_pdf")
    rows.append({"label": "Yearly report PDF build", "value": f"{pdf['median_ms']:.0f} ms" if pdf else NA,
                 "floor_value": "", "ratio": None, "target": None, "verdict": "—" if pdf else NA})
    ocr = result.get("ocr")
    if ocr:
        # The OCR pass and the confidence pass together, as the OCR task runs them, on one worker process.
        value = (f"{ocr['seconds_per_page']:.2f} s per page ({ocr['pages']} A4 pages, confidence "
                 f"{_fmt(ocr.get('confidence'))})" if "seconds_per_page" in ocr else f"failed: {ocr.get('error')}")
    rows.append({"label": "OCR of a scanned page (OCRmyPDF + Tesseract, ind+eng)", "value": value if ocr else NA,
                 "floor_value": "", "ratio": None, "target": None, "verdict": "—" if ocr else NA})
    rss = result.get("web_worker_peak_rss_mb")
    rows.append({"label": "Web worker peak RSS", "value": _fmt(rss, " MB"), "floor_value": "", "ratio": None,
                 "target": "< 150 MB", "verdict": NA if rss is None else ("pass" if rss < 150 else "miss")})
    celery = result.get("celery") or {}
    crss = celery.get("peak_rss_mb")
    rows.append({"label": "Celery worker peak RSS", "value": _fmt(crss, " MB"), "floor_value": "", "ratio": None,
                 "target": None, "verdict": "—"})
    if "drain_seconds" in celery:
        # The work the sweep hands to the worker (its fan-out) and the run's outbox (receipts with their PDFs from
        # the submissions, notices), first in, first out: not part of the sweep's figure, shown here.
        fanout = celery.get("fanout_seconds")
        pending = celery.get("pending_at_start", "?")
        rows.append({"label": f"Celery worker: sweep fan-out done / whole outbox drained ({pending} notifications "
                              "pending at start)",
                     "value": f"{_fmt(fanout, ' s')} / {_fmt(celery['drain_seconds'], ' s')}"
                              + ("" if celery.get("drained", True) else " (not drained)"),
                     "floor_value": "", "ratio": None, "target": None, "verdict": "—"})
    return rows


def table(result: dict) -> str:
    rows = evaluate(result)
    result["verdicts"] = rows
    seed = result.get("seed", {})
    head = (f"LOBIKU bench — {result.get('cases', 0):,} cases, {result.get('cores')} cores, "
            f"{result.get('workers')} gunicorn workers, wrk -c{result.get('connections')}, "
            f"{result.get('rounds')}×{result.get('seconds')} s per figure; "
            f"seeded in {seed.get('seconds_total', '?')} s "
            f"({seed.get('events', '?')} events, {seed.get('notifications', '?')} notifications, "
            f"{seed.get('objections', '?')} objections, {seed.get('documents', '?')} documents)")
    db = result.get("settings") or {}
    if "CONN_MAX_AGE" in db:
        head += (f"; database connections as in production: CONN_MAX_AGE={db['CONN_MAX_AGE']}, "
                 f"CONN_HEALTH_CHECKS={db.get('CONN_HEALTH_CHECKS')}")
    lines = [head, "",
             "| Measurement | Figure | Floor | Ratio | Target | Result |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        target = r["target"]
        if isinstance(target, float):
            target = f"≥ {target:g}×" if r.get("kind") == "throughput" else f"≤ {target:g}×"
        ratio = f"{r['ratio']:.2f}×" if r.get("ratio") is not None else ""
        lines.append(f"| {r['label']} | {r.get('value', '')} | {r.get('floor_value', '')} | {ratio} | "
                     f"{target or ''} | {r['verdict']} |")
    m = result.get("measurements", {})
    lines += ["", "| Endpoint | Median ms | p95 ms | req/s | SQL queries | Errors |",
              "| --- | --- | --- | --- | --- | --- |"]
    for v in m.values():
        if "p95_ms" in v:
            lines.append(f"| {v['name']} | {v['median_ms']:.2f} | {v['p95_ms']:.2f} | {v['rps']:.1f} | "
                         f"{_fmt(v.get('queries'))} | {v['errors']} |")
    if result.get("numbering"):
        parallel = (f" ({result['submitted_parallel']} of them by {result.get('parallel_submitters')} submitters at "
                    "once)" if "submitted_parallel" in result else "")
        lines.append(f"\nSubmissions stored during the run: {result.get('submitted')}{parallel}; numbering gap-free: "
                     f"{result['numbering']['gap_free']}")
    return "\n".join(lines)
