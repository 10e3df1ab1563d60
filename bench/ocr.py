"""OCR throughput on this machine: N typed pages drawn with Pillow, saved as one image-only PDF (a scan), OCR'd by
the product's own path (documents_app.ocr: OCRmyPDF, then the Tesseract confidence pass) and timed. Reported as
seconds per page; no target."""

from __future__ import annotations

import io
import time

from bench.run import log

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PAGES = 4
LINES = [
    "PEMERINTAH KABUPATEN KUTAI KARTANEGARA",
    "KEPUTUSAN KEPALA DINAS NOMOR {n}/2025",
    "tentang penetapan penerima bantuan sosial",
    "Menimbang bahwa untuk melaksanakan program bantuan",
    "perumahan rakyat perlu ditetapkan penerima bantuan.",
    "Nama: Budi Santoso, NIK 6403012345678901",
    "Alamat: Jalan Mulawarman, Tenggarong",
    "Ditetapkan di Tenggarong pada tanggal 2 Januari 2025",
]


def scanned_pdf(pages: int) -> bytes:
    """An A4 page at 300 dpi per page, typed text as pixels, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 42)
    images = []
    for n in range(pages):
        img = Image.new("L", (2480, 3508), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(LINES * 3):
            draw.text((200, 250 + i * 120), line.format(n=n + 1), fill=0, font=font)
        images.append(img)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return out.getvalue()


def measure_ocr(out: dict, pages: int = PAGES) -> dict:
    from django.conf import settings

    from documents_app.ocr import OcrError, ocr_document

    log(f"OCR of {pages} scanned A4 pages…")
    data = scanned_pdf(pages)
    started = time.perf_counter()
    try:
        result = ocr_document(data, "application/pdf", ocrmypdf_binary=settings.PPID_OCRMYPDF_BINARY,
                              gs_binary=settings.PPID_GHOSTSCRIPT_BINARY,
                              tesseract_binary=settings.PPID_TESSERACT_BINARY, timeout=settings.PPID_OCR_TIME_LIMIT)
    except OcrError as exc:
        out["ocr"] = {"pages": pages, "error": str(exc)}
        log(f"  OCR failed: {exc}")
        return out["ocr"]
    seconds = time.perf_counter() - started
    out["ocr"] = {"pages": pages, "seconds": round(seconds, 2), "seconds_per_page": round(seconds / pages, 2),
                  "confidence": result.confidence}
    log(f"  {out['ocr']}")
    return out["ocr"]
