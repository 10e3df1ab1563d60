"""Reading a document's text and looking for personal data in it. Pure functions: no database."""

import io
import logging
import re
import time
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# Enough text for search and the personal-data check; a 500-page PDF does not need more in the index.
MAX_TEXT_CHARS = 2_000_000
MAX_FINDINGS = 50

OFFICE_XML_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("word/document.xml",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("ppt/slides/",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xl/sharedStrings.xml",),
    "application/vnd.oasis.opendocument.text": ("content.xml",),
    "application/vnd.oasis.opendocument.spreadsheet": ("content.xml",),
    "application/vnd.oasis.opendocument.presentation": ("content.xml",),
}


class ExtractionError(Exception):
    """The file's text could not be read: damaged, encrypted, over a safety limit, or the parser failed. The
    message is for the officer (it is stored as the document's scan error)."""


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds on the work one file may cause. Office files are zip archives whose parts can expand a thousand
    times: they are inspected before anything is decompressed."""

    max_parts: int = 2000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_compression_ratio: int = 100
    # None: no clock of its own (a Celery task has its time limits); in a request, the time it may take.
    max_seconds: float | None = None


# Below this size a part's compression ratio says nothing (a few repeated tags compress very well).
RATIO_CHECK_MIN_BYTES = 1024 * 1024
READ_CHUNK = 64 * 1024


def extract_text(data: bytes, content_type: str, limits: ExtractionLimits | None = None) -> str:
    """Plain text of a PDF, a text file or an Office/OpenDocument file; "" for images and other kinds.
    Any failure of a parser, or a file over a limit, raises ExtractionError with a reason for the officer."""
    limits = limits or ExtractionLimits()
    deadline = time.monotonic() + limits.max_seconds if limits.max_seconds is not None else None
    try:
        if content_type == "application/pdf":
            text = _pdf_text(data, deadline)
        elif content_type.startswith("text/"):
            text = data[: MAX_TEXT_CHARS * 4].decode("utf-8", errors="replace")
        elif content_type in OFFICE_XML_PARTS:
            text = _office_text(data, OFFICE_XML_PARTS[content_type], limits, deadline)
        else:
            return ""
    except (ExtractionError, SoftTimeLimitExceeded):
        raise
    except Exception as exc:  # noqa: BLE001 (a parser's every failure is a failed scan, never a 500)
        log.info("text extraction failed: %s: %s", type(exc).__name__, exc)
        raise ExtractionError(_("Berkas rusak atau tidak dapat dibaca (%(error)s).")
                              % {"error": type(exc).__name__}) from exc
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]


class ExtractionTimeout(ExtractionError):
    """Reading took longer than the caller allowed (the request leaves the file to the task)."""


def _check_time(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ExtractionTimeout(_("Pembacaan teks melebihi batas waktu."))


def _pdf_text(data: bytes, deadline: float | None) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    parts, total = [], 0
    for page in reader.pages:
        _check_time(deadline)
        chunk = page.extract_text() or ""
        parts.append(chunk)
        total += len(chunk)
        if total > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _office_text(data: bytes, prefixes: tuple[str, ...], limits: ExtractionLimits,
                 deadline: float | None) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        _check_archive(infos, limits)
        names = sorted(i.filename for i in infos if i.filename.endswith(".xml") and i.filename.startswith(prefixes))
        parts, total_chars = [], 0
        budget = limits.max_uncompressed_bytes
        for name in names:
            text, used = _xml_part_text(archive, name, budget, MAX_TEXT_CHARS - total_chars, deadline)
            budget -= used
            parts.append(text)
            total_chars += len(text)
            if total_chars >= MAX_TEXT_CHARS:
                break
        return "\n".join(parts)


def _check_archive(infos: list[zipfile.ZipInfo], limits: ExtractionLimits) -> None:
    """Refuse on the central directory alone: too many parts, too much declared content, a bomb's ratio."""
    if len(infos) > limits.max_parts:
        raise ExtractionError(_("Berkas memuat terlalu banyak bagian (%(n)s; batasnya %(max)s).")
                              % {"n": len(infos), "max": limits.max_parts})
    if sum(i.file_size for i in infos) > limits.max_uncompressed_bytes:
        raise ExtractionError(_("Isi berkas setelah dibuka melebihi %(max)s MB.")
                              % {"max": limits.max_uncompressed_bytes // (1024 * 1024)})
    for info in infos:
        if info.file_size >= RATIO_CHECK_MIN_BYTES and (
            info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            raise ExtractionError(_("Berkas dipadatkan secara tidak wajar (rasio lebih dari %(max)s:1)."
                                    " Simpan ulang berkas dari aplikasinya lalu unggah lagi.")
                                  % {"max": limits.max_compression_ratio})


class _TextCollector:
    """Parser target: the character data of an XML part in reading order, one piece per run between tags (so
    words never glue together), without building a tree (memory stays flat however large the part)."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.pieces: list[str] = []
        self.chars = 0
        self._run: list[str] = []

    @property
    def full(self) -> bool:
        return self.chars >= self.max_chars

    def start(self, tag, attrib):
        self._flush()

    def end(self, tag):
        self._flush()

    def data(self, data):
        self._run.append(data)

    def doctype(self, name, pubid, system):
        # Office XML never declares a DTD; one here can only be an entity-expansion trap.
        raise ExtractionError(_("Berkas memuat deklarasi XML yang tidak diizinkan."))

    def close(self):
        self._flush()
        return " ".join(self.pieces)

    def _flush(self):
        if self._run:
            text = "".join(self._run).strip()
            self._run = []
            if text:
                self.pieces.append(text)
                self.chars += len(text) + 1


def _xml_part_text(archive: zipfile.ZipFile, name: str, budget: int, max_chars: int,
                   deadline: float | None) -> tuple[str, int]:
    """Text of one XML part, parsed as it is decompressed. The declared sizes of a zip can lie, so the bytes
    really read count against `budget`; reading stops once `max_chars` of text are collected."""
    collector = _TextCollector(max_chars)
    parser = ElementTree.XMLParser(target=collector)
    used = 0
    with archive.open(name) as member:
        while not collector.full:
            _check_time(deadline)
            chunk = member.read(READ_CHUNK)
            if not chunk:
                return parser.close(), used
            used += len(chunk)
            if used > budget:
                raise ExtractionError(_("Isi berkas setelah dibuka melebihi batas."))
            parser.feed(chunk)
    return collector.close(), used


# Personal data ---------------------------------------------------------------------------------------------
# NIK: 16 digits, written together or in groups (6403 0123 4567 8901 / 6403.0123.4567.8901).
NIK_RE = re.compile(r"(?<![\d.])(?:\d{16}|\d{4}[ .-]\d{4}[ .-]\d{4}[ .-]\d{4}|\d{6}[ .-]\d{6}[ .-]\d{4})(?![\d])")
# Indonesian mobile numbers: 08…, +62 8…, 62 8…, with optional spaces/dots/dashes; 10–13 digits in the 0-form.
PHONE_RE = re.compile(r"(?<![\d+])\(?(?:\+62|62|0)\)?[ .-]?\(?8\d{1,3}\)?(?:[ .-]?\d){6,9}(?!\d)")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

PATTERNS = (("nik", NIK_RE), ("phone", PHONE_RE), ("email", EMAIL_RE))
CONTEXT = 30


def mask(value: str) -> str:
    """Keep the first two and last two letters or digits (enough to find it again), star the rest."""
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    keep = set(positions[:2] + positions[-2:])
    return "".join(c if (i in keep or not c.isalnum()) else "*" for i, c in enumerate(value))


def scan_personal_data(text: str) -> list[dict]:
    """Findings [{kind, excerpt}] in reading order; each excerpt is the found value in its context, with
    every personal value in it masked (an excerpt never carries a whole NIK, number or address)."""
    matches: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:  # NIK first: a 16-digit NIK must not also count as a phone number
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            digits = sum(c.isdigit() for c in m.group())
            if kind == "phone" and not 9 <= digits <= 14:
                continue
            matches.append((m.start(), m.end(), kind))
            taken.append((m.start(), m.end()))
    matches.sort()
    masked = list(text)
    for start, end, _kind in matches:
        masked[start:end] = list(mask(text[start:end]))
    masked_text = "".join(masked)
    findings = []
    for start, end, kind in matches[:MAX_FINDINGS]:
        left = max(0, start - CONTEXT)
        right = min(len(text), end + CONTEXT)
        excerpt = " ".join(masked_text[left:right].split())
        findings.append({"kind": kind, "excerpt": ("…" if left else "") + excerpt + ("…" if right < len(text) else "")})
    return findings


def scan_document_fields(fields: dict[str, str]) -> list[dict]:
    """Findings [{kind, excerpt, field}] over several texts of one document (title, summary, file name, the
    extracted text), in the given order; each finding names the field it was found in."""
    findings = []
    for field, value in fields.items():
        findings.extend({**finding, "field": field} for finding in scan_personal_data(value or ""))
    return findings
