"""A document's way to the public and back: the officer's confirmation of the personal-data check, publish,
unpublish (withdraw). Each refuses (409) what the document's state does not allow."""

from django.db import transaction
from django.utils.translation import gettext as _

from documents_app.models import Document, DocumentEvent, DocumentStatus, ScanState
from documents_app.services.records import document_index, lock_document, record_case_event, record_event
from documents_app.services.scanning import finding_counts
from ppid_portal.clock import now
from ppid_portal.errors import IllegalTransition, MissingField
from ppid_portal.limits import TEXT_MAX_LENGTH


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
    document = lock_document(document, actor)
    if document.scan_state == ScanState.PENDING:
        raise IllegalTransition(_("Pemeriksaan data pribadi belum selesai."))
    _refuse_failed_scan(document)
    document.personal_data_confirmed = True
    document.personal_data_confirmed_by = actor
    document.updated_at = now()
    document.save(update_fields=["personal_data_confirmed", "personal_data_confirmed_by", "updated_at"])
    counts = finding_counts(document.personal_data_findings)
    record_event(document, DocumentEvent.Kind.CONFIRMED, actor, note=note, data={"counts": counts})
    from requests_app.models import EventKind

    record_case_event(document, EventKind.PERSONAL_DATA_CHECK, actor,
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
    document = lock_document(document, actor)
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
    record_event(document, DocumentEvent.Kind.PUBLISHED, actor, data={"from": from_status})
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
