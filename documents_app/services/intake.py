"""A document comes into the library: an upload (size and real type checked), its metadata, a redacted
replacement file, metadata edits, a case's answer material turned into a draft. Its scan follows (scanning.py)."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from documents_app.models import (
    Category,
    Document,
    DocumentEvent,
    DocumentStatus,
    InfoForm,
    OcrState,
    ScanState,
    TextSource,
)
from documents_app.permissions import can_link_case, require_manage
from documents_app.services.records import document_index, lock_document, record_event
from documents_app.services.scanning import PROCESS_TASK, document_scan_now_or_later, rescan_metadata
from opd_app.models import OPD
from ppid_portal.clock import now
from ppid_portal.errors import IllegalTransition, MissingField
from ppid_portal.queueing import enqueue_on_commit

# What the library accepts, judged by content (filetype), never by the file's name.
DOCUMENT_TYPES = {
    "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/msword": "doc", "application/vnd.ms-excel": "xls", "application/vnd.ms-powerpoint": "ppt",
}


# Text has no magic number: accepted only under these names and only if it really is UTF-8 without NULs.
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv"}


# The API answers with the findings, so it reads files up to this size at once; bigger ones go to Celery.
SYNC_PROCESS_MAX_BYTES = getattr(settings, "PPID_DOCUMENT_SYNC_BYTES", 10 * 1024 * 1024)


def document_check_upload(upload) -> str:
    """Size and real type of an upload; returns the MIME type or raises MissingField(field="file")."""
    from requests_app.validation import sniff_type, validate_upload

    max_bytes = settings.PPID_DOCUMENT_MAX_BYTES
    ext = upload.name.rsplit(".", 1)[-1].lower() if upload and "." in upload.name else ""
    try:
        if upload is not None and ext in TEXT_TYPES and upload.size and upload.size <= max_bytes \
                and sniff_type(upload) is None:
            upload.seek(0)
            head = upload.read(65536)
            upload.seek(0)
            if b"\x00" in head or not _utf8(head):
                raise ValidationError(_("Berkas teks harus berformat UTF-8."), code="text")
            return TEXT_TYPES[ext]
        return validate_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=max_bytes)
    except ValidationError as exc:
        if getattr(exc, "code", "") == "type":
            raise MissingField(
                _("Jenis berkas tidak diterima: isinya bukan PDF, gambar (JPG/PNG/WEBP/TIFF), dokumen Office/"
                  "OpenDocument, atau teks (TXT/CSV). Nama berkas tidak menentukan jenisnya."), field="file",
            ) from exc
        raise MissingField(exc.messages[0], field="file") from exc


def _utf8(head: bytes) -> bool:
    # The 64 KiB cut may fall inside a multi-byte letter: allow up to 3 dangling bytes.
    for cut in (0, 1, 2, 3):
        try:
            (head[:-cut] if cut else head).decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def _store_file(document: Document, upload, mime: str) -> None:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (upload.name or "dokumen").replace("/", "_").replace("\\", "_")[-255:]
    document.original_filename = name
    document.content_type = mime
    document.size = upload.size
    document.sha256 = digest.hexdigest()
    document.file.save(name, upload, save=False)


def _clean_meta(meta: dict) -> dict:
    title = (meta.get("title") or "").strip()
    if not title:
        raise MissingField(_("Judul wajib diisi."), field="title")
    category = meta.get("category") or ""
    if category not in Category.values:
        raise MissingField(_("Pilih kategori: %(c)s.") % {"c": ", ".join(Category.values)}, field="category")
    info_form = meta.get("info_form") or InfoForm.SOFTCOPY
    if info_form not in InfoForm.values:
        raise MissingField(_("Bentuk informasi tidak dikenal."), field="info_form")
    return {
        "title": title[:300], "summary": (meta.get("summary") or "").strip(), "category": category,
        "responsible_official": (meta.get("responsible_official") or "").strip()[:255],
        "made_on": meta.get("made_on") or None, "made_place": (meta.get("made_place") or "").strip()[:120],
        "info_form": info_form, "retention": (meta.get("retention") or "").strip()[:120],
    }


def _case_for(actor, registration_number: str, opd: OPD):
    if not registration_number:
        return None
    from requests_app.models import Case

    case = Case.objects.filter(registration_number=registration_number.strip().upper()).first()
    # A case the officer cannot act on reads as unknown: the number tells nothing about other OPDs.
    if case is None or not can_link_case(actor, case):
        raise MissingField(_("Nomor registrasi tidak dikenal."), field="registration_number")
    return case


@transaction.atomic
def document_create(*, actor, opd: OPD, upload, meta: dict, registration_number: str = "",
                    process_now: bool = False) -> Document:
    """Store a new draft. Text extraction and the personal-data scan run at once when `process_now` and the
    file is small (the API answers with the findings), otherwise in a Celery task after commit."""
    require_manage(actor, opd.pk)
    mime = document_check_upload(upload)
    fields = _clean_meta(meta)
    case = _case_for(actor, registration_number, opd)
    moment = now()
    document = Document(opd=opd, case=case, created_by=actor, created_at=moment, updated_at=moment, **fields)
    _store_file(document, upload, mime)
    document.save()
    record_event(document, DocumentEvent.Kind.UPLOADED, actor, note=document.original_filename,
           data={"sha256": document.sha256, "size": document.size})
    _after_upload(document, process_now)
    return document


def _after_upload(document: Document, process_now: bool) -> None:
    if process_now and document.size <= SYNC_PROCESS_MAX_BYTES:
        document_scan_now_or_later(document_id=document.pk)
        document.refresh_from_db()
    else:
        enqueue_on_commit(PROCESS_TASK, (document.pk,))


@transaction.atomic
def document_update(*, document: Document, actor, meta: dict) -> Document:
    """Change title, summary, category and the DIP columns (re-indexed at once)."""
    document = lock_document(document, actor)
    for key, value in _clean_meta(meta).items():
        setattr(document, key, value)
    if document.scan_state != ScanState.PENDING:
        rescan_metadata(document)
    document.updated_at = now()
    document.save()
    document_index(document=document)
    record_event(document, DocumentEvent.Kind.EDITED, actor)
    return document


@transaction.atomic
def document_replace_file(*, document: Document, actor, upload, process_now: bool = True) -> Document:
    """Swap in a redacted version of a draft: re-extract, re-scan; any earlier confirmation no longer holds."""
    document = lock_document(document, actor)
    if document.status == DocumentStatus.PUBLISHED:
        raise IllegalTransition(_("Tarik dokumen dari publikasi sebelum mengganti berkasnya."))
    mime = document_check_upload(upload)
    old_name, old_sha = document.file.name, document.sha256
    _store_file(document, upload, mime)
    document.personal_data_confirmed = False
    document.personal_data_confirmed_by = None
    document.publish_override_reason = ""  # it answered the old file's findings; the history keeps it
    document.personal_data_findings = []
    document.scan_state = ScanState.PENDING
    document.scan_error = ""
    # The old file's OCR (its searchable copy holds the unredacted text) goes with it.
    old_searchable = document.searchable_file.name if document.searchable_file else ""
    document.searchable_file = ""
    document.ocr_state = OcrState.NOT_NEEDED
    document.ocr_error = ""
    document.ocr_confidence = None
    document.ocr_pages = None
    document.text_source = TextSource.NONE
    document.updated_at = now()
    document.save()
    record_event(document, DocumentEvent.Kind.REPLACED, actor, note=document.original_filename,
           data={"old_sha256": old_sha, "sha256": document.sha256})
    storage = document.file.storage
    # The unredacted file must not linger: remove it once the swap is committed.
    for name in (old_name, old_searchable):
        transaction.on_commit(lambda name=name: storage.delete(name) if name and storage.exists(name) else None)
    _after_upload(document, process_now)
    return document


@transaction.atomic
def document_from_attachment(*, attachment, actor, meta: dict | None = None) -> Document:
    """A draft in the library from a case's answer material, linked to the case (registration number only)."""
    case = attachment.case
    require_manage(actor, case.opd_id)
    from requests_app.models import CaseAttachment

    if attachment.kind != CaseAttachment.Kind.MATERIAL:
        raise MissingField(_("Hanya materi jawaban yang dapat dipublikasikan, bukan surat kepada pemohon."),
                           field="attachment")
    with attachment.file.open("rb") as fh:
        content = ContentFile(fh.read(), name=attachment.filename)
    meta = {"title": attachment.filename.rsplit(".", 1)[0], "category": Category.SETIAP_SAAT,
            "summary": _("Informasi yang diberikan atas permohonan %(n)s.") % {"n": case.registration_number},
            **(meta or {})}
    return document_create(actor=actor, opd=case.opd, upload=content, meta=meta,
                           registration_number=case.registration_number, process_now=True)
