"""The one WeasyPrint renderer: a Django template and a context become PDF bytes, as PDF/A-3b (the archive keeps
what the portal prints), with a letter's archival description in its metadata when it is one."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from ppid_portal.clock import WITA

# The archival variant every PDF is written in: PDF/A-3 level B (visual appearance kept; fonts embedded,
# colours in a declared sRGB output intent, XMP metadata).
PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class ArchiveMeta:
    """How a letter describes itself to an archive: printed into the Info dictionary (custom keys `PPID…`)
    and the XMP (dc:title, dc:creator, dc:description, pdf:Keywords, xmp:CreateDate)."""

    title: str
    reference: str  # registration number, objection number, or the report's year
    opd: str
    date: dt.datetime
    classification_code: str
    retention: str
    verification_url: str = ""

    def description(self) -> str:
        return (f"{self.title}; Nomor: {self.reference}; OPD: {self.opd}; "
                f"Kode klasifikasi: {self.classification_code}; Retensi: {self.retention}")

    def keywords(self) -> list[str]:
        return [f"Nomor {self.reference}", f"OPD {self.opd}", f"Klasifikasi {self.classification_code}",
                f"Retensi {self.retention}"]

    def custom(self) -> dict[str, str]:
        return {"PPIDNumber": self.reference, "PPIDOPD": self.opd,
                "PPIDDate": self.date.astimezone(WITA).date().isoformat(),
                "PPIDClassificationCode": self.classification_code, "PPIDRetention": self.retention,
                "PPIDVerificationURL": self.verification_url}


def qr_svg(url: str) -> str:
    """The verification link as an inline SVG QR code (vector, so it stays sharp and needs no image colour space)."""
    import segno

    return mark_safe(segno.make(url, error="m").svg_inline(scale=2, border=2))  # noqa: S308 - segno's own markup


def render_pdf(template_name: str, context: dict, *, language: str = "id", archive: ArchiveMeta | None = None) -> bytes:
    # Imported lazily: WeasyPrint loads Pango at import, which web requests that never print don't need.
    from weasyprint import HTML

    extra = {}
    if archive is not None and archive.verification_url:
        extra["verification"] = {"url": archive.verification_url, "qr": qr_svg(archive.verification_url)}
    with translation.override(language):
        html = render_to_string(template_name, {"regency": settings.PPID_REGENCY_NAME, **context, **extra})
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    if archive is not None:
        meta = document.metadata
        meta.title = archive.title
        meta.authors = [archive.opd]
        meta.description = archive.description()
        meta.keywords = archive.keywords()
        meta.created = archive.date.astimezone(WITA).isoformat(timespec="seconds")
        meta.modified = meta.created
        meta.custom = archive.custom()
    return document.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=archive is not None)
