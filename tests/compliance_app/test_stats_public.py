"""Public statistics: the page and GET /api/v1/stats/ carry the figures and no personal data."""

import datetime as dt
import json
import re

import pytest
import time_machine
from rest_framework.test import APIClient

from ppid_portal.clock import WITA
from tests.compliance_app.compliance_fixtures import REQUESTER, compliance_cases  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=WITA), tick=False):
        yield


def test_stats_api_figures(compliance_cases, frozen):  # noqa: F811
    body = APIClient().get("/api/v1/stats/?year=2026").json()
    assert body["year"] == 2026
    dinkes = next(r for r in body["opds"] if r["opd"] == "DINKES")
    assert dinkes == {"opd": "DINKES", "name": dinkes["name"], "received": 7, "answered": 5, "answered_on_time": 4,
                      "overdue_open": 1, "median_working_days": 3.0, "objections": 3, "granted": 2,
                      "partially_granted": 1, "refused": 2, "not_held": 0, "not_documented": 0,
                      "refusals_by_letter": {**dict.fromkeys("abcdefghij", 0), "b": 2}}
    dpupr = next(r for r in body["opds"] if r["opd"] == "DPUPR")
    assert (dpupr["received"], dpupr["answered_on_time"], dpupr["median_working_days"]) == (4, 1, 16.0)


def test_stats_api_carries_no_personal_data(compliance_cases, frozen):  # noqa: F811
    response = APIClient().get("/api/v1/stats/?year=2026")
    text = response.content.decode()
    for value in REQUESTER.values():
        assert value not in text
    for case in compliance_cases.values():
        assert case.registration_number not in text  # not even which requests exist
    keys = {k for row in json.loads(text)["opds"] for k in row}
    assert keys == {"opd", "name", "received", "answered", "answered_on_time", "overdue_open",
                    "median_working_days", "objections", "granted", "partially_granted", "refused", "not_held",
                    "not_documented", "refusals_by_letter"}


def test_stats_api_defaults_to_this_year_and_rejects_bad_years(opds, frozen):
    assert APIClient().get("/api/v1/stats/").json()["year"] == 2026
    response = APIClient().get("/api/v1/stats/?year=abc")
    assert response.status_code == 400 and "year" in response.json()
    assert APIClient().get("/api/v1/stats/?year=1999").status_code == 400


def test_public_page_shows_the_figures_and_a_chart(client, compliance_cases, frozen):  # noqa: F811
    response = client.get("/statistik/?year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "Permohonan diterima dan dijawab tepat waktu per OPD, 2026" in html
    row = html[html.index('<abbr title="Dinas Kesehatan">DINKES</abbr>'):]
    cells = " ".join(re.sub(r"<[^>]+>", " ", row[:row.index("</tr>")]).split())
    # received, answered, on time (rate), overdue, median, objections
    assert cells == "DINKES Dinas Kesehatan 7 5 4 (66,7%) 1 3,0 3"
    for value in REQUESTER.values():
        assert value not in html


def test_public_page_bad_year_is_a_400_with_a_message(client, opds, frozen):
    response = client.get("/statistik/?year=20x6")
    assert response.status_code == 400
    assert "Tahun harus berupa angka" in response.content.decode()


def test_stats_are_cached_for_a_few_minutes(submit, opds):
    start = dt.datetime(2026, 7, 1, 10, tzinfo=WITA)
    with time_machine.travel(start, tick=False):
        submit()
        assert APIClient().get("/api/v1/stats/?year=2026").json()["opds"][0] is not None
        submit()
        dinkes = [r for r in APIClient().get("/api/v1/stats/?year=2026").json()["opds"] if r["opd"] == "DINKES"]
        assert dinkes[0]["received"] == 1  # still the cached figures
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        dinkes = [r for r in APIClient().get("/api/v1/stats/?year=2026").json()["opds"] if r["opd"] == "DINKES"]
        assert dinkes[0]["received"] == 2
