"""The annual report's background build as an admin sees it, without JavaScript: the dashboard shows the step
under way and reloads itself until the build ends; a failure shows its reason and "Coba lagi" builds it again."""

import pytest
from django.core.files.storage import default_storage

from compliance_app.models import BuildFailure, BuildState, BuildStep, ReportBuild
from compliance_app.reports import report_path
from ppid_portal.clock import now, today_wita
from tests.browser.support import DESK, check_page, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_stored_report():
    year = today_wita().year

    def clear():
        if default_storage.exists(report_path(year)):
            default_storage.delete(report_path(year))

    clear()
    yield year
    clear()


def test_the_dashboard_follows_the_build_and_retries_a_failed_one(new_page, admin_utama, no_stored_report):
    year = no_stored_report
    build = ReportBuild.objects.create(year=year, requested_at=now(), started_at=now(), state=BuildState.RUNNING,
                                       step=BuildStep.NARRATIVE)
    page = new_page(viewport=DESK, javascript=False)
    login(page, "admin.utama", then="/dasbor/")
    page.goto(f"/dasbor/?year={year}")
    assert "Sedang disusun — langkah 2 dari 4: bagian naratif…" in page.inner_text("#report-build")
    shot(page, "report-build-01-running")

    # The worker fails meanwhile: the page, reloading itself every 5 seconds, shows it with no script.
    ReportBuild.objects.filter(pk=build.pk).update(state=BuildState.FAILED, finished_at=now(), step=BuildStep.PDF,
                                                   error=BuildFailure.ERROR)
    page.wait_for_selector("#report-build:has-text('Gagal disusun')", timeout=12_000)
    assert "kesalahan tak terduga; rinciannya tercatat di log server" in page.inner_text("#report-build")
    shot(page, "report-build-02-failed")

    # "Coba lagi": the (eager) worker builds it; the download is offered and the page stops reloading.
    page.click("#report-build button:has-text('Coba lagi')")
    page.wait_for_url(f"**/dasbor/?year={year}")
    assert page.locator("#report-build").count() == 0
    assert page.locator(f"#laporan a[href='/dasbor/laporan/unduh/?year={year}']").count() == 1
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert ReportBuild.objects.order_by("-pk").first().state == BuildState.DONE

    # The failure as a screen reader and axe see it (a page with scripts, for axe).
    ReportBuild.objects.create(year=year, requested_at=now(), finished_at=now(), state=BuildState.FAILED,
                               step=BuildStep.CHARTS, error=BuildFailure.BROKER)
    checked = new_page(viewport=DESK)
    login(checked, "admin.utama", then="/dasbor/")
    checked.goto(f"/dasbor/?year={year}")
    assert checked.get_attribute("#report-build", "role") == "alert"
    check_page(checked, "report-build-03-failed-axe")
