"""The record that a finished case's archive package was handed to the records office (Dinas Kearsipan)."""

from django.db import models

PACKAGE_NAME_MAX_LENGTH = 120
DESTINATION_MAX_LENGTH = 500


class ArchiveExport(models.Model):
    """One per case, written only after its package is complete in place (requests_app.services.archive): a case
    with a record is never packaged again."""

    case = models.OneToOneField("requests_app.Case", on_delete=models.PROTECT, related_name="archive_export")
    exported_at = models.DateTimeField()
    package_name = models.CharField(max_length=PACKAGE_NAME_MAX_LENGTH)
    classification_code = models.CharField(max_length=40)
    # The SHA-256 of the bag's tagmanifest-sha256.txt: it covers the manifest, hence every file of the package.
    tagmanifest_sha256 = models.CharField(max_length=64)
    destination = models.CharField(max_length=DESTINATION_MAX_LENGTH)

    class Meta:
        ordering = ["exported_at", "id"]

    def __str__(self):
        return self.package_name
