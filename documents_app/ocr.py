"""Recognising the text of a scan (a PDF of page images, a JPEG/PNG). Pure functions around two Debian programs,
run as subprocesses with a timeout: OCRmyPDF (/usr/bin/ocrmypdf, on the system Python) writes a PDF with a text
layer over the original images; Ghostscript renders the pages and Tesseract's TSV output gives the word
confidences. No database here.

Why OCRmyPDF: it keeps the scanned images as they are and lays the recognised text under them (the PDF looks the
same, its text can be searched and copied), it takes both PDFs and images, and it drives Tesseract page by page
with the settings Tesseract needs (deskew, resolution)."""

import csv
import io
import logging
import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

# The kinds of file OCR can read; other kinds without text (an empty spreadsheet) are only confirmed by hand.
OCR_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/tiff"}

# Fewer letters and digits than this and the file counts as having no text layer (a scan whose only text is a
# page number a scanner stamped on it): it is OCR'd. Any real text layer, even a two-word page, has more.
MIN_TEXT_CHARS = 5

LANGUAGES = "ind+eng"

# The resolution assumed for an image that does not say its own (a phone photo, a PNG), and the one the pages
# are rendered at for the confidence pass: a typed page at 300 dpi is what Tesseract reads best.
DEFAULT_IMAGE_DPI = 300
CONFIDENCE_DPI = 300


class OcrError(Exception):
    """OCR could not finish. The message is for the officer (stored as the document's OCR failure reason)."""


class OcrTimeout(OcrError):
    pass


@dataclass(frozen=True)
class OcrResult:
    pdf: bytes
    confidence: float | None
    pages: int


def needs_ocr(text: str, content_type: str) -> bool:
    """A PDF or image whose extracted text is empty or negligible."""
    if content_type not in OCR_TYPES:
        return False
    return len(re.findall(r"\w", text or "")) < MIN_TEXT_CHARS


def _run(args: list[str], deadline: float, what: str) -> subprocess.CompletedProcess:
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        raise OcrTimeout(_("OCR melebihi batas waktu."))
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False,  # noqa: S603 (fixed argv)
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except FileNotFoundError as exc:
        raise OcrError(_("%(program)s tidak terpasang di server (%(path)s).") % {"program": what, "path": args[0]}) \
            from exc
    except PermissionError as exc:
        raise OcrError(_("%(program)s tidak dapat dijalankan (%(path)s).") % {"program": what, "path": args[0]}) \
            from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeout(_("OCR melebihi batas waktu.")) from exc


def _image_dpi(data: bytes) -> int | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            dpi = img.info.get("dpi")
    except Exception:  # noqa: BLE001 (OCRmyPDF reports the damaged file itself)
        return None
    if dpi and dpi[0] and float(dpi[0]) >= 50:
        return None
    return DEFAULT_IMAGE_DPI


# OCRmyPDF's exit codes (ocrmypdf.ExitCode) worth their own words for the officer.
_EXIT_REASONS = {
    2: gettext_lazy("Berkas tidak dapat dibaca sebagai PDF atau gambar."),
    3: gettext_lazy("Program pendukung OCR (Tesseract atau Ghostscript) tidak tersedia."),
    4: gettext_lazy("Hasil OCR tidak valid."),
    8: gettext_lazy("PDF terenkripsi; buka kuncinya sebelum diunggah."),
}


def ocr_to_pdf(data: bytes, content_type: str, *, binary: str, deadline: float) -> bytes:
    """The searchable PDF of a scan: OCRmyPDF with Indonesian and English, pages that already have text left as
    they are (--skip-text). Raises OcrError/OcrTimeout with the reason."""
    with tempfile.TemporaryDirectory(prefix="ppid-ocr-") as tmp:
        src = Path(tmp) / ("in.pdf" if content_type == "application/pdf" else "in.img")
        out = Path(tmp) / "out.pdf"
        src.write_bytes(data)
        args = [binary, "-l", LANGUAGES, "--output-type", "pdf", "--skip-text", "--optimize", "0", "--jobs", "1",
                "--quiet"]
        if content_type != "application/pdf":
            dpi = _image_dpi(data)
            if dpi:
                args += ["--image-dpi", str(dpi)]
        args += [str(src), str(out)]
        done = _run(args, deadline, "OCRmyPDF")
        if done.returncode != 0 or not out.exists():
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            log.info("ocrmypdf exit %s: %s", done.returncode, tail[0])
            reason = _EXIT_REASONS.get(done.returncode)
            raise OcrError(str(reason) if reason else _("OCR gagal (kode %(code)s): %(detail)s")
                           % {"code": done.returncode, "detail": tail[0][:200]})
        return out.read_bytes()


def mean_confidence(pdf: bytes, *, gs_binary: str, tesseract_binary: str, deadline: float) -> tuple[float | None, int]:
    """Tesseract's mean word confidence (0–100) over the pages, and the number of pages. The pages are rendered
    by Ghostscript (which OCRmyPDF needs anyway) and read again by Tesseract in TSV: OCRmyPDF does not report
    its confidences, so this second pass is the honest figure. None when no word was recognised."""
    with tempfile.TemporaryDirectory(prefix="ppid-conf-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        done = _run([gs_binary, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray",
                     f"-r{CONFIDENCE_DPI}", "-o", str(Path(tmp) / "page-%04d.png"), str(src)], deadline, "Ghostscript")
        if done.returncode != 0:
            raise OcrError(_("Halaman tidak dapat dirender untuk mengukur keyakinan OCR."))
        pages = sorted(Path(tmp).glob("page-*.png"))
        confidences: list[float] = []
        for page in pages:
            done = _run([tesseract_binary, str(page), "-", "-l", LANGUAGES, "tsv"], deadline, "Tesseract")
            if done.returncode != 0:
                raise OcrError(_("Tesseract gagal membaca halaman."))
            confidences += tsv_word_confidences(done.stdout.decode("utf-8", "replace"))
        if not confidences:
            return None, len(pages)
        return round(sum(confidences) / len(confidences), 1), len(pages)


def tsv_word_confidences(tsv: str) -> list[float]:
    """The confidence of every recognised word in Tesseract's TSV (level 5 rows with text; -1 is no word)."""
    out = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            if row.get("level") == "5" and (row.get("text") or "").strip() and float(row["conf"]) >= 0:
                out.append(float(row["conf"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def ocr_document(data: bytes, content_type: str, *, ocrmypdf_binary: str, gs_binary: str, tesseract_binary: str,
                 timeout: float) -> OcrResult:
    """OCR a scan: the searchable PDF and its mean confidence. All the subprocesses together get `timeout`
    seconds; one still running then is killed (OcrTimeout)."""
    deadline = time.monotonic() + timeout
    pdf = ocr_to_pdf(data, content_type, binary=ocrmypdf_binary, deadline=deadline)
    confidence, pages = mean_confidence(pdf, gs_binary=gs_binary, tesseract_binary=tesseract_binary,
                                        deadline=deadline)
    return OcrResult(pdf=pdf, confidence=confidence, pages=pages)
