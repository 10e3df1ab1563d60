"""Scans that never finished (the task was never queued, its worker was killed at the hard limit): beat records
them as failed scans the officer sees, instead of drafts pending for ever."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from documents_app.models import Document, OcrState, ScanState
from documents_app.services.scanning import record_scan
from ppid_portal.clock import now

log = logging.getLogger(__name__)


# A scan still pending this long past the task's hard time limit never finished: its task was never queued (the
# broker refused it) or its worker was killed at the hard limit. Long enough for a queue backlog and the task's
# own retries of an unreachable storage.
STALE_SCAN_MARGIN = dt.timedelta(minutes=30)


STALE_SCAN_BATCH = 500


def stale_scan_cutoff(at: dt.datetime, *, ocr: bool = False) -> dt.datetime:
    # A scan waiting for OCR waits on the OCR task's hard limit instead (tasks.document_ocr_task).
    limit = settings.PPID_OCR_TIME_LIMIT + 60 if ocr else settings.PPID_DOCUMENT_TASK_TIME_LIMIT
    return at - dt.timedelta(seconds=limit) - STALE_SCAN_MARGIN


@transaction.atomic
def document_scan_abandon(*, document_id: int, cutoff: dt.datetime, ocr_cutoff: dt.datetime | None = None) -> bool:
    """Record a scan that has stayed pending since before `cutoff` as failed, so the officer sees it and can check
    again, instead of a draft pending for ever; one waiting for OCR, since before `ocr_cutoff`. False when the scan
    has moved on meanwhile (checked on the locked row)."""
    ocr_cutoff = ocr_cutoff or cutoff
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.scan_state != ScanState.PENDING:
        return False
    if document.updated_at >= (ocr_cutoff if document.ocr_state == OcrState.PENDING else cutoff):
        return False
    reason = _("Pemeriksaan tidak selesai (antrean terputus atau waktu habis); baca dan periksa ulang.")
    if document.ocr_state == OcrState.PENDING:
        # Its OCR never finished: a failed OCR, which the officer can retry.
        document.ocr_state, document.ocr_error = OcrState.FAILED, reason
        document.save(update_fields=["ocr_state", "ocr_error"])
    record_scan(document, text="", state=ScanState.ERROR, error=reason)
    return True


def documents_stale_scans_abandon(*, at: dt.datetime | None = None) -> int:
    """Beat's periodic step: every scan pending since before the cutoff becomes a failed scan (a batch per run).
    Returns how many."""
    at = at or now()
    cutoff, ocr_cutoff = stale_scan_cutoff(at), stale_scan_cutoff(at, ocr=True)
    ids = list(Document.objects.filter(scan_state=ScanState.PENDING)
               .filter(Q(updated_at__lt=cutoff) & ~Q(ocr_state=OcrState.PENDING)
                       | Q(updated_at__lt=ocr_cutoff, ocr_state=OcrState.PENDING))
               .order_by("updated_at").values_list("pk", flat=True)[:STALE_SCAN_BATCH])
    abandoned = sum(document_scan_abandon(document_id=pk, cutoff=cutoff, ocr_cutoff=ocr_cutoff) for pk in ids)
    if abandoned:
        log.warning("%d document scans never finished; recorded as failed", abandoned)
    return abandoned
