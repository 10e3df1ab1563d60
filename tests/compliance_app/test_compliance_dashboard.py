"""Admin dashboard, drill-down, exports and the admin compliance API: access, figures, constant query count."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opd_app.models import OPD
from ppid_portal.clock import WITA
from requests_app.models import Case
from tests.compliance_app.compliance_fixtures import REQUESTER, TODAY, compliance_cases  # noqa: F401

pytestmark = pytest.mark.django_db
FROZEN = dt.datetime(2026, 7, 1, 10, 0, tzinfo=WITA)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def login(client, user):
    client.force_login(user)
    return client


# Access -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["officer", "atasan"])
@pytest.mark.parametrize("url", ["/dasbor/", "/dasbor/kasus/?metric=received", "/dasbor/ekspor.csv",
                                 "/dasbor/kasus/ekspor.xlsx", "/dasbor/laporan.pdf", "/dasbor/laporan/unduh/"])
def test_officers_cannot_open_the_dashboard(client, request, who, url):
    login(client, request.getfixturevalue(who))
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, opds):
    response = client.get("/dasbor/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize("who", ["officer", "atasan"])
@pytest.mark.parametrize("url", ["/api/v1/compliance/?year=2026", "/api/v1/compliance/report/?year=2026"])
def test_officers_cannot_use_the_compliance_api(request, who, url):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=request.getfixturevalue(who)).key}")
    assert api.get(url).status_code == 403


def test_anonymous_cannot_use_the_compliance_api(opds):
    assert APIClient().get("/api/v1/compliance/?year=2026").status_code in (401, 403)


def test_nav_shows_the_dashboard_to_utama_only(client, officer, admin_utama):
    assert reverse("dashboard") not in login(client, officer).get("/statistik/").content.decode()
    assert reverse("dashboard") in login(client, admin_utama).get("/statistik/").content.decode()


# Figures ----------------------------------------------------------------------------------------------------

def test_compliance_api_carries_the_figures(compliance_cases, admin_utama, frozen):  # noqa: F811
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_utama).key}")
    body = api.get("/api/v1/compliance/?year=2026").json()
    assert body["year"] == 2026
    dinkes = next(r for r in body["opds"] if r["opd"] == "DINKES")
    assert dinkes["answered_on_time"] == 4 and dinkes["answered_late"] == 1
    assert dinkes["median_working_days"] == 3.0 and dinkes["p90_working_days"] == 10.2
    assert dinkes["refusals_by_letter"]["b"] == 2
    assert dinkes["objections_detail"] == {"filed": 3, "upheld": 1, "dismissed": 1, "overdue": 1}
    assert body["total"]["received"] == 11 and body["total"]["median_working_days"] == 9.0
    assert body["total"]["decisions"]["rejected_exempt"] == 3


def test_compliance_api_filters_by_opd_and_rejects_bad_input(compliance_cases, admin_utama, frozen):  # noqa: F811
    api = APIClient()
    api.force_authenticate(admin_utama)
    body = api.get("/api/v1/compliance/?year=2026&opd=dpupr").json()
    assert [r["opd"] for r in body["opds"]] == ["DPUPR"]
    assert body["total"]["forwarded"] == 1 and body["total"]["answered_late"] == 1
    assert api.get("/api/v1/compliance/?year=abc").status_code == 400
    assert api.get("/api/v1/compliance/?year=2026&opd=NOPE").status_code == 400
    assert api.get("/api/v1/compliance/?year=2026&start=2026-05-01&end=2026-02-01").status_code == 400


def test_session_auth_works_for_the_compliance_api(client, compliance_cases, admin_utama, frozen):  # noqa: F811
    login(client, admin_utama)
    assert client.get("/api/v1/compliance/?year=2026").json()["total"]["answered"] == 7


def test_dashboard_shows_league_charts_and_drill_down_links(client, compliance_cases, admin_utama, frozen):  # noqa: F811
    html = login(client, admin_utama).get("/dasbor/?year=2026").content.decode()
    assert html.count("<svg") == 2
    league = html[html.index('id="league"'):html.index("</table>", html.index('id="league"'))]
    assert league.index(">DINKES<") < league.index(">DPUPR<")
    assert "66,7%" in league and "33,3%" in league  # Indonesian decimal comma
    assert "/dasbor/kasus/?year=2026&amp;opd=DINKES&amp;metric=answered_late" in html
    assert "Siti" not in html and "6403012345678901" not in html


def test_drill_down_page_lists_the_late_cases(client, compliance_cases, admin_utama, frozen):  # noqa: F811
    html = login(client, admin_utama).get("/dasbor/kasus/?year=2026&opd=DINKES&metric=answered_late").content.decode()
    assert compliance_cases[3].registration_number in html
    assert compliance_cases[1].registration_number not in html
    assert login(client, admin_utama).get("/dasbor/kasus/?year=2026&metric=bogus").status_code == 400


def test_case_list_export_has_no_requester_identity(client, compliance_cases, admin_utama, frozen):  # noqa: F811
    response = login(client, admin_utama).get("/dasbor/kasus/ekspor.csv?year=2026&metric=refusal:b")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["Nomor registrasi"] for r in rows} == {compliance_cases[3].registration_number,
                                                     compliance_cases[4].registration_number}
    assert {r["Lama menjawab (hari kerja)"] for r in rows} == {"11", "1"}
    for value in REQUESTER.values():
        assert value not in text


def test_figures_export_csv_and_xlsx(client, compliance_cases, admin_utama, frozen):  # noqa: F811
    from openpyxl import load_workbook

    login(client, admin_utama)
    rows = list(csv.DictReader(io.StringIO(client.get("/dasbor/ekspor.csv?year=2026").content.decode("utf-8-sig"))))
    total = next(r for r in rows if r["Kode OPD"] == "TOTAL")
    assert (total["Permohonan diterima"], total["Dijawab tepat waktu"],
            total["Median lama menjawab (hari kerja)"]) == ("11", "5", "9.0")
    assert next(r for r in rows if r["Kode OPD"] == "DPUPR")["Ditolak, Pasal 17 huruf h"] == "1"
    response = client.get("/dasbor/ekspor.xlsx?year=2026")
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[0]
    headers = [c.value for c in sheet[1]]
    dinkes = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "DINKES")
    assert dinkes[headers.index("Dijawab terlambat")] == 1
    assert dinkes[headers.index("Persentil 90 lama menjawab (hari kerja)")] == 10.2
    assert [r[1] for r in wb.worksheets[1].iter_rows(min_row=2, max_row=3, values_only=True)] == [1, 7]


# Constant query count -------------------------------------------------------------------------------------------

def _bulk_cases(opd_codes, per_opd=3):
    """Rows straight in the table (the figures only read columns): answered, late and open cases per OPD."""
    opds = {o.code: o for o in OPD.objects.filter(code__in=opd_codes)}
    rows, seq = [], 0
    for code in opd_codes:
        for i in range(per_opd):
            seq += 1
            received = dt.datetime(2026, 3, 2, 9, tzinfo=WITA)
            answered = received + dt.timedelta(days=3 + 20 * (i % 2)) if i < 2 else None
            rows.append(Case(
                registration_number=f"{code}-2026-{seq:05d}", opd=opds[code], registered_opd=opds[code], year=2026,
                sequence=seq, tracking_code_hash="x", status="answered" if answered else "submitted",
                decision="rejected_exempt" if answered else "", exemption="b" if answered else "",
                received_at=received, received_on=received.date(), due_date=dt.date(2026, 3, 16),
                effective_due_date=dt.date(2026, 3, 16), answered_at=answered,
                answer_working_days=(3 if i == 0 else 17) if answered else None,
                created_at=received, updated_at=received, requester_type="individual", obtain_method="view",
                delivery_method="email", address="-", information_requested="-", purpose="-", **{
                    k: v for k, v in REQUESTER.items() if k != "address"}))
    Case.objects.bulk_create(rows)


def _queries(fn):
    from django.core.cache import cache

    cache.clear()  # public stats are cached; count the queries behind them
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/dasbor/?year=2026", "/api/v1/compliance/?year=2026", "/api/v1/stats/?year=2026",
                                  "/statistik/?year=2026"])
def test_query_count_does_not_grow_with_opds_or_cases(client, opds, admin_utama, frozen, path):
    login(client, admin_utama)
    codes = sorted(opds)
    _bulk_cases(codes[:2])
    small = _queries(lambda: client.get(path))
    _bulk_cases(codes[2:22], per_opd=5)
    big = _queries(lambda: client.get(path))
    assert client.get(path).status_code == 200
    assert big == small
