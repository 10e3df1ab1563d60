"""The annual report (Laporan Layanan Informasi Publik): its PDF carries the figures; admin-only; Celery build."""


import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from compliance_app.report_build import annual_report_status
from compliance_app.reports import report_path
from tests.compliance_app.compliance_fixtures import REQUESTER, compliance_cases  # noqa: F401
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db






@pytest.fixture
def report_text(compliance_cases, admin_utama, frozen):  # noqa: F811
    api = APIClient()
    api.force_authenticate(admin_utama)
    response = api.get("/api/v1/compliance/report/?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_report_carries_the_overall_figures(report_text):
    assert "LAPORAN LAYANAN INFORMASI PUBLIK TAHUN 2026" in report_text
    assert "Permohonan informasi diterima 11" in report_text
    assert "Dijawab tepat waktu 5" in report_text
    assert "Dijawab melewati batas waktu 2" in report_text
    assert "Median waktu menjawab (hari kerja) 9,0" in report_text
    assert "Persentil ke-90 waktu menjawab (hari kerja) 16,0" in report_text


def test_report_carries_per_opd_rows(report_text):
    # OPD, received, answered, on time, late, overdue, median, p90, forwarded, objections
    assert "DINKES — Dinas Kesehatan 7 5 4 1 1 3,0 10,2 0 3" in report_text
    assert "DPUPR — Dinas Pekerjaan Umum dan Penataan Ruang 4 2 1 1 1 16,0 16,0 1 1" in report_text


def test_report_carries_refusals_with_reasons_objections_and_disputes(report_text):
    assert "ditolak karena informasi dikecualikan: 3" in report_text
    assert "b b. mengganggu perlindungan HKI dan persaingan usaha tidak sehat 2 DINKES: 2" in report_text
    assert "h h. mengungkap rahasia pribadi 1 DPUPR: 1" in report_text
    # objections: filed, upheld, dismissed, overdue, disputes
    assert "Jumlah 4 1 2 2 1" in report_text
    for heading in ("Kebijakan pelayanan informasi publik", "Anggaran pelayanan informasi publik",
                    "Rekomendasi dan rencana tindak lanjut"):
        assert heading in report_text
    assert "(diisi oleh PPID Utama)" in report_text


def test_report_carries_no_requester_identity(report_text):
    for value in REQUESTER.values():
        assert value not in report_text


def test_dashboard_pdf_is_the_same_report(client, compliance_cases, admin_utama, frozen):  # noqa: F811
    client.force_login(admin_utama)
    response = client.get("/dasbor/laporan.pdf?year=2026")
    assert response["Content-Type"] == "application/pdf"
    assert "Permohonan informasi diterima 11" in pdf_text(response.content)


def test_report_built_on_demand_by_the_task_then_downloaded(client, compliance_cases, admin_utama, frozen,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    client.force_login(admin_utama)
    assert client.get("/dasbor/laporan/unduh/?year=2026").status_code == 404
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/dasbor/laporan/buat/", {"year": "2026"})
    assert response.status_code == 302 and len(callbacks) == 1
    assert default_storage.exists(report_path(2026))
    assert annual_report_status(2026)["ready"] and not annual_report_status(2026)["pending"]
    assert "/dasbor/laporan/unduh/?year=2026" in client.get("/dasbor/?year=2026").content.decode()
    download = client.get("/dasbor/laporan/unduh/?year=2026")
    assert download.status_code == 200
    assert "Permohonan informasi diterima 11" in pdf_text(b"".join(download.streaming_content))


def test_the_build_task_is_idempotent(compliance_cases, frozen):  # noqa: F811
    from compliance_app.tasks import build_annual_report_task

    first = build_annual_report_task(2026)
    second = build_annual_report_task(2026)
    assert first == second == "done"
    assert default_storage.exists(report_path(2026))


def test_officer_cannot_build_or_download_the_report(client, officer):
    client.force_login(officer)
    assert client.post("/dasbor/laporan/buat/", {"year": "2026"}).status_code == 403


def test_narrative_written_on_the_dashboard_appears_in_the_report(client, admin_utama, opds, frozen):
    client.force_login(admin_utama)
    page = client.get("/dasbor/laporan/narasi/?year=2026")
    assert page.status_code == 200 and 'for="id_anggaran"' in page.content.decode()
    response = client.post("/dasbor/laporan/narasi/", {
        "year": "2026", "anggaran": "Rp 150.000.000 dari APBD Kabupaten.", "kendala": "Jaringan internet di hulu.",
    })
    assert response.status_code == 302
    text = pdf_text(client.get("/dasbor/laporan.pdf?year=2026").content)
    assert "Anggaran pelayanan informasi publik Rp 150.000.000 dari APBD Kabupaten." in text
    assert "Kendala dalam pelaksanaan pelayanan informasi publik Jaringan internet di hulu." in text
    assert "Kebijakan pelayanan informasi publik (diisi oleh PPID Utama)" in text
    # Editing replaces the text.
    client.post("/dasbor/laporan/narasi/", {"year": "2026", "anggaran": "Rp 175.000.000."})
    text = pdf_text(client.get("/dasbor/laporan.pdf?year=2026").content)
    assert "Rp 175.000.000." in text and "Jaringan internet" not in text


def test_officer_cannot_write_the_narrative(client, atasan):
    client.force_login(atasan)
    assert client.post("/dasbor/laporan/narasi/", {"year": "2026", "anggaran": "x"}).status_code == 403


def test_the_build_task_keeps_its_queued_name_and_the_worker_finds_it():
    """Messages queued before the move name requests_app.tasks.build_annual_report_task: the worker's registry
    (filled by Celery's autodiscovery of each installed app's tasks module) resolves that name to the task now in
    compliance_app.tasks, and the report enqueues it by that name."""
    from compliance_app.reports import BUILD_REPORT_TASK
    from compliance_app.tasks import build_annual_report_task
    from ppid_portal.celery import app
    from ppid_portal.queueing import task_named

    app.loader.import_default_modules()  # what a worker does at start: autodiscover_tasks() imports the tasks modules
    assert BUILD_REPORT_TASK == "requests_app.tasks.build_annual_report_task"
    assert app.tasks[BUILD_REPORT_TASK].run.__module__ == "compliance_app.tasks"
    task = app.tasks[BUILD_REPORT_TASK]
    assert task_named(BUILD_REPORT_TASK) is task is build_annual_report_task._get_current_object()
