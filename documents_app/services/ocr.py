"""A scan's text by OCR: a PDF of page images or a JPEG/PNG whose extraction gave no text (scanning.py decides)
is OCR'd in a Celery task; the recognised text is scanned for personal data and indexed exactly like extracted
text, and the searchable PDF (text layer over the original images) is kept beside the original upload. Until
OCR and the scan are done, publishing waits; a failed OCR shows its reason and the officer may retry it."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from documents_app.extraction import ExtractionError, extract_text
from documents_app.models import Document, DocumentEvent, OcrState, ScanState, TextSource
from documents_app.ocr import OcrError, ocr_document
from documents_app.services.ocr_queue import document_ocr_queue, searchable_copy_drop
from documents_app.services.records import lock_document, record_event
from documents_app.services.scanning import extraction_limits, record_scan
from ppid_portal.errors import IllegalTransition

log = logging.getLogger(__name__)

# The subprocesses stop this many seconds before the task's soft limit, so a time-out is recorded with its own
# reason rather than cut off by the limit.
SUBPROCESS_MARGIN_SECONDS = 5


def ocr_subprocess_seconds() -> float:
    return max(1, settings.PPID_OCR_TIME_LIMIT - SUBPROCESS_MARGIN_SECONDS)


def document_ocr(*, document_id: int) -> Document:
    """Run OCR on a document waiting for it and record the outcome. The long OCR runs without holding the row;
    the result is kept only if the document still waits for OCR of the same file (not replaced meanwhile).
    A failure is recorded (document_ocr_failed), never raised. Idempotent: a document not waiting is left as is."""
    document = Document.objects.get(pk=document_id)
    if document.ocr_state != OcrState.PENDING:
        return document
    sha256 = document.sha256
    with document.file.open("rb") as fh:
        data = fh.read()
    try:
        result = ocr_document(data, document.content_type, ocrmypdf_binary=settings.PPID_OCRMYPDF_BINARY,
                              gs_binary=settings.PPID_GHOSTSCRIPT_BINARY,
                              tesseract_binary=settings.PPID_TESSERACT_BINARY, timeout=ocr_subprocess_seconds())
        text = extract_text(result.pdf, "application/pdf", extraction_limits())
    except (OcrError, ExtractionError) as exc:
        log.info("document %s: OCR failed (%s)", document_id, exc)
        return document_ocr_failed(document_id=document_id, reason=str(exc), sha256=sha256)
    return _record_ocr(document_id, sha256, result, text)


@transaction.atomic
def _record_ocr(document_id: int, sha256: str, result, text: str) -> Document:
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.ocr_state != OcrState.PENDING or document.sha256 != sha256:
        return document
    searchable_copy_drop(document)
    document.searchable_file.save("searchable.pdf", ContentFile(result.pdf), save=False)
    document.ocr_state = OcrState.DONE
    document.ocr_error = ""
    document.ocr_confidence = result.confidence
    document.ocr_pages = result.pages
    document.text_source = TextSource.OCR if text.strip() else TextSource.NONE
    document.save(update_fields=["searchable_file", "ocr_state", "ocr_error", "ocr_confidence", "ocr_pages",
                                 "text_source"])
    record_event(document, DocumentEvent.Kind.OCR, note=_ocr_note(document),
                 data={"state": OcrState.DONE, "confidence": result.confidence, "pages": result.pages,
                       "chars": len(text)})
    # Recognised text is text: scanned and indexed like extracted text; nothing recognised is a scan whose text
    # cannot be read, which the officer confirms by hand.
    return record_scan(document, text=text, state=ScanState.DONE if text.strip() else ScanState.FAILED, error="")


def _ocr_note(document: Document) -> str:
    if document.ocr_confidence is None:
        return "OCR selesai; tidak ada teks yang dikenali."
    return f"OCR selesai: {document.ocr_pages} halaman, keyakinan rata-rata {document.ocr_confidence:.0f}%."


@transaction.atomic
def document_ocr_failed(*, document_id: int, reason: str, sha256: str | None = None) -> Document:
    """Record an OCR that could not finish (a time-out, a missing program, a damaged file): the officer sees the
    reason, publishing is refused, and the officer may retry. Ignored when the document no longer waits for OCR
    of that file."""
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.ocr_state != OcrState.PENDING or (sha256 and document.sha256 != sha256):
        return document
    reason = reason[:300]
    document.ocr_state = OcrState.FAILED
    document.ocr_error = reason
    document.save(update_fields=["ocr_state", "ocr_error"])
    record_event(document, DocumentEvent.Kind.OCR, note=f"OCR gagal: {reason}",
                 data={"state": OcrState.FAILED, "error": reason})
    return record_scan(document, text="", state=ScanState.ERROR, error=reason)


@transaction.atomic
def document_ocr_retry(*, document: Document, actor) -> Document:
    """The officer runs a failed OCR again (after the cause was fixed, or with a longer time limit)."""
    document = lock_document(document, actor)
    if document.ocr_state != OcrState.FAILED:
        raise IllegalTransition(_("Hanya OCR yang gagal yang dapat diulang."))
    document_ocr_queue(document)
    record_event(document, DocumentEvent.Kind.OCR, actor, note="OCR diulang.", data={"state": OcrState.PENDING})
    return document
