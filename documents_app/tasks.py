"""Celery tasks: thin, idempotent, fetch by id and call one service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from documents_app.services.ocr import document_ocr, document_ocr_failed
from documents_app.services.scanning import document_process, document_scan_failed
from documents_app.services.stale import documents_stale_scans_abandon

log = logging.getLogger(__name__)


def _guarded(document_id: int, step: str, work, failed, *, timed_out: str, crashed: str) -> str:
    """Run one step of a document's checks (`work`) so that the draft never stays pending for ever: past the soft time
    limit, or on whatever else breaks, `failed` records the reason the officer sees. A storage error is raised, for
    the task's retries. "gone" when the document was deleted meanwhile."""
    from documents_app.models import Document

    if not Document.objects.filter(pk=document_id).exists():
        return "gone"
    try:
        return work()
    except SoftTimeLimitExceeded:
        reason = timed_out
    except OSError:
        raise  # storage not reachable: retried (autoretry_for)
    except Exception:
        log.exception("document %s: %s crashed", document_id, step)
        reason = crashed
    return failed(reason)


# A crafted file must not hold a worker: past the soft limit the scan is recorded as failed, the hard limit
# ends the process if even that does not come back.
@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5,
             acks_late=True, soft_time_limit=settings.PPID_DOCUMENT_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.PPID_DOCUMENT_TASK_TIME_LIMIT)
def document_process_task(self, document_id: int) -> str:
    return _guarded(document_id, "scan", lambda: document_process(document_id=document_id).scan_state,
                    lambda reason: document_scan_failed(document_id=document_id, reason=reason).scan_state,
                    timed_out=_("Pembacaan teks melebihi batas waktu."),
                    crashed=_("Pemeriksaan berhenti karena kesalahan tak terduga; coba periksa ulang atau ganti "
                              "berkasnya."))


@shared_task(acks_late=True)
def documents_stale_scans_task() -> int:
    """Every 15 minutes (ppid_portal/celery.py): scans that never finished become failed scans the officer sees."""
    return documents_stale_scans_abandon()


# OCR takes seconds a page: its own limits (PPID_OCR_TIME_LIMIT). Its subprocesses stop a little before the soft
# limit (services.ocr.ocr_subprocess_seconds); the soft limit records a time-out, the hard one ends the worker.
@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5,
             acks_late=True, soft_time_limit=settings.PPID_OCR_TIME_LIMIT, time_limit=settings.PPID_OCR_TIME_LIMIT + 60)
def document_ocr_task(self, document_id: int) -> str:
    return _guarded(document_id, "OCR", lambda: document_ocr(document_id=document_id).ocr_state,
                    lambda reason: document_ocr_failed(document_id=document_id, reason=reason).ocr_state,
                    timed_out=_("OCR melebihi batas waktu."),
                    crashed=_("OCR berhenti karena kesalahan tak terduga; coba ulangi OCR atau ganti berkasnya."))
