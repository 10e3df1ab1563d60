"""Reading a document's text and looking for personal data in it. Pure functions: no database."""

import io
import re
import zipfile
from xml.etree import ElementTree

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
    """The file's text could not be read (damaged or encrypted file)."""


def extract_text(data: bytes, content_type: str) -> str:
    """Plain text of a PDF, a text file or an Office/OpenDocument file; "" for images and other kinds."""
    if content_type == "application/pdf":
        text = _pdf_text(data)
    elif content_type.startswith("text/"):
        text = data.decode("utf-8", errors="replace")
    elif content_type in OFFICE_XML_PARTS:
        text = _office_text(data, OFFICE_XML_PARTS[content_type])
    else:
        return ""
    return text.replace("\x00", "")[:MAX_TEXT_CHARS]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        parts, total = [], 0
        for page in reader.pages:
            chunk = page.extract_text() or ""
            parts.append(chunk)
            total += len(chunk)
            if total > MAX_TEXT_CHARS:
                break
        return "\n".join(parts)
    except (PyPdfError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise ExtractionError(str(exc)) from exc


def _office_text(data: bytes, prefixes: tuple[str, ...]) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(n for n in archive.namelist() if n.endswith(".xml") and n.startswith(prefixes))
            parts = []
            for name in names:
                info = archive.getinfo(name)
                if info.file_size > 50 * 1024 * 1024:  # a zip bomb is not a document
                    raise ExtractionError("part too large")
                root = ElementTree.fromstring(archive.read(name))
                # Paragraph-ish breaks: every element's text, separated so words never glue together.
                parts.append(" ".join(t.strip() for t in root.itertext() if t.strip()))
            return "\n".join(parts)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError) as exc:
        raise ExtractionError(str(exc)) from exc


# Personal data (DESIGN §2, §7) ------------------------------------------------------------------------
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
