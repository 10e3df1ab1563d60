"""Every write to the library: upload, text extraction and personal-data scan, search indexing, confirm,
publish, unpublish, and publishing a case's answer material. Keyword-only, atomic, events in the same
transaction, work for Celery scheduled on commit."""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from documents_app.extraction import (
    ExtractionError,
    ExtractionLimits,
    ExtractionTimeout,
    extract_text,
    scan_document_fields,
)
from documents_app.models import Category, Document, DocumentEvent, DocumentStatus, InfoForm, ScanState
from documents_app.permissions import can_link_case, require_manage
from documents_app.search import full_text_available, search_vector
from opd_app.models import OPD
from ppid_portal.clock import now
from ppid_portal.errors import IllegalTransition, MissingField
from ppid_portal.limits import TEXT_MAX_LENGTH
from ppid_portal.queueing import enqueue_on_commit

log = logging.getLogger(__name__)

PROCESS_TASK = "documents_app.tasks.document_process_task"

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


# Upload -------------------------------------------------------------------------------------------------
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


def _event(document: Document, kind: str, actor=None, note: str = "", data: dict | None = None) -> DocumentEvent:
    return DocumentEvent.objects.create(document=document, kind=kind, note=note, data=data or {}, at=now(),
                                        actor=actor if (actor and actor.is_authenticated) else None)


def _case_event(document: Document, kind: str, actor, note: str, public: bool, data: dict) -> None:
    if not document.case_id:
        return
    from requests_app.services.events import event_record

    case = document.case
    event_record(case=case, kind=kind, actor=actor, from_status=case.status, note=note, public=public,
                 data={"document": document.pk, **data})


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
    _event(document, DocumentEvent.Kind.UPLOADED, actor, note=document.original_filename,
           data={"sha256": document.sha256, "size": document.size})
    _after_upload(document, process_now)
    return document


def _after_upload(document: Document, process_now: bool) -> None:
    if process_now and document.size <= SYNC_PROCESS_MAX_BYTES:
        document_scan_now_or_later(document_id=document.pk)
        document.refresh_from_db()
    else:
        enqueue_on_commit(PROCESS_TASK, (document.pk,))


def document_scan_now_or_later(*, document_id: int) -> Document:
    """Scan within the request when it is quick; a file that takes longer stays pending and goes to the task
    (which has the time a large document needs)."""
    document = document_process(document_id=document_id, in_request=True)
    if document.scan_state == ScanState.PENDING:
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
    if state == ScanState.DONE and not text.strip():
        # An image or a scanned PDF: nothing could be checked, so the officer must look and confirm.
        state = ScanState.FAILED
    return _record_scan(document, text=text, state=state, error=error)


@transaction.atomic
def document_scan_failed(*, document_id: int, reason: str) -> Document:
    """Record a scan that could not finish (the task's time limit): the officer sees why; publishing waits for
    a replacement file or a successful re-check."""
    document = Document.objects.select_for_update().get(pk=document_id)
    return _record_scan(document, text="", state=ScanState.ERROR, error=reason[:300])


# A scan still pending this long past the task's hard time limit never finished: its task was never queued (the
# broker refused it) or its worker was killed at the hard limit. Long enough for a queue backlog and the task's
# own retries of an unreachable storage.
STALE_SCAN_MARGIN = dt.timedelta(minutes=30)
STALE_SCAN_BATCH = 500


def stale_scan_cutoff(at: dt.datetime) -> dt.datetime:
    return at - dt.timedelta(seconds=settings.PPID_DOCUMENT_TASK_TIME_LIMIT) - STALE_SCAN_MARGIN


@transaction.atomic
def document_scan_abandon(*, document_id: int, cutoff: dt.datetime) -> bool:
    """Record a scan that has stayed pending since before `cutoff` as failed, so the officer sees it and can check
    again, instead of a draft pending for ever. False when the scan has moved on meanwhile (checked on the locked
    row)."""
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.scan_state != ScanState.PENDING or document.updated_at >= cutoff:
        return False
    _record_scan(document, text="", state=ScanState.ERROR,
                 error=_("Pemeriksaan tidak selesai (antrean terputus atau waktu habis); baca dan periksa ulang."))
    return True


def documents_stale_scans_abandon(*, at: dt.datetime | None = None) -> int:
    """Beat's periodic step: every scan pending since before the cutoff becomes a failed scan (a batch per run).
    Returns how many."""
    cutoff = stale_scan_cutoff(at or now())
    ids = list(Document.objects.filter(scan_state=ScanState.PENDING, updated_at__lt=cutoff)
               .order_by("updated_at").values_list("pk", flat=True)[:STALE_SCAN_BATCH])
    abandoned = sum(document_scan_abandon(document_id=pk, cutoff=cutoff) for pk in ids)
    if abandoned:
        log.warning("%d document scans never finished; recorded as failed", abandoned)
    return abandoned


def _record_scan(document: Document, *, text: str, state: str, error: str) -> Document:
    findings = scan_document_fields(_fields_to_scan(document, text))
    document.extracted_text = text
    document.personal_data_findings = findings
    document.scan_state = state
    document.scan_error = error
    document.updated_at = now()
    document.save(update_fields=["extracted_text", "personal_data_findings", "scan_state", "scan_error",
                                 "updated_at"])
    document_index(document=document)
    counts = _counts(findings)
    summary = _summary(counts, state, error)
    _event(document, DocumentEvent.Kind.SCANNED, note=summary, data={"counts": counts, "state": state})
    from requests_app.models import EventKind

    _case_event(document, EventKind.PERSONAL_DATA_CHECK, None, f"{document.title}: {summary}",
                public=False, data={"counts": counts, "state": state})
    return document


def _counts(findings: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    return counts


def _summary(counts: dict, state: str, error: str = "") -> str:
    found = ("Ditemukan: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))) if counts else ""
    if state == ScanState.ERROR:
        return " ".join(p for p in ["Pemeriksaan gagal: " + error, found] if p)
    if state == ScanState.FAILED:
        return " ".join(p for p in ["Teks tidak dapat dibaca (gambar/pindaian); periksa isi berkas secara manual.",
                                    found] if p)
    return found or "Tidak ditemukan data pribadi."


def document_index(*, document: Document) -> None:
    """Write the search vector: title (A), summary (B), extracted text (C), for published documents only; a
    draft or withdrawn document has none, so unreviewed text (possibly personal data) never sits in the index.
    PostgreSQL only; SQLite searches with icontains and needs no index."""
    if not full_text_available():
        return
    if document.status != DocumentStatus.PUBLISHED:
        Document.objects.filter(pk=document.pk).update(search_vector=None)
        return
    Document.objects.filter(pk=document.pk).update(search_vector=search_vector(document))


def _lock(document: Document, actor) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    require_manage(actor, locked.opd_id)
    return locked


@transaction.atomic
def document_update(*, document: Document, actor, meta: dict) -> Document:
    """Change title, summary, category and the DIP columns (re-indexed at once)."""
    document = _lock(document, actor)
    for key, value in _clean_meta(meta).items():
        setattr(document, key, value)
    if document.scan_state != ScanState.PENDING:
        _rescan_metadata(document)
    document.updated_at = now()
    document.save()
    document_index(document=document)
    _event(document, DocumentEvent.Kind.EDITED, actor)
    return document


def _rescan_metadata(document: Document) -> None:
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
    document.personal_data_findings = after


@transaction.atomic
def document_replace_file(*, document: Document, actor, upload, process_now: bool = True) -> Document:
    """Swap in a redacted version of a draft: re-extract, re-scan; any earlier confirmation no longer holds."""
    document = _lock(document, actor)
    if document.status == DocumentStatus.PUBLISHED:
        raise IllegalTransition(_("Tarik dokumen dari publikasi sebelum mengganti berkasnya."))
    mime = document_check_upload(upload)
    old_name, old_sha = document.file.name, document.sha256
    _store_file(document, upload, mime)
    document.personal_data_confirmed = False
    document.personal_data_confirmed_by = None
    document.personal_data_findings = []
    document.scan_state = ScanState.PENDING
    document.scan_error = ""
    document.updated_at = now()
    document.save()
    _event(document, DocumentEvent.Kind.REPLACED, actor, note=document.original_filename,
           data={"old_sha256": old_sha, "sha256": document.sha256})
    storage = document.file.storage
    # The unredacted file must not linger: remove it once the swap is committed.
    transaction.on_commit(lambda: storage.delete(old_name) if old_name and storage.exists(old_name) else None)
    _after_upload(document, process_now)
    return document


def _check_text(text: str, field: str) -> None:
    # The pages pass these straight from the POST: the checks the API's serializers apply (the text cap, no NUL,
    # which PostgreSQL text cannot hold), in the one place both use.
    if len(text or "") > TEXT_MAX_LENGTH:
        raise MissingField(_("Teks terlalu panjang (maksimal %(n)s karakter).") % {"n": TEXT_MAX_LENGTH}, field=field)
    if "\x00" in (text or ""):
        raise MissingField(_("Teks memuat karakter yang tidak diizinkan (NUL)."), field=field)


@transaction.atomic
def document_confirm_personal_data(*, document: Document, actor, note: str = "") -> Document:
    """The officer has read the findings and decides the document may be published as it is."""
    _check_text(note, "note")
    document = _lock(document, actor)
    if document.scan_state == ScanState.PENDING:
        raise IllegalTransition(_("Pemeriksaan data pribadi belum selesai."))
    _refuse_failed_scan(document)
    document.personal_data_confirmed = True
    document.personal_data_confirmed_by = actor
    document.updated_at = now()
    document.save(update_fields=["personal_data_confirmed", "personal_data_confirmed_by", "updated_at"])
    counts = _counts(document.personal_data_findings)
    _event(document, DocumentEvent.Kind.CONFIRMED, actor, note=note, data={"counts": counts})
    from requests_app.models import EventKind

    _case_event(document, EventKind.PERSONAL_DATA_CHECK, actor,
                f"{document.title}: petugas menyatakan dokumen aman untuk dipublikasikan.", public=False,
                data={"counts": counts, "decision": "confirmed"})
    return document


def _refuse_failed_scan(document: Document) -> None:
    # A file that broke the reader (damaged, a zip bomb, too slow) is not checked and not fit for the public.
    if document.scan_state == ScanState.ERROR:
        raise IllegalTransition(
            _("Pemeriksaan berkas gagal: %(reason)s Unggah berkas pengganti (misalnya disimpan ulang sebagai PDF) "
              "sebelum mempublikasikan.") % {"reason": document.scan_error}
        )


@transaction.atomic
def document_publish(*, document: Document, actor, confirm_personal_data: bool = False) -> Document:
    """Make a draft (or an unpublished document) public. Refused (409) while personal-data findings exist that
    the officer has not confirmed, and while the scan has not run."""
    document = _lock(document, actor)
    if document.status == DocumentStatus.PUBLISHED:
        raise IllegalTransition(_("Dokumen sudah dipublikasikan."))
    if document.scan_state == ScanState.PENDING:
        raise IllegalTransition(_("Pemeriksaan data pribadi belum selesai; coba lagi sebentar."))
    _refuse_failed_scan(document)
    if document.needs_confirmation:
        if not confirm_personal_data:
            if document.personal_data_findings:
                raise IllegalTransition(
                    _("Dokumen memuat %(n)s kemungkinan data pribadi (NIK, nomor telepon, e-mail). Unggah versi "
                      "yang disamarkan, atau konfirmasi bahwa dokumen aman dipublikasikan.")
                    % {"n": len(document.personal_data_findings)}
                )
            raise IllegalTransition(
                _("Teks dokumen tidak dapat diperiksa otomatis. Periksa isinya dan konfirmasi bahwa dokumen bebas "
                  "data pribadi sebelum dipublikasikan.")
            )
        document = document_confirm_personal_data(document=document, actor=actor)
    from_status = document.status
    document.status = DocumentStatus.PUBLISHED
    document.published_at = now()
    document.published_by = actor
    document.unpublished_reason = ""
    document.updated_at = document.published_at
    document.save(update_fields=["status", "published_at", "published_by", "unpublished_reason", "updated_at"])
    document_index(document=document)
    _event(document, DocumentEvent.Kind.PUBLISHED, actor, data={"from": from_status})
    from requests_app.models import EventKind

    _case_event(document, EventKind.DOCUMENT_PUBLISHED, actor,
                f"Dokumen \"{document.title}\" dipublikasikan di perpustakaan dokumen.", public=True, data={})
    return document


@transaction.atomic
def document_unpublish(*, document: Document, actor, reason: str) -> Document:
    """Withdraw a published document: it leaves the library and the DIP; the record and history stay."""
    _check_text(reason, "reason")
    document = _lock(document, actor)
    if not (reason or "").strip():
        raise MissingField(_("Alasan penarikan wajib diisi."), field="reason")
    if document.status != DocumentStatus.PUBLISHED:
        raise IllegalTransition(_("Hanya dokumen yang dipublikasikan yang dapat ditarik."))
    document.status = DocumentStatus.UNPUBLISHED
    document.unpublished_reason = reason.strip()
    document.updated_at = now()
    document.save(update_fields=["status", "unpublished_reason", "updated_at"])
    document_index(document=document)
    _event(document, DocumentEvent.Kind.UNPUBLISHED, actor, note=document.unpublished_reason)
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
