"""Sending a document's text to OCR: the state it waits in and the task, after commit. Kept apart from the OCR itself
(services.ocr), which builds on the scan's records, so the scan (services.scanning) can hand a scanned file over
without importing the OCR module back."""

from django.db import transaction

from documents_app.models import Document, OcrState, ScanState, TextSource
from ppid_portal.clock import now
from ppid_portal.queueing import enqueue_on_commit

OCR_TASK = "documents_app.tasks.document_ocr_task"


def document_ocr_queue(document: Document) -> None:
    """Mark a locked document's text as awaiting OCR (the scan waits with it) and send the task after commit.
    The caller saves nothing else: this saves the fields it sets."""
    searchable_copy_drop(document)
    document.ocr_state = OcrState.PENDING
    document.ocr_error = ""
    document.ocr_confidence = None
    document.ocr_pages = None
    document.text_source = TextSource.NONE
    document.scan_state = ScanState.PENDING
    document.scan_error = ""
    document.updated_at = now()
    document.save(update_fields=["searchable_file", "ocr_state", "ocr_error", "ocr_confidence", "ocr_pages",
                                 "text_source", "scan_state", "scan_error", "updated_at"])
    enqueue_on_commit(OCR_TASK, (document.pk,))


def searchable_copy_drop(document: Document) -> None:
    # A searchable copy of an earlier file (or an earlier run) must not outlive it: removed once committed.
    name = document.searchable_file.name if document.searchable_file else ""
    if not name:
        return
    storage = document.searchable_file.storage
    document.searchable_file = ""
    transaction.on_commit(lambda: storage.delete(name) if storage.exists(name) else None)
