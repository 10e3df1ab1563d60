"""The dashboard's exports in the reader's language: one header row in Indonesian (English when the request's
language is English), statuses, decisions and exemptions as their labels, Indonesian file names."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from ppid_portal.clock import WITA
from tests.compliance_app.compliance_fixtures import compliance_cases  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_utama):
    client.force_login(admin_utama)
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, 0, tzinfo=WITA), tick=False):
        yield client


def _get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response, sheet=0):
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[sheet].iter_rows(values_only=True))
    return [list(r) for r in rows]


CASES = "/dasbor/kasus/ekspor.{fmt}?year=2026&metric=refusal:b"
FIGURES = "/dasbor/ekspor.{fmt}?year=2026"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("language", "headers", "status", "decision"), [
    ("id", ["Nomor registrasi", "Kode OPD", "Tanggal diterima", "Batas waktu"], "Dijawab",
     "Ditolak (informasi dikecualikan, Pasal 17)"),
    ("en", ["Registration number", "Agency code (OPD)", "Received on", "Deadline"], "Answered",
     "Refused (exempt information, Article 17)"),
])
def test_case_export_headers_and_labels(admin_client, compliance_cases, fmt, language, headers,  # noqa: F811
                                        status, decision):
    response = _get(admin_client, CASES.format(fmt=fmt), language)
    assert response.status_code == 200
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert rows[0][:4] == headers
    assert sum(1 for r in rows if r and r[0] in headers) == 1  # one header row
    body = [r for r in rows[1:] if r and r[0]]
    assert len(body) == 2
    status_col = 5
    decision_col = 6
    assert {r[status_col] for r in body} == {status}
    assert {r[decision_col] for r in body} == {decision}
    assert "answered" not in {r[status_col] for r in body} and "rejected_exempt" not in {r[decision_col] for r in body}
    assert all(str(r[7]).startswith("b. ") for r in body)  # the exemption as its label
    disposition = response["Content-Disposition"]
    assert f'filename="kasus-ditolak-pasal-17-huruf-b-semua-20260101-20261231.{fmt}"' in disposition


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("language", "first", "upheld", "total_name"), [
    ("id", ["Kode OPD", "Nama OPD", "Permohonan diterima"], "Keberatan dikabulkan", "Seluruh OPD"),
    ("en", ["Agency code (OPD)", "Agency name", "Requests received"], "Objections upheld", "All agencies"),
])
def test_figures_export_headers(admin_client, compliance_cases, fmt, language, first, upheld,  # noqa: F811
                                total_name):
    response = _get(admin_client, FIGURES.format(fmt=fmt), language)
    assert response.status_code == 200
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    headers = rows[0]
    assert headers[:3] == first and upheld in headers
    assert not any("_" in str(h) for h in headers)  # no snake_case code left
    total = next(r for r in rows if r[0] == "TOTAL")
    assert total[1] == total_name and str(total[2]) == "11"
    assert f'filename="kepatuhan-20260101-20261231.{fmt}"' in response["Content-Disposition"]


def test_the_monthly_sheet_is_localised_too(admin_client, compliance_cases):  # noqa: F811
    indonesian = _xlsx(_get(admin_client, FIGURES.format(fmt="xlsx"), "id"), sheet=1)
    english = _xlsx(_get(admin_client, FIGURES.format(fmt="xlsx"), "en"), sheet=1)
    assert indonesian[0] == ["Bulan", "Permohonan diterima", "Permohonan dijawab"]
    assert english[0] == ["Month", "Requests received", "Requests answered"]
    assert indonesian[1][0] == english[1][0] == "2026-01"
