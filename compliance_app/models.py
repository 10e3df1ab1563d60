"""The yearly service report (Perki SLIP Pasal 56): its narrative parts, written by PPID Utama, and the record of
each background build of its PDF."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportNarrative(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    # {section key: text}; the keys are compliance_app.reports.NARRATIVE_SECTIONS'.
    sections = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField()

    class Meta:
        # The table requests_app created before the figures became their own app: the rows stay where they are.
        db_table = "requests_app_reportnarrative"

    def __str__(self):
        return f"Laporan {self.year}"


class BuildState(models.TextChoices):
    QUEUED = "queued", _("Menunggu giliran")
    RUNNING = "running", _("Sedang disusun")
    DONE = "done", _("Sudah disusun")
    FAILED = "failed", _("Gagal")


class BuildStep(models.IntegerChoices):
    """The build's steps in order; a running build shows which one it is on ("langkah 2 dari 4")."""

    FIGURES = 1, _("angka kepatuhan")
    NARRATIVE = 2, _("bagian naratif")
    CHARTS = 3, _("tren per bulan")
    PDF = 4, _("berkas PDF")


class BuildFailure(models.TextChoices):
    """Why a build failed, in words for the admin; the traceback stays in the server log."""

    BROKER = "broker", _("antrean tugas tidak dapat dihubungi, laporan tidak masuk antrean")
    STUCK = "stuck", _("tidak selesai: pekerja berhenti atau waktu habis")
    TIMEOUT = "timeout", _("penyusunan melebihi batas waktu")
    STORAGE = "storage", _("berkas laporan tidak dapat disimpan")
    ERROR = "error", _("kesalahan tak terduga; rinciannya tercatat di log server")


class ReportBuild(models.Model):
    """One background build of a year's annual report, from the admin's request to its file or its failure: the
    dashboard shows the latest one of the year instead of a flag that silently expires."""

    year = models.PositiveSmallIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=BuildState.choices, default=BuildState.QUEUED)
    # 0 before the first step; while running, the step under way; when failed, the step it failed in.
    step = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=10, choices=BuildFailure.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["year", "-requested_at"], name="compliance_build_year_idx")]

    def __str__(self):
        return f"Laporan {self.year}: {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in (BuildState.QUEUED, BuildState.RUNNING)

    @property
    def step_label(self) -> str:
        return BuildStep(self.step).label if self.step in BuildStep.values else ""


def published_report_upload_to(instance, filename):
    # Under the private prefix with a random part: the public reaches it only through the report API, which serves
    # the year's latest publication; an earlier one keeps its own file.
    import secrets

    return f"private/reports/published/laporan-layanan-informasi-publik-{instance.year}-{secrets.token_hex(8)}.pdf"


class ReportPublication(models.Model):
    """One act of publishing a year's built report (UU 14/2008 Pasal 12: the yearly report is announced to the
    public). The public is served the year's latest publication; publishing again, with a newer build, puts a new
    row first and the earlier rows stay as the record of who published what, and when."""

    year = models.PositiveSmallIntegerField()
    # The build whose PDF was published (a report stored before builds were recorded has none).
    build = models.ForeignKey(ReportBuild, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    built_at = models.DateTimeField()
    file = models.FileField(upload_to=published_report_upload_to, max_length=255)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["year", "-published_at"], name="compliance_pub_year_idx")]

    def __str__(self):
        return f"Laporan {self.year} diterbitkan {self.published_at:%Y-%m-%d}"
