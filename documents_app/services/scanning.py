"""Reading a document's text and checking it, its title, summary and file name for personal data: in the
request when it is quick, else in the Celery task after commit; a scan that cannot finish ends as a failed scan
the officer sees, never as an exception."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from documents_app.extraction import (
    ExtractionError,
    ExtractionLimits,
    ExtractionTimeout,
    extract_text,
    scan_document_fields,
)
from documents_app.models import Document, DocumentEvent, DocumentStatus, OcrState, ScanState, TextSource
from documents_app.ocr import needs_ocr
from documents_app.services.ocr_queue import document_ocr_queue
from documents_app.services.records import document_index, record_case_event, record_event
from ppid_portal.clock import now
from ppid_portal.errors import IllegalTransition
from ppid_portal.queueing import enqueue_on_commit

log = logging.getLogger(__name__)


PROCESS_TASK = "documents_app.tasks.document_process_task"


def document_scan_now_or_later(*, document_id: int) -> Document:
    """Scan within the request when it is quick; a file that takes longer stays pending and goes to the task
    (which has the time a large document needs)."""
    document = document_process(document_id=document_id, in_request=True)
    # A scan handed to OCR has its own task queued already.
    if document.scan_state == ScanState.PENDING and document.ocr_state != OcrState.PENDING:
        enqueue_on_commit(PROCESS_TASK, (document_id,))
    return document


def extraction_limits(*, in_request: bool = False) -> ExtractionLimits:
    return ExtractionLimits(
        max_parts=settings.PPID_OFFICE_MAX_PARTS,
        max_uncompressed_bytes=settings.PPID_OFFICE_MAX_UNCOMPRESSED_BYTES,
        max_compression_ratio=settings.PPID_OFFICE_MAX_COMPRESSION_RATIO,
        max_seconds=settings.PPID_EXTRACTION_REQUEST_SECONDS if in_request else None,
    )


def _fields_to_scan(document: Document, text: str) -> dict[str, str]:
    # The title, summary and file name reach the library, the DIP and search as they are: scanned like the text.
    return {"title": document.title, "summary": document.summary,
            "original_filename": document.original_filename, "text": text}


@transaction.atomic
def document_process(*, document_id: int, in_request: bool = False) -> Document:
    """Extract the text, scan it and the document's title, summary and file name for personal data, refresh
    the search index. A file whose text cannot be read safely (damaged, over a limit, a parser failure) ends
    in the `error` state with its reason, never as an exception. Idempotent and safe to run from a task.
    `in_request`: reading is given PPID_EXTRACTION_REQUEST_SECONDS; past that the document is set pending, its
    last findings kept, for the task to finish (see document_scan_now_or_later)."""
    document = Document.objects.select_for_update().get(pk=document_id)
    with document.file.open("rb") as fh:
        data = fh.read()
    error = ""
    try:
        text = extract_text(data, document.content_type, extraction_limits(in_request=in_request))
        state = ScanState.DONE
    except ExtractionTimeout:
        if in_request:
            document.scan_state = ScanState.PENDING
            document.updated_at = now()
            document.save(update_fields=["scan_state", "updated_at"])
            return document
        text, state, error = "", ScanState.ERROR, _("Pembacaan teks melebihi batas waktu.")
    except ExtractionError as exc:
        log.info("document %s: scan failed (%s)", document.pk, exc)
        text, state, error = "", ScanState.ERROR, str(exc)[:300]
    if state == ScanState.DONE and needs_ocr(text, document.content_type):
        # A scanned PDF or an image: its text comes from OCR, in its own task; the scan follows it there.
        document_ocr_queue(document)
        return document
    if state == ScanState.DONE and not text.strip():
        # No text and nothing OCR can read: nothing could be checked, so the officer must look and confirm.
        state = ScanState.FAILED
    document.text_source = TextSource.EXTRACTED if text.strip() else TextSource.NONE
    document.save(update_fields=["text_source"])
    return record_scan(document, text=text, state=state, error=error)


@transaction.atomic
def document_scan_failed(*, document_id: int, reason: str) -> Document:
    """Record a scan that could not finish (the task's time limit): the officer sees why; publishing waits for
    a replacement file or a successful re-check."""
    document = Document.objects.select_for_update().get(pk=document_id)
    return record_scan(document, text="", state=ScanState.ERROR, error=reason[:300])


def record_scan(document: Document, *, text: str, state: str, error: str) -> Document:
    findings = scan_document_fields(_fields_to_scan(document, text))
    document.extracted_text = text
    document.personal_data_findings = findings
    document.scan_state = state
    document.scan_error = error
    document.updated_at = now()
    document.save(update_fields=["extracted_text", "personal_data_findings", "scan_state", "scan_error",
                                 "updated_at"])
    document_index(document=document)
    counts = finding_counts(findings)
    summary = _summary(findings, state, error)
    record_event(document, DocumentEvent.Kind.SCANNED, note=summary,
                 data={"counts": counts, "state": state, "findings": finding_places(findings), "error": error})
    from requests_app.models import EventKind

    record_case_event(document, EventKind.PERSONAL_DATA_CHECK, None, f"{document.title}: {summary}",
                public=False, data={"counts": counts, "state": state})
    return document


def finding_counts(findings: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    return counts


# The scanner's kinds and fields (extraction.scan_document_fields) in words, in the order they are told.
FINDING_KINDS = {
    "nik": pgettext_lazy("personal data", "NIK"),
    "phone": pgettext_lazy("personal data", "nomor telepon"),
    "email": pgettext_lazy("personal data", "alamat e-mail"),
}
FINDING_FIELDS = {
    "text": "",
    "title": gettext_lazy("di judul"),
    "summary": gettext_lazy("di ringkasan"),
    "original_filename": gettext_lazy("di nama berkas"),
}


def describe_findings(findings: list[dict] | dict) -> str:
    """The findings in words, in the active language: "NIK 1, nomor telepon 2 (di judul)" / "ID number (NIK) 1,
    phone number 2 (in the title)". Takes the findings ([{kind, field, ...}]) or, for history written before
    the fields were kept, their counts by kind ({kind: n}). Empty when there are none."""
    groups: dict[tuple[str, str], int] = {}
    if isinstance(findings, dict):
        for kind, n in findings.items():
            groups[(kind, "text")] = groups.get((kind, "text"), 0) + int(n)
    else:
        for f in findings:
            key = (f.get("kind", ""), f.get("field") or "text")
            groups[key] = groups.get(key, 0) + 1
    kinds, fields = list(FINDING_KINDS), list(FINDING_FIELDS)

    def order(key):
        kind, field = key
        return (kinds.index(kind) if kind in kinds else len(kinds), kind,
                fields.index(field) if field in fields else len(fields), field)

    parts = []
    for kind, field in sorted(groups, key=order):
        n = groups[(kind, field)]
        where = FINDING_FIELDS.get(field, field)
        parts.append(f"{FINDING_KINDS.get(kind, kind)} {n}" + (f" ({where})" if where else ""))
    return ", ".join(parts)


def finding_places(findings: list[dict]) -> list[dict]:
    """The findings without their excerpts (kind and field only): what the history keeps to tell them again."""
    return [{"kind": f.get("kind", ""), "field": f.get("field") or "text"} for f in findings]


def scan_summary(findings: list[dict] | dict, state: str, error: str = "") -> str:
    """One line on a scan, in the active language: its outcome and the findings in words."""
    described = describe_findings(findings)
    found = _("Ditemukan: %(findings)s.") % {"findings": described} if described else ""
    if state == ScanState.ERROR:
        return " ".join(p for p in [_("Pemeriksaan gagal: %(reason)s") % {"reason": error}, found] if p)
    if state == ScanState.FAILED:
        return " ".join(p for p in [_("Teks tidak dapat dibaca (gambar/pindaian); periksa isi berkas secara "
                                      "manual."), found] if p)
    return found or _("Tidak ditemukan data pribadi.")


def _summary(findings: list[dict], state: str, error: str = "") -> str:
    # The history is a record kept in Bahasa Indonesia, whoever's request caused the scan.
    with translation.override("id"):
        return scan_summary(findings, state, error)


def rescan_metadata(document: Document) -> None:
    """New title or summary: their findings are re-made (the text's stay). A finding the officer has not seen
    yet voids an earlier confirmation; a published document does not take one at all."""
    before = document.personal_data_findings
    text_findings = [f for f in before if f.get("field", "text") == "text"]
    fields = _fields_to_scan(document, "")
    del fields["text"]
    after = scan_document_fields(fields) + text_findings
    new = [f for f in after if f not in before]
    if new and document.status == DocumentStatus.PUBLISHED:
        raise IllegalTransition(
            _("Judul atau ringkasan memuat kemungkinan data pribadi (NIK, nomor telepon, e-mail); dokumen yang "
              "sudah dipublikasikan tidak dapat diubah begitu. Hapus data itu, atau tarik dokumen dari publikasi "
              "lebih dulu."))
    if new:
        document.personal_data_confirmed = False
        document.personal_data_confirmed_by = None
        document.publish_override_reason = ""
    document.personal_data_findings = after
