"""The bench table: each figure against its floor, the ratio, the target's verdict; missing features are
reported as not available, never as a figure."""

from bench.report import evaluate, table


def fig(median, rps=100.0, queries=4):
    return {"name": "x", "median_ms": median, "p95_ms": median * 2, "rps": rps, "queries": queries, "errors": 0}


def test_ratios_and_verdicts():
    result = {
        "measurements": {
            "queue_html": fig(12.0, queries=7), "template_floor": fig(10.0),
            "queue_api": fig(9.0), "sql_floor": fig(3.0),
            "submit": fig(50.0, rps=120.0), "minimal_post": fig(1.0, rps=400.0),
        },
        "numbering": {"gap_free": True},
        "web_worker_peak_rss_mb": 151.0,
    }
    rows = {r["label"]: r for r in evaluate(result)}
    html = rows["Queue page HTML (50 rows) vs template floor"]
    assert round(html["ratio"], 2) == 1.2 and html["verdict"] == "pass"
    api = rows["Queue API (50 rows) vs SQL floor"]
    assert api["ratio"] == 3.0 and api["verdict"] == "miss"
    submit = rows["Submission throughput vs minimal view (same concurrency)"]
    assert submit["ratio"] == 0.3 and submit["verdict"] == "pass"
    assert rows["Web worker peak RSS"]["verdict"] == "miss"
    assert rows["SQL queries per request, queue html"]["verdict"] == "pass"


def test_gaps_in_numbering_fail_the_submission_target():
    result = {"measurements": {"submit": fig(5.0, rps=400.0), "minimal_post": fig(1.0, rps=400.0)},
              "numbering": {"gap_free": False}}
    rows = {r["label"]: r for r in evaluate(result)}
    assert rows["Submission throughput vs minimal view (same concurrency)"]["verdict"] == "miss"


def test_features_not_landed_are_not_available():
    rows = {r["label"]: r for r in evaluate({"measurements": {}})}
    assert rows["Admin dashboard (year) vs SQL aggregates"]["verdict"] == "not available"
    assert rows["Yearly report PDF build"]["value"] == "not available"
    assert rows["Deadline sweep"]["value"] == "not available"
    text = table({"measurements": {}, "cases": 10})
    assert "| Search, rare word vs raw full-text query | not available | not available |" in text


def test_submission_against_its_fair_floor_and_parallel_p95():
    result = {"measurements": {"submit": fig(9.0, rps=200.0), "submit_floor": fig(3.0, rps=600.0),
                               "minimal_post": fig(1.0, rps=2000.0),
                               "submit_parallel": fig(90.0, rps=210.0), "submit_floor_parallel": fig(30.0)},
              "numbering": {"gap_free": True}}
    rows = {r["label"]: r for r in evaluate(result)}
    fair = rows["Submission vs fair floor (same form parsed, scan stored, one row inserted)"]
    assert fair["ratio"] == 3.0 and fair["verdict"] == "pass"
    parallel = rows["Submission p95, 20 submitters at once to one OPD, vs the fair floor's p95"]
    assert parallel["value"] == "p95 180.00 ms (median 90.00, 210.0 req/s)" and parallel["ratio"] == 3.0
    assert parallel["verdict"] == "—"
    text = table(result)
    assert "| Submission vs fair floor (same form parsed, scan stored, one row inserted) | 9.00 ms (p95 18.00) | " \
           "3.00 ms | 3.00× | ≤ 3× | pass |" in text
    assert "| 0.10× | ≥ 0.3× | miss |" in text

    result["measurements"]["submit"] = fig(9.5, rps=190.0)
    result["numbering"] = {"gap_free": False}
    rows = {r["label"]: r for r in evaluate(result)}
    assert rows["Submission vs fair floor (same form parsed, scan stored, one row inserted)"]["verdict"] == "miss"
    assert rows["Submission p95, 20 submitters at once to one OPD, vs the fair floor's p95"]["verdict"] == "miss"
