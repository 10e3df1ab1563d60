"""Letters as archive records: the classification and retention of each kind of letter, and every letter issued
with the token of its verification link and the SHA-256 of the PDF as it left the portal."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

CLASSIFICATION_CODE_MAX_LENGTH = 40
RETENTION_MAX_LENGTH = 200
CLASSIFICATION_DESCRIPTION_MAX_LENGTH = 500


class LetterKind(models.TextChoices):
    """Every kind of letter the portal writes and signs."""

    RECEIPT = "receipt", _("Tanda bukti penerimaan")
    NOTICE = "notice", _("Pemberitahuan tertulis")
    EXTENSION = "extension", _("Pemberitahuan perpanjangan")
    OBJECTION_RECEIPT = "objection_receipt", _("Tanda bukti keberatan")
    OBJECTION_ANSWER = "objection_answer", _("Tanggapan atas keberatan")
    DELIVERY_RECEIPT = "delivery_receipt", _("Tanda bukti penyerahan")
    ANNUAL_REPORT = "annual_report", _("Laporan tahunan layanan informasi publik")


class LetterClassification(models.Model):
    """The archive classification code and retention schedule (JRA) of one kind of letter, printed into every
    letter's metadata. The regency sets them from its own Klasifikasi Arsip; the seeded values are placeholders."""

    kind = models.CharField(_("jenis surat"), max_length=24, choices=LetterKind.choices, unique=True)
    code = models.CharField(_("kode klasifikasi arsip"), max_length=CLASSIFICATION_CODE_MAX_LENGTH)
    retention = models.CharField(_("jadwal retensi"), max_length=RETENTION_MAX_LENGTH)
    description = models.CharField(_("keterangan"), max_length=CLASSIFICATION_DESCRIPTION_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("klasifikasi arsip surat")
        verbose_name_plural = _("klasifikasi arsip surat")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.code})"


def new_verification_token() -> str:
    # The link is printed on a letter anyone may hold: 128 random bits, so no letter can be found by guessing.
    return secrets.token_urlsafe(16)


def issued_letter_upload_to(instance, filename):
    return f"private/letters/{secrets.token_hex(16)}.pdf"


class IssuedLetter(models.Model):
    """One letter as it left the portal. The token is made before the PDF (the PDF prints its link), the hash and
    the file after. A copy that carries a tracking code is recorded by hash only: that code is never stored."""

    token = models.CharField(max_length=32, primary_key=True, default=new_verification_token, editable=False)
    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    case = models.ForeignKey("requests_app.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="issued_letters")
    objection = models.ForeignKey("requests_app.Objection", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="issued_letters")
    # The number the letter is known by: registration number, objection number, or the report's year.
    reference = models.CharField(max_length=40)
    opd = models.ForeignKey("opd_app.OPD", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField()
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to=issued_letter_upload_to, blank=True)
    filename = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["issued_at", "token"]
        indexes = [models.Index(fields=["case", "issued_at"], name="issuedletter_case_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def kept(self) -> bool:
        return bool(self.file)
