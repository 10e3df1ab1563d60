"""The compliance figures count the letters handed over late and those still waiting (and how many of them are past
their due day), per issuing OPD, in a constant number of queries."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance_app.selectors import Period, compliance_figures
from ppid_portal.clock import WITA
from requests_app.models import LetterDelivery

TODAY = dt.date(2026, 7, 1)


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=WITA)


def letter(case, name, issued, due, delivered=None):
    return LetterDelivery.objects.create(case=case, opd=case.opd, letter=name, issued_at=issued, due_on=due,
                                         delivered_at=delivered, method="in_person" if delivered else "",
                                         recipient_name="Penerima" if delivered else "")


@pytest.fixture
def deliveries(submit):
    dinkes, dpupr = submit().case, submit(opd="DPUPR").case
    # DINKES: handed over on its due day late in the evening (WITA; still the 5th), handed over half an hour after
    # midnight WITA (the 6th: late, though the UTC date is still the 5th), waiting past its due day, waiting in time.
    letter(dinkes, "receipt", at(2026, 3, 2), dt.date(2026, 3, 5), delivered=at(2026, 3, 5, 23, 30))
    letter(dinkes, "notice", at(2026, 3, 2), dt.date(2026, 3, 5), delivered=at(2026, 3, 6, 0, 30))
    letter(dinkes, "extension", at(2026, 6, 1), dt.date(2026, 6, 4))
    letter(dinkes, "objection_receipt", at(2026, 6, 29), dt.date(2026, 7, 2))
    # Issued the year before: not in 2026's figures.
    letter(dinkes, "objection_answer", at(2025, 12, 1), dt.date(2025, 12, 4))
    letter(dpupr, "receipt", at(2026, 5, 4), dt.date(2026, 5, 7))
    return dinkes, dpupr


EXPECTED = {
    "DINKES": {"issued": 4, "delivered": 2, "delivered_late": 1, "waiting": 2, "waiting_overdue": 1},
    "DPUPR": {"issued": 1, "delivered": 0, "delivered_late": 0, "waiting": 1, "waiting_overdue": 1},
}


def test_figures_count_late_and_waiting_letters_per_opd(deliveries):
    figures = compliance_figures(period=Period.for_year(2026), today=TODAY)
    by_code = {row["opd"]: row["letter_deliveries"] for row in figures["opds"]}
    assert by_code["DINKES"] == EXPECTED["DINKES"] and by_code["DPUPR"] == EXPECTED["DPUPR"]
    assert by_code["BAPPEDA"] == dict.fromkeys(EXPECTED["DPUPR"], 0)
    assert figures["total"]["letter_deliveries"] == {
        "issued": 5, "delivered": 2, "delivered_late": 1, "waiting": 3, "waiting_overdue": 2}
    one = compliance_figures(period=Period.for_year(2026), opd_codes=["DPUPR"], today=TODAY)
    assert one["total"]["letter_deliveries"] == EXPECTED["DPUPR"]


def test_the_figures_take_the_same_queries_with_more_letters(deliveries, submit):
    period = Period.for_year(2026)
    with CaptureQueriesContext(connection) as few:
        compliance_figures(period=period, today=TODAY)
    for code in ("DINKES", "DPUPR", "BAPPEDA", "DINKES"):
        case = submit(opd=code).case
        for name in ("receipt", "notice", "extension"):
            letter(case, name, at(2026, 4, 1), dt.date(2026, 4, 6), delivered=at(2026, 4, 8))
    with CaptureQueriesContext(connection) as many:
        figures = compliance_figures(period=period, today=TODAY)
    assert len(few.captured_queries) == len(many.captured_queries)
    assert figures["total"]["letter_deliveries"]["delivered_late"] == 1 + 12


def test_dashboard_api_and_export_show_them(deliveries, admin_utama, client):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin_utama).key}")
    with time_machine.travel(at(2026, 7, 1), tick=False):
        body = api.get("/api/v1/compliance/?year=2026").json()
        client.force_login(admin_utama)
        html = client.get("/dasbor/?year=2026").content.decode()
        export = client.get("/dasbor/ekspor.csv?year=2026").content.decode("utf-8-sig")
    rows = {row["opd"]: row["letter_deliveries"] for row in body["opds"]}
    assert rows["DINKES"] == EXPECTED["DINKES"] and body["total"]["letter_deliveries"]["waiting_overdue"] == 2
    table = html[html.index('id="letter-deliveries"'):]
    table = table[:table.index("</table>")]
    assert "DINKES" in table and "DPUPR" in table and "BAPPEDA" not in table  # OPDs with letters only
    assert '<td class="num" data-label="Diserahkan terlambat">1</td>' in table
    by_opd = {row["Kode OPD"]: row for row in csv.DictReader(io.StringIO(export))}
    assert by_opd["DINKES"]["Surat diserahkan terlambat"] == "1"
    assert by_opd["DPUPR"]["Surat menunggu diserahkan, lewat batas"] == "1"
    assert by_opd["TOTAL"]["Surat menunggu diserahkan"] == "3"
