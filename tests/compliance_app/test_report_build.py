"""The annual report's background build is recorded and shown on the dashboard: waiting, under way (which step),
done with its download, or failed with a readable reason and a "Coba lagi" button; never a flag that vanishes."""

import datetime as dt
import logging

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from compliance_app import reports
from compliance_app.models import BuildFailure, BuildState, BuildStep, ReportBuild
from compliance_app.report_build import annual_report_status
from ppid_portal.clock import now
from tests.compliance_app.compliance_fixtures import compliance_cases  # noqa: F401
from tests.conftest import pdf_text

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="5; url=/dasbor/?year=2026">'
HARD_LIMIT = dt.timedelta(seconds=settings.PPID_REPORT_TASK_TIME_LIMIT)




@pytest.fixture
def admin_client(client, admin_utama):
    client.force_login(admin_utama)
    return client


def _dashboard(client, language="id") -> str:
    client.cookies["django_language"] = language
    response = client.get("/dasbor/?year=2026", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str) -> str:
    """The report's card on the dashboard (the build's state is shown there)."""
    return page[page.index('id="laporan"'):]


def test_a_build_goes_queued_running_done_with_each_step_recorded(admin_client, admin_utama, compliance_cases,  # noqa: F811
                                                                  frozen, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    seen = []

    def watching(name):
        real = getattr(reports, name)

        def part(*args, **kwargs):
            build = ReportBuild.objects.get()
            seen.append((name, build.state, build.step))
            return real(*args, **kwargs)
        return part

    for name in ("report_figures_part", "report_narrative_part", "report_trends_part", "annual_report_render"):
        monkeypatch.setattr(reports, name, watching(name))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post("/dasbor/laporan/buat/", {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == "/dasbor/?year=2026"
    build = ReportBuild.objects.get()
    assert (build.year, build.state, build.step, build.requested_by) == (2026, BuildState.QUEUED, 0, admin_utama)
    page = _dashboard(admin_client)
    assert "Menunggu giliran disusun (diminta 1 Jul 2026 10:00)" in page and REFRESH in page

    callbacks[0]()  # the transaction commits: the (eager) worker runs the build
    assert seen == [("report_figures_part", "running", BuildStep.FIGURES),
                    ("report_narrative_part", "running", BuildStep.NARRATIVE),
                    ("report_trends_part", "running", BuildStep.CHARTS),
                    ("annual_report_render", "running", BuildStep.PDF)]
    build.refresh_from_db()
    assert (build.state, build.step, build.error) == (BuildState.DONE, BuildStep.PDF, "")
    assert build.started_at == build.finished_at == now()

    page = _dashboard(admin_client)
    assert 'http-equiv="refresh"' not in page and "Gagal disusun" not in page and "Sedang disusun" not in page
    assert "/dasbor/laporan/unduh/?year=2026" in _section(page)
    download = admin_client.get("/dasbor/laporan/unduh/?year=2026")
    assert "Permohonan informasi diterima 11" in pdf_text(b"".join(download.streaming_content))


def test_a_failed_build_shows_its_reason_on_the_dashboard_and_a_retry_builds_it(
        admin_client, compliance_cases, frozen, monkeypatch, caplog,  # noqa: F811
        django_capture_on_commit_callbacks):
    def broken_renderer(context):
        raise RuntimeError("Pango could not load /usr/share/fonts/secret-path")

    monkeypatch.setattr(reports, "annual_report_render", broken_renderer)
    with caplog.at_level(logging.ERROR, logger="compliance_app.report_build"), \
            django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/dasbor/laporan/buat/", {"year": "2026"})
    build = ReportBuild.objects.get()
    assert (build.state, build.step, build.error) == (BuildState.FAILED, BuildStep.PDF, BuildFailure.ERROR)
    # The traceback is in the server log, not on the page.
    assert any(r.exc_info and "Pango could not load" in str(r.exc_info[1]) for r in caplog.records)

    page = _dashboard(admin_client)
    assert ("Gagal disusun pada 1 Jul 2026 10:00 (langkah 4 dari 4): kesalahan tak terduga; rinciannya tercatat "
            "di log server.") in page
    assert "Coba lagi" in page and 'action="/dasbor/laporan/buat/"' in page
    assert "Pango" not in page and "Traceback" not in page and "RuntimeError" not in page
    assert "/dasbor/laporan/unduh/" not in _section(page)
    assert annual_report_status(2026)["pending"] is False

    english = _dashboard(admin_client, language="en")
    assert "unexpected error; the details are in the server log" in english and "Try again" in english

    monkeypatch.undo()  # the renderer works again: "Coba lagi"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/dasbor/laporan/buat/", {"year": "2026"}).status_code == 302
    latest = ReportBuild.objects.order_by("-pk").first()
    assert ReportBuild.objects.count() == 2 and latest.state == BuildState.DONE
    page = _dashboard(admin_client)
    assert "Gagal disusun" not in page and "/dasbor/laporan/unduh/?year=2026" in _section(page)


@pytest.mark.parametrize(("step_name", "exc", "step", "reason", "words"), [
    ("report_trends_part", SoftTimeLimitExceeded(), BuildStep.CHARTS, BuildFailure.TIMEOUT,
     "penyusunan melebihi batas waktu"),
    ("annual_report_store", OSError("disk full"), BuildStep.PDF, BuildFailure.STORAGE,
     "berkas laporan tidak dapat disimpan"),
])
def test_a_build_past_its_soft_limit_or_unable_to_store_says_so(admin_client, opds, frozen, monkeypatch, step_name,
                                                                 exc, step, reason, words):
    def fails(*args, **kwargs):
        raise exc

    monkeypatch.setattr(reports, step_name, fails)
    from compliance_app.tasks import build_annual_report_task

    assert build_annual_report_task(2026) == "failed"
    build = ReportBuild.objects.get()
    assert (build.state, build.step, build.error) == (BuildState.FAILED, step, reason)
    assert f"): {words}." in _dashboard(admin_client)


def test_a_build_stuck_past_the_time_limit_shows_failed(admin_client, opds, frozen):
    from compliance_app.tasks import build_annual_report_task

    long_ago = now() - HARD_LIMIT - dt.timedelta(minutes=2)
    stuck = ReportBuild.objects.create(year=2026, requested_at=long_ago, started_at=long_ago,
                                       state=BuildState.RUNNING, step=BuildStep.NARRATIVE)
    page = _dashboard(admin_client)
    assert ("Gagal disusun pada 1 Jul 2026 10:00 (langkah 2 dari 4): tidak selesai: pekerja berhenti atau waktu "
            "habis.") in page
    assert "Coba lagi" in page and 'http-equiv="refresh"' not in page and "Sedang disusun" not in page
    stuck.refresh_from_db()
    assert (stuck.state, stuck.error, stuck.finished_at) == (BuildState.FAILED, BuildFailure.STUCK, now())
    # Its message, arriving late, builds nothing over the record.
    assert build_annual_report_task(2026, build_id=stuck.pk) == "skipped"
    stuck.refresh_from_db()
    assert stuck.state == BuildState.FAILED

    # One still within the limit is under way; a queued one waits longer (a backlog) before it is given up.
    ReportBuild.objects.all().delete()
    recent = ReportBuild.objects.create(year=2026, requested_at=now() - HARD_LIMIT, started_at=now() - HARD_LIMIT,
                                        state=BuildState.RUNNING, step=BuildStep.PDF)
    assert "Sedang disusun — langkah 4 dari 4: berkas PDF" in _dashboard(admin_client)
    recent.delete()
    waiting = ReportBuild.objects.create(year=2026, requested_at=now() - HARD_LIMIT - dt.timedelta(minutes=10))
    assert "Menunggu giliran disusun" in _dashboard(admin_client)
    waiting.requested_at = now() - HARD_LIMIT - dt.timedelta(minutes=31)
    waiting.save()
    assert "tidak selesai: pekerja berhenti atau waktu habis" in _dashboard(admin_client)


def test_broker_down_fails_the_build_at_once(admin_client, opds, frozen, monkeypatch,
                                             django_capture_on_commit_callbacks):
    from compliance_app.tasks import build_annual_report_task

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(build_annual_report_task, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/dasbor/laporan/buat/", {"year": "2026"}).status_code == 302
    build = ReportBuild.objects.get()
    assert (build.state, build.error, build.finished_at) == (BuildState.FAILED, BuildFailure.BROKER, now())
    status = annual_report_status(2026)
    assert not status["pending"] and not status["ready"]
    page = _dashboard(admin_client)
    assert "antrean tugas tidak dapat dihubungi, laporan tidak masuk antrean." in page
    assert "Coba lagi" in page and 'http-equiv="refresh"' not in page


def test_the_dashboard_shows_progress_while_running_and_queues_no_second_build(admin_client, opds, frozen,
                                                                               django_capture_on_commit_callbacks):
    ReportBuild.objects.create(year=2026, requested_at=now(), started_at=now(), state=BuildState.RUNNING,
                               step=BuildStep.NARRATIVE)
    page = _dashboard(admin_client)
    assert REFRESH in page
    assert "Sedang disusun — langkah 2 dari 4: bagian naratif…" in page
    assert "Buat laporan di latar belakang" not in page and "Coba lagi" not in page
    assert "kemajuannya tampil di bagian atas halaman" in _section(page)
    assert "Building — step 2 of 4: narrative sections…" in _dashboard(admin_client, language="en")

    admin_client.cookies["django_language"] = "id"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post("/dasbor/laporan/buat/", {"year": "2026"}, follow=True)
    assert not callbacks and ReportBuild.objects.count() == 1
    assert "Laporan tahun 2026 sudah sedang disusun." in response.content.decode()
    # Another year's dashboard is not refreshed by this one's build.
    assert "http-equiv" not in admin_client.get("/dasbor/?year=2025").content.decode()


@pytest.mark.django_db(transaction=True)
def test_broker_down_is_told_on_the_page_the_request_lands_on(client, admin_utama, monkeypatch):
    """Outside a test's transaction the queueing runs within the request: the admin lands on the failure."""
    from compliance_app.tasks import build_annual_report_task

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(build_annual_report_task, "delay", down)
    client.force_login(admin_utama)
    page = client.post("/dasbor/laporan/buat/", {"year": "2026"}, follow=True).content.decode()
    assert page.count("antrean tugas tidak dapat dihubungi, laporan tidak masuk antrean.") == 1
    assert "Coba lagi" in page and "sedang disusun" not in page.lower()
    assert ReportBuild.objects.get().state == BuildState.FAILED
