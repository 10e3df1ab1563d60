"""The requester's identity scan as stored: opened for the officers' view, or known to be purged."""

import datetime as dt

from django.core.files import File

from ppid_portal.clock import wita_date
from requests_app.models import Case, EventKind
from requests_app.validation import IDENTITY_TYPES, sniff_type

UNKNOWN_TYPE = "application/octet-stream"


def identity_document_open(case: Case) -> tuple[File, str] | None:
    """(the open stored file, the MIME type its bytes show) — None when the case has no scan any more (purged)
    or its file is gone. The type is sniffed from the stored bytes, not taken from the file's name: rows stored
    before names were generated may carry the uploader's extension. Bytes of no accepted type are served as
    application/octet-stream."""
    if not case.identity_document:
        return None
    try:
        file = case.identity_document.open("rb")
    except (FileNotFoundError, OSError):
        return None
    mime = sniff_type(file)
    return file, (mime if mime in IDENTITY_TYPES else UNKNOWN_TYPE)


def identity_document_purged_on(case: Case) -> dt.date | None:
    """The day (WITA) the retention sweep purged the case's identity scan, or None."""
    at = (case.events.filter(kind=EventKind.IDENTITY_DOCUMENT_PURGED).order_by("-at")
          .values_list("at", flat=True).first())
    return wita_date(at) if at else None
