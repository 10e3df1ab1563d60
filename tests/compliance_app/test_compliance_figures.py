"""Compliance figures: each figure of a known data set, exactly (see compliance_fixtures for the data)."""

import datetime as dt

import pytest

from compliance_app.selectors import (
    Period,
    cases_for_metric,
    compliance_figures,
    league_table,
    monthly_trends,
    percentile_from_histogram,
)
from tests.compliance_app.compliance_fixtures import TODAY, compliance_cases  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(compliance_cases):  # noqa: F811
    return compliance_figures(period=Period.for_year(2026), today=TODAY)


def row(figures, code):
    return next(r for r in figures["opds"] if r["opd"] == code)


def counts(r):
    return r["received"], r["answered"], r["answered_on_time"], r["answered_late"], r["overdue_open"]


def test_dinkes_request_figures(figures):
    r = row(figures, "DINKES")
    assert counts(r) == (7, 5, 4, 1, 1)
    assert r["median_working_days"] == 3.0
    assert r["p90_working_days"] == 10.2
    assert r["decisions"] == {"granted": 2, "partially_granted": 1, "rejected_exempt": 2, "not_held": 0,
                              "not_documented": 0}
    assert r["refusals_by_letter"]["b"] == 2
    assert sum(r["refusals_by_letter"].values()) == 2
    assert r["forwarded"] == 0
    assert r["on_time_rate"] == 66.7


def test_dpupr_figures_count_the_extension_and_the_forward(figures):
    r = row(figures, "DPUPR")
    assert counts(r) == (4, 2, 1, 1, 1)
    assert (r["median_working_days"], r["p90_working_days"]) == (16.0, 16.0)
    assert r["decisions"]["rejected_exempt"] == 1 and r["decisions"]["not_held"] == 1
    assert r["refusals_by_letter"] == {**dict.fromkeys("abcdefghij", 0), "h": 1}
    assert r["forwarded"] == 1
    assert r["on_time_rate"] == 33.3


def test_objection_and_dispute_figures(figures):
    dinkes, dpupr = row(figures, "DINKES"), row(figures, "DPUPR")
    assert dinkes["objections"] == 3
    assert dinkes["objections_detail"] == {"filed": 3, "upheld": 1, "dismissed": 1, "overdue": 1}
    assert dinkes["disputes"] == 1
    assert dpupr["objections_detail"] == {"filed": 1, "upheld": 0, "dismissed": 1, "overdue": 1}
    assert dpupr["disputes"] == 0


def test_regency_total(figures):
    t = figures["total"]
    assert counts(t) == (11, 7, 5, 2, 2)
    assert (t["median_working_days"], t["p90_working_days"]) == (9.0, 16.0)
    assert t["decisions"] == {"granted": 2, "partially_granted": 1, "rejected_exempt": 3, "not_held": 1,
                              "not_documented": 0}
    assert (t["refusals_by_letter"]["b"], t["refusals_by_letter"]["h"]) == (2, 1)
    assert t["objections_detail"] == {"filed": 4, "upheld": 1, "dismissed": 2, "overdue": 2}
    assert (t["forwarded"], t["disputes"]) == (1, 1)


def test_every_opd_is_listed_and_idle_ones_are_zero(figures):
    from opd_app.models import OPD

    assert len(figures["opds"]) == OPD.objects.count() > 20
    idle = row(figures, "DISHUB")
    assert idle["received"] == 0 and idle["median_working_days"] is None and idle["on_time_rate"] is None


def test_league_table_sorts_by_on_time_rate(figures):
    league = league_table(figures["opds"])
    assert [r["opd"] for r in league[:2]] == ["DINKES", "DPUPR"]
    assert league[2]["on_time_rate"] is None


def test_opd_filter_restricts_rows_and_total(compliance_cases):  # noqa: F811
    figures = compliance_figures(period=Period.for_year(2026), opd_codes=["dpupr"], today=TODAY)
    assert [r["opd"] for r in figures["opds"]] == ["DPUPR"]
    assert figures["total"]["received"] == 4
    assert figures["total"]["median_working_days"] == 16.0


def test_date_range_period(compliance_cases):  # noqa: F811
    # Only the requests received 2–7 Feb: DINKES 1–4, DPUPR 6, 7 and the forwarded one (now DINKES).
    figures = compliance_figures(period=Period(dt.date(2026, 2, 2), dt.date(2026, 2, 7)), today=TODAY)
    assert row(figures, "DINKES")["received"] == 5
    assert row(figures, "DPUPR")["received"] == 2
    assert figures["total"]["overdue_open"] == 0


def test_the_year_boundary_is_wita(compliance_cases):  # noqa: F811
    figures_2025 = compliance_figures(period=Period.for_year(2025), today=TODAY)
    assert row(figures_2025, "DINKES")["received"] == 1
    assert row(figures_2025, "DINKES")["median_working_days"] == 2.0  # 31 Dec (Wed) → 2, 5 Jan


def test_monthly_trends(compliance_cases):  # noqa: F811
    trends = monthly_trends(period=Period.for_year(2026))
    assert len(trends) == 12
    assert [(t["received"], t["answered"]) for t in trends[:3]] == [(1, 1), (7, 5), (1, 2)]
    assert trends[5]["received"] == 2
    assert sum(t["received"] for t in trends) == 11


@pytest.mark.parametrize("metric, opd, expected", [
    ("answered_late", "DINKES", {3}),
    ("answered_on_time", "DINKES", {1, 2, 4, 10}),
    ("overdue_open", "", {5, 8}),
    ("refusal:b", "DINKES", {3, 4}),
    ("decision:granted", "", {1, 10}),
    ("forwarded", "DPUPR", {10}),
    ("objections_overdue", "", {2, 7}),
    ("disputes", "DINKES", {4}),
])
def test_drill_down_lists_the_cases_behind_a_figure(compliance_cases, metric, opd, expected):  # noqa: F811
    qs = cases_for_metric(period=Period.for_year(2026), metric=metric, opd_code=opd, today=TODAY)
    by_pk = {c.pk: k for k, c in compliance_cases.items()}
    assert {by_pk[pk] for pk in qs.values_list("pk", flat=True)} == expected


def test_percentile_matches_percentile_cont():
    # percentile_cont(0.5) of {1,2,9,11} = 5.5; p90 = 9 + 0.7 * 2 = 10.4
    hist = {1: 1, 2: 1, 9: 1, 11: 1}
    assert percentile_from_histogram(hist, 0.5) == 5.5
    assert round(percentile_from_histogram(hist, 0.9), 1) == 10.4
    assert percentile_from_histogram({4: 3}, 0.9) == 4
    assert percentile_from_histogram({}, 0.5) is None


@pytest.mark.postgres
def test_histogram_percentiles_equal_postgresql_percentile_cont(compliance_cases):  # noqa: F811
    from django.db.models import Count

    from compliance_app.selectors import PercentileCont
    from requests_app.models import Case

    period = Period.for_year(2026)
    figures = compliance_figures(period=period, today=TODAY)
    reference = (Case.objects.filter(received_at__gte=period.start_at, received_at__lt=period.end_before)
                 .order_by().values("opd__code")
                 .annotate(n=Count("id"), m=PercentileCont("answer_working_days", 0.5),
                           p=PercentileCont("answer_working_days", 0.9)))
    for ref in reference:
        got = row(figures, ref["opd__code"])
        expected = (round(ref["m"], 1), round(ref["p"], 1)) if ref["m"] is not None else (None, None)
        assert (got["median_working_days"], got["p90_working_days"]) == expected
