"""The yearly announcement's figures on the public statistics (UU 14/2008 Pasal 12): per OPD and in total, how
many requests were granted, partly granted, refused on a Pasal 17 exemption (and on which letter), answered as not
held or not yet documented. "Refused" is the Pasal 17 refusal only: not held is an answer of its own."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ppid_portal.clock import WITA, now
from requests_app.models import Case, Status
from tests.compliance_app.compliance_fixtures import answer, at, compliance_cases  # noqa: F401
from tests.requests_app.queue_cases import make_cases

pytestmark = pytest.mark.django_db

NO_LETTERS = dict.fromkeys("abcdefghij", 0)


@pytest.fixture
def every_decision(compliance_cases, admin_utama):  # noqa: F811
    """The shared cases plus one answered "not yet documented" (DPUPR), so every decision is counted."""
    answer(compliance_cases[9], admin_utama, at(2026, 6, 30, 10), "not_documented")
    return compliance_cases


def _stats(year=2026) -> dict:
    response = APIClient().get(f"/api/v1/stats/?year={year}")
    assert response.status_code == 200
    return response.json()


def _row(body, code) -> dict:
    return next(r for r in body["opds"] if r["opd"] == code)


def test_decisions_per_opd_and_in_total(every_decision, frozen):
    body = _stats()
    decisions = ("granted", "partially_granted", "refused", "not_held", "not_documented")
    # DINKES: granted c1 and c10 (forwarded to it), partly c2, refused c3 and c4 on letter b.
    assert {k: _row(body, "DINKES")[k] for k in decisions} == {
        "granted": 2, "partially_granted": 1, "refused": 2, "not_held": 0, "not_documented": 0}
    assert _row(body, "DINKES")["refusals_by_letter"] == {**NO_LETTERS, "b": 2}
    # DPUPR: refused c6 on letter h; c7 not held (not a refusal); c9 not yet documented.
    assert {k: _row(body, "DPUPR")[k] for k in decisions} == {
        "granted": 0, "partially_granted": 0, "refused": 1, "not_held": 1, "not_documented": 1}
    assert _row(body, "DPUPR")["refusals_by_letter"] == {**NO_LETTERS, "h": 1}
    assert {k: body["total"][k] for k in decisions} == {
        "granted": 2, "partially_granted": 1, "refused": 3, "not_held": 1, "not_documented": 1}
    assert body["total"]["refusals_by_letter"] == {**NO_LETTERS, "b": 2, "h": 1}
    assert (body["total"]["received"], body["total"]["answered"], body["total"]["objections"]) == (11, 8, 4)
    # An OPD without requests has its row, all zero.
    assert _row(body, "BAPPEDA")["refused"] == 0 and _row(body, "BAPPEDA")["refusals_by_letter"] == NO_LETTERS


def test_a_year_without_requests_counts_nothing(every_decision, frozen):
    body = _stats(2025)
    # The 2025 cohort holds the case received on 31 Dec 2025, granted in January.
    assert body["total"]["granted"] == 1 and body["total"]["refused"] == 0
    assert _stats(2024)["total"] == {**_stats(2024)["total"], "received": 0, "granted": 0, "refused": 0,
                                     "refusals_by_letter": NO_LETTERS}


def _answered(opd, n, start):
    """`n` answered cases of `opd`, every decision in turn, refusals on letters a and j."""
    make_cases(opd, n, start=start, status=Status.ANSWERED)
    pattern = [("granted", ""), ("partially_granted", ""), ("rejected_exempt", "a"), ("not_held", ""),
               ("not_documented", ""), ("rejected_exempt", "j")]
    cases = Case.objects.filter(opd=opd, sequence__gt=start, sequence__lte=start + n).order_by("sequence")
    for i, pk in enumerate(cases.values_list("pk", flat=True)):
        decision, letter = pattern[i % len(pattern)]
        Case.objects.filter(pk=pk).update(decision=decision, exemption=letter, answered_at=now(),
                                          answer_working_days=i % 7)


def _queries() -> tuple[int, dict]:
    cache.clear()  # the statistics are cached: count a computation, not a cache hit
    with CaptureQueriesContext(connection) as ctx:
        body = _stats()
    return len(ctx.captured_queries), body


def test_the_statistics_run_a_constant_number_of_queries(opds, calendar):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=WITA), tick=False):
        _answered(opds["DINKES"], 6, 0)
        _answered(opds["DPUPR"], 6, 0)
        few, body = _queries()
        assert body["total"]["refused"] == 4 and body["total"]["refusals_by_letter"]["j"] == 2

        _answered(opds["DINKES"], 12, 6)
        _answered(opds["DPUPR"], 12, 6)
        _answered(opds["BAPPEDA"], 6, 0)
        many, body = _queries()
        assert body["total"]["received"] == 42 and body["total"]["not_documented"] == 7
        assert body["total"]["refusals_by_letter"] == {**NO_LETTERS, "a": 7, "j": 7}
    # The directory, the grouped counts, the working-days histogram, the objections (and no more).
    assert few == many <= 5


def _cells(html: str, table_id: str, code: str) -> str:
    """The text of the OPD's row in the table."""
    table = html[html.index(f'id="{table_id}"'):]
    row = table[table.rindex("<tr>", 0, table.index(f">{code}</abbr>")):]
    return " ".join(re.sub(r"<[^>]+>", " ", row[:row.index("</tr>")]).split())


def test_the_statistics_page_shows_the_answers_and_the_refusals(client, every_decision, frozen):
    html = client.get("/statistik/?year=2026").content.decode()
    assert "Isi jawaban atas permohonan" in html
    # granted, partly, refused (Pasal 17), not held, not documented
    assert _cells(html, "decisions-table", "DINKES") == "DINKES Dinas Kesehatan 2 1 2 0 0"
    assert _cells(html, "decisions-table", "DPUPR").endswith("0 0 1 1 1")
    footer = html[html.index('id="decisions-table"'):]
    footer = footer[footer.index("<tfoot>"):footer.index("</tfoot>")]
    assert " ".join(re.sub(r"<[^>]+>", " ", footer).split()) == "Total 2 1 3 1 1"
    refusals = html[html.index('id="refusals-table"'):]
    refusals = " ".join(re.sub(r"<[^>]+>", " ", refusals[:refusals.index("</table>")]).split())
    assert "b b. mengganggu perlindungan HKI dan persaingan usaha tidak sehat 2 DINKES: 2" in refusals
    assert "h h. mengungkap rahasia pribadi 1 DPUPR: 1" in refusals
    assert "a a. menghambat proses penegakan hukum 0 –" in refusals
    assert refusals.endswith("Total 3")


def test_the_statistics_page_in_english(client, every_decision, frozen):
    client.cookies["django_language"] = "en"
    html = client.get("/statistik/?year=2026", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Answers to requests, by outcome" in html and "Refused (Article 17)" in html and "Not held" in html
    assert "Refusals by reason (Law 14/2008 Article 17)" in html
    assert _cells(html, "decisions-table", "DINKES") == "DINKES Dinas Kesehatan 2 1 2 0 0"
