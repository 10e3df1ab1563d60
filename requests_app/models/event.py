from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Permohonan diterima")
    ACKNOWLEDGED = "acknowledged", _("Permohonan diproses")
    ASSIGNED = "assigned", _("Petugas ditunjuk")
    EXTENDED = "extended", _("Jangka waktu diperpanjang")
    ANSWERED = "answered", _("Pemberitahuan tertulis dikirim")
    FORWARDED = "forwarded", _("Permohonan diteruskan")
    CLOSED = "closed", _("Permohonan selesai")
    WITHDRAWN = "withdrawn", _("Permohonan dicabut")
    OVERDUE = "overdue", _("Melewati batas waktu")
    REMINDER = "reminder", _("Pengingat batas waktu")
    DUE_DATE_CHANGED = "due_date_changed", _("Batas waktu berubah")
    OBJECTION_FILED = "objection_filed", _("Keberatan diajukan")
    OBJECTION_ANSWERED = "objection_answered", _("Keberatan ditanggapi")
    OBJECTION_REFERRED = "objection_referred", _("Sengketa diajukan ke Komisi Informasi")
    DOCUMENT_PUBLISHED = "document_published", _("Dokumen dipublikasikan")
    PERSONAL_DATA_CHECK = "personal_data_check", _("Pemeriksaan data pribadi")
    ATTACHMENT_ADDED = "attachment_added", _("Lampiran ditambahkan")
    # Requester and officer write to each other on the case (services.messages): `note` is the text as written,
    # `data["author"]` is "requester" or "officer" (the officer is also the actor; the requester's has none).
    MESSAGE = "message", _("Pesan")
    # An officer handed a letter over to the requester (in person, by post or courier) and kept the receipt of it.
    LETTER_DELIVERED = "letter_delivered", _("Surat diserahkan kepada pemohon")
    # Internal: someone gave the case's number and contact on record and asked for a new tracking code (never
    # the code itself; `data["issued"]` says whether one was made and sent).
    TRACKING_CODE_REQUEST = "tracking_code_request", _("Permintaan kode pelacakan baru")
    # Internal: the retention sweep deleted the requester's identity scan (the register's text columns stay).
    IDENTITY_DOCUMENT_PURGED = "identity_document_purged", _("Dokumen identitas dihapus (masa retensi berakhir)")
    # Internal: the identity scan still owed by a request recorded at the desk was handed over and attached.
    IDENTITY_DOCUMENT_ADDED = "identity_document_added", _("Dokumen identitas dilampirkan")


class CaseEvent(models.Model):
    """One immutable line of a case's history. Never updated or deleted."""

    case = models.ForeignKey("requests_app.Case", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["kind", "at"])]

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Case events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are immutable")

    @property
    def note_display(self) -> str:
        """The note in the reader's language where the portal wrote it (requests_app.event_notes)."""
        from requests_app.event_notes import note_display

        return note_display(self)
