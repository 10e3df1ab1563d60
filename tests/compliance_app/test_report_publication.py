"""Publishing the yearly report (UU 14/2008 Pasal 12): PPID Utama publishes a built report after a confirmation;
the public downloads it at GET /api/v1/stats/report/?year= (404 before) and finds it on the statistics page;
publishing again, with a newer build, replaces the public file and keeps the record of the earlier publication."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from compliance_app.models import ReportBuild, ReportPublication
from compliance_app.reports import months_chart_title, refusals_chart_title
from ppid_portal.clock import WITA
from tests.compliance_app.compliance_fixtures import compliance_cases  # noqa: F401
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db

REPORT = "/api/v1/stats/report/?year=2026"


@pytest.fixture
def admin_client(client, admin_utama):
    client.force_login(admin_utama)
    return client


@pytest.fixture
def built(admin_client, compliance_cases, frozen, django_capture_on_commit_callbacks):  # noqa: F811
    """The 2026 report built in the background (the eager worker runs it when the request commits)."""
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/dasbor/laporan/buat/", {"year": "2026"})
    build = ReportBuild.objects.get()
    assert build.state == "done"
    return build


def _publish(client, year="2026"):
    return client.post("/dasbor/laporan/terbitkan/", {"year": year, "confirm": "1"})


def test_the_report_is_404_until_published_then_the_pdf(admin_client, admin_utama, built):
    assert APIClient().get(REPORT).status_code == 404  # built is not published
    response = _publish(admin_client)
    assert response.status_code == 302 and response["Location"] == "/dasbor/?year=2026"

    publication = ReportPublication.objects.get()
    assert (publication.year, publication.build, publication.published_by) == (2026, built, admin_utama)
    assert publication.published_at == dt.datetime(2026, 7, 1, 10, tzinfo=WITA)

    response = APIClient().get(REPORT)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="laporan-layanan-informasi-publik-2026.pdf"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == publication.sha256 and len(body) == publication.size
    text = pdf_text(body)
    assert "LAPORAN LAYANAN INFORMASI PUBLIK TAHUN 2026" in text
    assert months_chart_title(2026) == "Permohonan diterima dan dijawab per bulan, 2026"
    assert months_chart_title(2026) in text and refusals_chart_title(2026) in text
    # The months chart: its legend, its y axis up to 10 (February's 7 requests) and the months under it; the
    # refusals chart: one bar per Pasal 17 letter with its count.
    assert "Diterima Dijawab 0 2.5 5 7.5 10 Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des" in text
    assert "huruf a 0 huruf b 2" in text and "huruf h 1" in text
    assert "h h. mengungkap rahasia pribadi 1 DPUPR: 1" in text
    # The DIK entries those refusals and the partial grant rest on, one row each with its counts.
    assert "Daftar Informasi yang Dikecualikan yang menjadi dasar penolakan dan pengabulan sebagian" in text
    assert text.count("Rekam medis pasien") == 4  # letter b twice, h once (refusals), h once (partial grant)
    # Another year is still unpublished.
    assert APIClient().get("/api/v1/stats/report/?year=2025").status_code == 404


@pytest.mark.parametrize("query", ["", "?year=", "?year=abc", "?year=1999", "?year=2026.5"])
def test_a_bad_year_is_a_400(opds, query):
    response = APIClient().get(f"/api/v1/stats/report/{query}")
    assert response.status_code == 400 and "year" in response.json()


def test_publishing_asks_first(admin_client, built):
    page = admin_client.get("/dasbor/laporan/terbitkan/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Terbitkan Laporan Layanan Informasi Publik 2026?" in html and 'name="confirm" value="1"' in html
    assert "/dasbor/laporan/unduh/?year=2026" in html  # to check it first
    unconfirmed = admin_client.post("/dasbor/laporan/terbitkan/", {"year": "2026"})
    assert unconfirmed.status_code == 200 and not ReportPublication.objects.exists()


def test_the_dashboard_offers_publishing_beside_the_built_report(admin_client, built):
    laporan = admin_client.get("/dasbor/?year=2026").content.decode()
    laporan = laporan[laporan.index('id="laporan"'):]
    assert '/dasbor/laporan/terbitkan/?year=2026' in laporan and "Terbitkan laporan ini" in laporan
    assert "Belum diterbitkan untuk masyarakat." in laporan
    _publish(admin_client)
    laporan = admin_client.get("/dasbor/?year=2026").content.decode()
    laporan = laporan[laporan.index('id="laporan"'):]
    assert "Diterbitkan 1 Jul 2026 10:00 oleh admin" in laporan
    assert "/api/v1/stats/report/?year=2026" in laporan
    assert 'id="report-publish"' not in laporan  # the build already published: nothing to publish again


def test_publishing_again_needs_a_newer_build_and_keeps_the_earlier_record(admin_client, admin_utama, atasan, built,
                                                                           django_capture_on_commit_callbacks):
    _publish(admin_client)
    first = ReportPublication.objects.get()
    response = _publish(admin_client)  # the same build again: refused, with the reason
    assert ReportPublication.objects.count() == 1
    assert "sudah diterbitkan" in admin_client.get(response["Location"]).content.decode()

    later = dt.datetime(2026, 7, 8, 9, tzinfo=WITA)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post("/dasbor/laporan/buat/", {"year": "2026"})
        newer = ReportBuild.objects.latest("requested_at")
        assert newer.state == "done" and newer != built
        page = admin_client.get("/dasbor/laporan/terbitkan/?year=2026").content.decode()
        assert "menggantikan laporan yang diterbitkan 1 Juli 2026 10:00 oleh admin" in page
        _publish(admin_client)

    second = ReportPublication.objects.latest("published_at")
    assert (second.build, second.published_at, second.published_by) == (newer, later, admin_utama)
    first.refresh_from_db()  # the earlier publication stays on record, who and when
    assert (first.build, first.published_by) == (built, admin_utama)
    assert first.published_at == dt.datetime(2026, 7, 1, 10, tzinfo=WITA)
    body = b"".join(APIClient().get(REPORT).streaming_content)
    assert hashlib.sha256(body).hexdigest() == second.sha256 != first.sha256


def test_nothing_built_or_a_build_under_way_is_not_published(admin_client, opds, frozen,
                                                              django_capture_on_commit_callbacks):
    response = _publish(admin_client)
    assert "belum dibuat" in admin_client.get(response["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        admin_client.post("/dasbor/laporan/buat/", {"year": "2026"})  # queued, not run
    response = _publish(admin_client)
    assert "sedang disusun" in admin_client.get(response["Location"]).content.decode()
    assert not ReportPublication.objects.exists()


@pytest.mark.parametrize("role", ["officer", "atasan", "other_officer"])
def test_only_ppid_utama_publishes(client, built, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/dasbor/laporan/terbitkan/?year=2026").status_code == 403
    assert _publish(client).status_code == 403
    assert not ReportPublication.objects.exists()
    assert APIClient().get(REPORT).status_code == 404


def test_anonymous_is_sent_to_log_in(built):
    response = _publish(Client())
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    assert not ReportPublication.objects.exists()


def test_the_statistics_page_lists_the_published_reports(admin_client, built):
    client = Client()
    html = client.get("/statistik/?year=2026").content.decode()
    assert "Belum ada laporan tahunan yang diterbitkan." in html
    _publish(admin_client)
    html = client.get("/statistik/?year=2026").content.decode()
    table = html[html.index('id="reports-table"'):html.index("</table>", html.index('id="reports-table"'))]
    assert ">2026</th>" in table and "1 Juli 2026" in table
    assert 'href="/api/v1/stats/report/?year=2026"' in table and "Laporan 2026 (PDF," in table

    client.cookies["django_language"] = "en"
    html = client.get("/statistik/?year=2025", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Annual public information service reports" in html  # listed whatever year the figures show
    table = html[html.index('id="reports-table"'):]
    assert "1 July 2026" in table
    assert "Report 2026 (PDF," in table


def test_the_openapi_schema_types_the_report_as_a_pdf(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    get = schema["paths"]["/api/v1/stats/report/"]["get"]
    assert set(get["responses"]) == {"200", "400", "404"}
    assert get["responses"]["200"]["content"] == {"application/pdf": {"schema": {"type": "string",
                                                                                 "format": "binary"}}}
    assert [(p["name"], p["required"]) for p in get["parameters"]] == [("year", True)]
    stats = schema["components"]["schemas"]
    assert {"granted", "partially_granted", "refused", "not_held", "not_documented",
            "refusals_by_letter"} <= set(stats["StatsRow"]["properties"])
    assert "total" in stats["Stats"]["properties"]


def test_a_publication_that_fails_leaves_no_copy_behind(admin_utama, built, monkeypatch):
    from django.core.files.storage import default_storage

    from compliance_app.services import report_publish

    def copies() -> set:
        # Media outlives a test (other tests' copies stay): compare what is there before and after.
        folder = "private/reports/published"
        return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    before = copies()
    monkeypatch.setattr(ReportPublication, "save", broken_save)
    with pytest.raises(RuntimeError):
        report_publish(year=2026, actor=admin_utama)
    assert copies() == before


def test_the_dik_entries_used_are_counted_per_entry_in_a_fixed_number_of_queries(compliance_cases,  # noqa: F811
                                                                                   django_assert_max_num_queries):
    from compliance_app.selectors import Period, dik_entries_used

    with django_assert_max_num_queries(2):
        used = dik_entries_used(Period.for_year(2026))
    assert sorted((u["entry"].opd.code, u["entry"].exemption, u["refused"], u["partial"]) for u in used) == [
        ("DINKES", "b", 1, 0), ("DINKES", "b", 1, 0), ("DINKES", "h", 0, 1), ("DPUPR", "h", 1, 0)]
    assert dik_entries_used(Period.for_year(2025)) == []
