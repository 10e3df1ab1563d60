"""Celery tasks of the compliance figures: thin, idempotent, calling one service."""

from celery import shared_task


# Registered under its name from when it lived in requests_app.tasks: messages already queued under that name still
# resolve, and compliance_app.reports.BUILD_REPORT_TASK enqueues it by that name.
@shared_task(name="requests_app.tasks.build_annual_report_task", autoretry_for=(Exception,), retry_backoff=60,
             retry_backoff_max=1800, max_retries=3, acks_late=True)
def build_annual_report_task(year: int) -> str:
    """On demand from the dashboard: render the year's Laporan Layanan Informasi Publik into private storage."""
    from compliance_app.reports import annual_report_store

    return annual_report_store(year=year)
