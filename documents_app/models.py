"""The public library: documents (published information), the Daftar Informasi Publik fields, their history."""

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from opd_app.models import OPD


class Category(models.TextChoices):
    """UU 14/2008 Pasal 9, 10, 11: the three kinds of information a body must make available."""

    BERKALA = "berkala", _("Informasi berkala")
    SERTA_MERTA = "serta_merta", _("Informasi serta merta")
    SETIAP_SAAT = "setiap_saat", _("Informasi tersedia setiap saat")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Dipublikasikan")
    UNPUBLISHED = "unpublished", _("Ditarik")


class InfoForm(models.TextChoices):
    SOFTCOPY = "softcopy", _("Softcopy")
    HARDCOPY = "hardcopy", _("Hardcopy")
    BOTH = "both", _("Softcopy dan hardcopy")


class ScanState(models.TextChoices):
    PENDING = "pending", _("Menunggu pemeriksaan")
    DONE = "done", _("Sudah diperiksa")
    FAILED = "failed", _("Teks tidak dapat dibaca")
    # The file broke a parser or a safety limit (damaged, a zip bomb, too slow): it cannot be published as it
    # is; a replacement file (or a re-check) clears it.
    ERROR = "error", _("Pemeriksaan gagal")


class TextSource(models.TextChoices):
    """Where the document's text (searched and checked for personal data) came from."""

    EXTRACTED = "extracted", _("Teks dari berkas")
    OCR = "ocr", _("Teks dikenali dengan OCR")
    NONE = "none", _("Tanpa teks")


class OcrState(models.TextChoices):
    """Optical character recognition of a scan (a PDF of images, a JPEG/PNG); blank when none was needed."""

    NOT_NEEDED = "", _("Tidak perlu")
    PENDING = "pending", _("OCR sedang berjalan")
    DONE = "done", _("OCR selesai")
    FAILED = "failed", _("OCR gagal")


def document_upload_to(instance, filename):
    # Random name under a private prefix: no MEDIA route exists, files leave only through the download views.
    ext = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"private/documents/{secrets.token_hex(16)}.{ext}"


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=DocumentStatus.PUBLISHED)


class Document(models.Model):
    title = models.CharField(_("judul"), max_length=300)
    summary = models.TextField(_("ringkasan"), blank=True)
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="documents")
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices)

    # Daftar Informasi Publik (Perki SLIP 1/2021) columns.
    responsible_official = models.CharField(_("pejabat/unit yang menguasai informasi"), max_length=255, blank=True)
    made_on = models.DateField(_("tanggal pembuatan"), null=True, blank=True)
    made_place = models.CharField(_("tempat pembuatan"), max_length=120, blank=True)
    info_form = models.CharField(_("bentuk informasi"), max_length=10, choices=InfoForm.choices,
                                 default=InfoForm.SOFTCOPY)
    retention = models.CharField(_("jangka waktu penyimpanan"), max_length=120, blank=True)

    # The file, kept through Django's storage API (local disk or any configured backend).
    file = models.FileField(upload_to=document_upload_to, max_length=255)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    extracted_text = models.TextField(blank=True)
    text_source = models.CharField(max_length=10, choices=TextSource.choices, default=TextSource.NONE)
    # A scan: `file` stays the original as uploaded (its sha256 is the upload's); OCR writes a copy with a text
    # layer over the same page images, which is what the public downloads once published.
    searchable_file = models.FileField(upload_to=document_upload_to, max_length=255, blank=True)
    ocr_state = models.CharField(max_length=8, choices=OcrState.choices, default=OcrState.NOT_NEEDED, blank=True)
    ocr_error = models.CharField(_("alasan OCR gagal"), max_length=300, blank=True)
    # Tesseract's mean word confidence (0–100) over the recognised pages.
    ocr_confidence = models.FloatField(null=True, blank=True)
    ocr_pages = models.PositiveIntegerField(null=True, blank=True)

    status = models.CharField(max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    unpublished_reason = models.TextField(blank=True)

    # The request it answered: only the registration number is ever shown, never the requester.
    case = models.ForeignKey("requests_app.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="documents")

    # Personal-data check of the extracted text and of the title, summary and file name: [{kind, excerpt,
    # field}] with the values masked.
    scan_state = models.CharField(max_length=8, choices=ScanState.choices, default=ScanState.PENDING)
    scan_error = models.CharField(_("alasan pemeriksaan gagal"), max_length=300, blank=True)
    personal_data_findings = models.JSONField(default=list, blank=True)
    personal_data_confirmed = models.BooleanField(default=False)
    personal_data_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                   on_delete=models.SET_NULL, related_name="+")
    # Why the officer confirmed (and so published) a document despite its personal-data findings: kept with the
    # document and on its history, so the decision and its reason stay on the record.
    publish_override_reason = models.TextField(_("alasan mempublikasikan meskipun ada temuan"), blank=True)

    # Full text (PostgreSQL): title A, summary B, extracted text C; written by services.records.document_index.
    search_vector = SearchVectorField(null=True, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        # The GIN index on search_vector is PostgreSQL-only: migration 0002 creates it there.
        indexes = [
            models.Index(fields=["status", "opd", "category"], name="document_dip_idx"),
            # The periodic look for scans that never finished reads only the pending ones.
            models.Index(fields=["updated_at"], condition=models.Q(scan_state="pending"),
                         name="document_scan_pending_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED

    @property
    def needs_confirmation(self) -> bool:
        """Findings, or a file whose text could not be read (image, scan): an officer must look and confirm."""
        return not self.personal_data_confirmed and (
            bool(self.personal_data_findings) or self.scan_state == ScanState.FAILED
        )

    @property
    def scan_status(self) -> str:
        """The check as the API tells it: `pending` while OCR or the scan runs, `failed` when either could not
        finish (publishing is refused until a retry or a replacement), else `done`."""
        if self.ocr_state == OcrState.PENDING or self.scan_state == ScanState.PENDING:
            return "pending"
        if self.ocr_state == OcrState.FAILED or self.scan_state == ScanState.ERROR:
            return "failed"
        return "done"

    @property
    def public_file(self):
        """The file the public downloads: the searchable PDF of an OCR'd scan, else the file as uploaded."""
        return self.searchable_file if self.searchable_file else self.file

    @property
    def public_filename(self) -> str:
        if not self.searchable_file:
            return self.original_filename
        return self.original_filename.rsplit(".", 1)[0] + ".pdf"

    @property
    def public_content_type(self) -> str:
        return "application/pdf" if self.searchable_file else self.content_type

    @property
    def registration_number(self) -> str:
        return self.case.registration_number if self.case_id else ""


class DocumentEvent(models.Model):
    """One immutable line of a document's history (upload, scan, confirm, publish, unpublish...)."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", _("Diunggah")
        SCANNED = "scanned", _("Diperiksa (data pribadi)")
        REPLACED = "replaced", _("Diganti dengan versi tersamar")
        CONFIRMED = "confirmed", _("Data pribadi dikonfirmasi aman")
        PUBLISHED = "published", _("Dipublikasikan")
        UNPUBLISHED = "unpublished", _("Ditarik dari publikasi")
        EDITED = "edited", _("Metadata diubah")
        OCR = "ocr", _("OCR")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
