"""The requester's papers as stored (identity scan, authority document): opened for the officers' view, known to be
purged, or the identity scan a request recorded at the desk still owed, attached."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files import File

from opd_app.permissions import can_act_on
from ppid_portal.clock import now, wita_date
from ppid_portal.errors import IllegalTransition, MissingField, NotPermitted
from ppid_portal.files import atomic_with_files
from requests_app.event_notes import system_note
from requests_app.models import Case, EventKind
from requests_app.services.events import event_record
from requests_app.validation import IDENTITY_TYPES, sniff_type, validate_identity_document

UNKNOWN_TYPE = "application/octet-stream"


def identity_document_open(case: Case) -> tuple[File, str] | None:
    """(the open stored file, the MIME type its bytes show) — None when the case has no scan any more (purged)
    or its file is gone. The type is sniffed from the stored bytes, not taken from the file's name: rows stored
    before names were generated may carry the uploader's extension. Bytes of no accepted type are served as
    application/octet-stream."""
    return requester_file_open(case, "identity_document")


def authority_document_open(case: Case) -> tuple[File, str] | None:
    """The authority document (deed, registration, surat kuasa) as identity_document_open opens the scan."""
    return requester_file_open(case, "authority_document")


def requester_file_open(case: Case, field: str) -> tuple[File, str] | None:
    stored = getattr(case, field)
    if not stored:
        return None
    try:
        file = stored.open("rb")
    except (FileNotFoundError, OSError):
        return None
    mime = sniff_type(file)
    return file, (mime if mime in IDENTITY_TYPES else UNKNOWN_TYPE)


def identity_document_purged_on(case: Case) -> dt.date | None:
    """The day (WITA) the retention sweep purged the case's identity scan, or None."""
    at = (case.events.filter(kind=EventKind.IDENTITY_DOCUMENT_PURGED).order_by("-at")
          .values_list("at", flat=True).first())
    return wita_date(at) if at else None


def identity_document_attach(*, case: Case, upload, actor) -> Case:
    """Attach the identity scan a request recorded at the desk still owed (`identity_owed`), handed over later:
    checked by content like the web form's, stored under a generated name, the flag cleared, an internal event
    naming the officer. Those who handle the case only; IllegalTransition (409) when no scan is owed."""
    if not can_act_on(actor, case):
        raise NotPermitted("Anda tidak menangani permohonan ini.")
    try:
        mime = validate_identity_document(upload)
    except ValidationError as exc:
        raise MissingField(exc.messages[0], field="identity_document") from exc
    with atomic_with_files() as stored:
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.identity_owed:
            raise IllegalTransition("Dokumen identitas permohonan ini tidak lagi ditunggu.")
        case.identity_document_type = mime
        case.identity_document.save("identity", upload, save=False)  # the name comes from identity_upload_to
        stored.append(case.identity_document.name)
        case.identity_owed = False
        case.updated_at = now()
        case.save(update_fields=["identity_document", "identity_document_type", "identity_owed", "updated_at"])
        # Internal: the requester's timeline has no use for it, and the note holds no personal data.
        note, data = system_note("identity_document_received")
        event_record(case=case, kind=EventKind.IDENTITY_DOCUMENT_ADDED, actor=actor, from_status=case.status,
                     public=False, note=note, data=data)
    return case
