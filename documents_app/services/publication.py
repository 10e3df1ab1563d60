"""A document's way to the public and back: the officer's confirmation of the personal-data check, publish,
unpublish (withdraw). Each refuses (409) what the document's state does not allow."""

from django.db import transaction
from django.utils.translation import gettext as _

from documents_app.models import Document, DocumentEvent, DocumentStatus, OcrState, ScanState
from documents_app.services.records import document_index, lock_document, record_case_event, record_event
from documents_app.services.scanning import describe_findings, finding_counts
from ppid_portal.clock import now
from ppid_portal.errors import IllegalTransition, MissingField
from ppid_portal.limits import TEXT_MAX_LENGTH

# The form field (page and API) of the reason to publish despite personal-data findings.
OVERRIDE_REASON_FIELD = "publish_override_reason"


def _check_text(text: str, field: str) -> None:
    # The pages pass these straight from the POST: the checks the API's serializers apply (the text cap, no NUL,
    # which PostgreSQL text cannot hold), in the one place both use.
    if len(text or "") > TEXT_MAX_LENGTH:
        raise MissingField(_("Teks terlalu panjang (maksimal %(n)s karakter).") % {"n": TEXT_MAX_LENGTH}, field=field)
    if "\x00" in (text or ""):
        raise MissingField(_("Teks memuat karakter yang tidak diizinkan (NUL)."), field=field)


@transaction.atomic
def document_confirm_personal_data(*, document: Document, actor, note: str = "") -> Document:
    """The officer has read the findings and decides the document may be published as it is. Over findings
    (a NIK, a phone number, an e-mail address) that is an override of the check: it needs a written reason,
    kept on the document (publish_override_reason) and on its history."""
    _check_text(note, OVERRIDE_REASON_FIELD)
    note = (note or "").strip()
    document = lock_document(document, actor)
    if document.scan_state == ScanState.PENDING:
        raise IllegalTransition(_("Pemeriksaan data pribadi belum selesai."))
    _refuse_failed_scan(document)
    if document.personal_data_findings and not note:
        raise MissingField(
            _("Tulis alasan mempublikasikan dokumen ini meskipun ada temuan data pribadi (misalnya: data itu "
              "memang informasi publik)."),
            field=OVERRIDE_REASON_FIELD,
        )
    document.personal_data_confirmed = True
    document.personal_data_confirmed_by = actor
    document.publish_override_reason = note if document.personal_data_findings else ""
    document.updated_at = now()
    document.save(update_fields=["personal_data_confirmed", "personal_data_confirmed_by", "publish_override_reason",
                                 "updated_at"])
    counts = finding_counts(document.personal_data_findings)
    record_event(document, DocumentEvent.Kind.CONFIRMED, actor, note=note, data={"counts": counts})
    from requests_app.models import EventKind

    record_case_event(document, EventKind.PERSONAL_DATA_CHECK, actor,
                " ".join(p for p in [f"{document.title}: petugas menyatakan dokumen aman untuk dipublikasikan.",
                                     f"Alasan: {note}" if note else ""] if p),
                public=False, data={"counts": counts, "decision": "confirmed", "reason": note})
    return document


def _refuse_failed_scan(document: Document) -> None:
    # A file that broke the reader (damaged, a zip bomb, too slow) is not checked and not fit for the public.
    if document.ocr_state == OcrState.FAILED:
        raise IllegalTransition(
            _("OCR gagal: %(reason)s Ulangi OCR, atau unggah berkas pengganti, sebelum mempublikasikan.")
            % {"reason": document.ocr_error}
        )
    if document.scan_state == ScanState.ERROR:
        raise IllegalTransition(
            _("Pemeriksaan berkas gagal: %(reason)s Unggah berkas pengganti (misalnya disimpan ulang sebagai PDF) "
              "sebelum mempublikasikan.") % {"reason": document.scan_error}
        )


@transaction.atomic
def document_publish(*, document: Document, actor, confirm_personal_data: bool = False,
                     override_reason: str = "") -> Document:
    """Make a draft (or an unpublished document) public. Refused (409) while personal-data findings exist that
    the officer has not confirmed, and while the scan has not run. Confirming findings here ("publish anyway")
    needs `override_reason` (400 on that field without it)."""
    document = lock_document(document, actor)
    if document.status == DocumentStatus.PUBLISHED:
        raise IllegalTransition(_("Dokumen sudah dipublikasikan."))
    if document.scan_state == ScanState.PENDING:
        raise IllegalTransition(
            _("Teks dokumen sedang dikenali dengan OCR; coba lagi sebentar.") if document.ocr_state == OcrState.PENDING
            else _("Pemeriksaan data pribadi belum selesai; coba lagi sebentar."))
    _refuse_failed_scan(document)
    if document.needs_confirmation:
        if not confirm_personal_data:
            if document.personal_data_findings:
                raise IllegalTransition(
                    _("Dokumen memuat kemungkinan data pribadi: %(findings)s. Unggah versi yang disamarkan, atau "
                      "konfirmasi bahwa dokumen aman dipublikasikan dan tulis alasannya.")
                    % {"findings": describe_findings(document.personal_data_findings)}
                )
            raise IllegalTransition(
                _("Teks dokumen tidak dapat diperiksa otomatis. Periksa isinya dan konfirmasi bahwa dokumen bebas "
                  "data pribadi sebelum dipublikasikan.")
            )
        document = document_confirm_personal_data(document=document, actor=actor, note=override_reason)
    from_status = document.status
    document.status = DocumentStatus.PUBLISHED
    document.published_at = now()
    document.published_by = actor
    document.unpublished_reason = ""
    document.updated_at = document.published_at
    document.save(update_fields=["status", "published_at", "published_by", "unpublished_reason", "updated_at"])
    document_index(document=document)
    # A publication over findings carries its reason on its own line of the history too.
    record_event(document, DocumentEvent.Kind.PUBLISHED, actor, note=document.publish_override_reason,
                 data={"from": from_status, "override_reason": document.publish_override_reason})
    from requests_app.models import EventKind

    record_case_event(document, EventKind.DOCUMENT_PUBLISHED, actor,
                f"Dokumen \"{document.title}\" dipublikasikan di perpustakaan dokumen.", public=True, data={})
    return document


@transaction.atomic
def document_unpublish(*, document: Document, actor, reason: str) -> Document:
    """Withdraw a published document: it leaves the library and the DIP; the record and history stay."""
    _check_text(reason, "reason")
    document = lock_document(document, actor)
    if not (reason or "").strip():
        raise MissingField(_("Alasan penarikan wajib diisi."), field="reason")
    if document.status != DocumentStatus.PUBLISHED:
        raise IllegalTransition(_("Hanya dokumen yang dipublikasikan yang dapat ditarik."))
    document.status = DocumentStatus.UNPUBLISHED
    document.unpublished_reason = reason.strip()
    document.updated_at = now()
    document.save(update_fields=["status", "unpublished_reason", "updated_at"])
    document_index(document=document)
    record_event(document, DocumentEvent.Kind.UNPUBLISHED, actor, note=document.unpublished_reason)
    return document
