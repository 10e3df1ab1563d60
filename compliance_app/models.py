"""The narrative parts of the yearly service report (Perki SLIP Pasal 56), written by PPID Utama."""

from django.conf import settings
from django.db import models


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
