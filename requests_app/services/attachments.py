"""Files that travel with a case: letters the portal writes and material officers upload."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from ppid_portal.clock import now
from requests_app.models import CaseAttachment, EventKind
from requests_app.services.events import event_record
from requests_app.validation import validate_upload

# Answer material: documents an officer sends (checked by content, like every upload).
MATERIAL_TYPES = {
    "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/msword": "doc", "application/vnd.ms-excel": "xls", "application/zip": "zip",
}


def attachment_add(*, case, actor, upload) -> CaseAttachment:
    try:
        mime = validate_upload(upload, allowed=MATERIAL_TYPES, max_bytes=settings.PPID_DOCUMENT_MAX_BYTES)
    except ValidationError as exc:
        from ppid_portal.errors import MissingField

        raise MissingField(exc.messages[0], field="files") from exc
    att = CaseAttachment(case=case, kind=CaseAttachment.Kind.MATERIAL, filename=upload.name[:255],
                         content_type=mime, size=upload.size, uploaded_by=actor, created_at=now())
    # Stored under a name whose extension comes from the sniffed type, never the uploader's name.
    att.file.save(f"material.{MATERIAL_TYPES[mime]}", upload, save=False)
    att.save()
    event_record(case=case, kind=EventKind.ATTACHMENT_ADDED, actor=actor, from_status=case.status,
                 note=att.filename, public=True, data={"attachment": att.pk})
    return att


def letter_attach(*, case, kind: str, filename: str, pdf: bytes, actor=None, letter_number: str = "") -> CaseAttachment:
    att = CaseAttachment(case=case, kind=kind, filename=filename, content_type="application/pdf", size=len(pdf),
                         letter_number=letter_number, uploaded_by=actor, created_at=now())
    att.file.save(filename, ContentFile(pdf), save=False)
    att.save()
    return att
