"""Issuing a letter as an archive record: the record (its verification token) is made first so the PDF can print
its own link, then the PDF is rendered and its SHA-256 and, unless it carries a secret, its bytes are kept."""

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction

from ppid_portal.clock import now
from ppid_portal.links import absolute_url
from ppid_portal.pdf import ArchiveMeta
from requests_app.models import IssuedLetter, LetterClassification, LetterKind


def verification_url(token: str) -> str:
    return absolute_url("letter-verify", token)


def letter_classification(kind: str) -> tuple[str, str]:
    """(classification code, retention) of a kind of letter; blank when the table has no row for it."""
    row = LetterClassification.objects.filter(kind=kind).first()
    return (row.code, row.retention) if row else ("", "")


def pdf_sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


@transaction.atomic
def letter_issue(*, kind: str, render: Callable[[ArchiveMeta], bytes], reference: str, opd, date=None,
                 case=None, objection=None, year: int | None = None, filename: str = "",
                 keep: bool = True) -> tuple[IssuedLetter, bytes]:
    """Render a letter through `render` (given its archival description, link included) and record it as issued.
    `keep=False` records the hash only: for a copy that prints the tracking code, which is never stored."""
    issued_at = now()
    record = IssuedLetter(kind=kind, case=case, objection=objection, reference=reference, opd=opd, year=year,
                          issued_at=issued_at, filename=filename[:255])
    code, retention = letter_classification(kind)
    meta = ArchiveMeta(title=f"{LetterKind(kind).label} {reference}", reference=reference,
                       opd=opd.name if opd is not None else "", date=date or issued_at,
                       classification_code=code, retention=retention, verification_url=verification_url(record.token))
    pdf = render(meta)
    record.sha256 = pdf_sha256(pdf)
    if keep:
        record.file.save(filename or "surat.pdf", ContentFile(pdf), save=False)
    record.save(force_insert=True)
    return record, pdf


def issued_letter_pdf(record: IssuedLetter) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


def kept_letters_for_case(case):
    """The letters of a case kept as issued, oldest first: the case's archive list."""
    return case.issued_letters.exclude(file="").order_by("issued_at", "token")
