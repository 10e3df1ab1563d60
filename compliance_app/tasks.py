"""Celery tasks of the compliance figures: thin, idempotent, calling one service."""

from celery import shared_task
from django.conf import settings


# Registered under its name from when it lived in requests_app.tasks: messages already queued under that name still
# resolve, and compliance_app.reports.BUILD_REPORT_TASK enqueues it by that name. No automatic retry: a failed
# build is recorded with its reason and the admin tries again from the dashboard. Past the soft time limit the
# build is recorded as failed; the hard limit ends the worker if even that does not come back.
@shared_task(name="requests_app.tasks.build_annual_report_task", acks_late=True,
             soft_time_limit=settings.PPID_REPORT_TASK_SOFT_TIME_LIMIT, time_limit=settings.PPID_REPORT_TASK_TIME_LIMIT)
def build_annual_report_task(year: int, build_id: int | None = None) -> str:
    """On demand from the dashboard: render the year's Laporan Layanan Informasi Publik into private storage,
    recording the build's progress (compliance_app.report_build). Returns the build's final state."""
    from compliance_app.report_build import report_build_run

    build = report_build_run(year=year, build_id=build_id)
    return build.state if build is not None else "skipped"
