"""The list of exempted information (DIK, Daftar Informasi yang Dikecualikan): what an OPD withholds, on which
UU 14/2008 Pasal 17 letter, with its consequence test (uji konsekuensi, Pasal 19) and for how long (Pasal 20: an
exemption is not for ever). A refusal and a partial grant rest on one entry valid on the day of the decision."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from requests_app.models.case import Exemption

DIK_INFORMATION_MAX_LENGTH = 1000
DIK_LEGAL_BASIS_MAX_LENGTH = 500
DIK_CONSEQUENCE_MAX_LENGTH = 5000

# The values a revision keeps of the entry it changed (DikRevision), in the order the history shows them.
DIK_REVISED_FIELDS = ("information", "exemption", "legal_basis", "consequence", "decided_on", "valid_until")


class DikEntryQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Entries that may ground a decision made on `day`: decided on or before it, not yet past valid_until."""
        return self.filter(decided_on__lte=day, valid_until__gte=day)

    def expired_on(self, day):
        return self.filter(valid_until__lt=day)


class DikEntry(models.Model):
    """One entry of an OPD's DIK, decided by its Atasan PPID (or PPID Utama). Revised in place; each revision keeps
    the values it replaced in DikRevision, with who revised and when."""

    opd = models.ForeignKey("opd_app.OPD", on_delete=models.PROTECT, related_name="dik_entries")
    information = models.CharField(_("informasi yang dikecualikan"), max_length=DIK_INFORMATION_MAX_LENGTH)
    exemption = models.CharField(_("huruf pengecualian Pasal 17"), max_length=1, choices=Exemption.choices)
    legal_basis = models.CharField(_("dasar hukum"), max_length=DIK_LEGAL_BASIS_MAX_LENGTH)
    consequence = models.CharField(_("uji konsekuensi"), max_length=DIK_CONSEQUENCE_MAX_LENGTH)
    decided_on = models.DateField(_("ditetapkan pada"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    valid_until = models.DateField(_("berlaku sampai"))
    revision = models.PositiveIntegerField(default=1)
    # The valid_until whose expiry reminder the sweep has sent (deadlines/dik_expiry.py): a new valid_until owes a
    # new reminder, the same one never twice.
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = DikEntryQuerySet.as_manager()

    class Meta:
        ordering = ["opd__code", "-decided_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=F("decided_on")), name="dik_valid_after_decided"),
        ]
        indexes = [
            models.Index(fields=["opd", "valid_until"], name="dik_opd_valid_idx"),
            # The sweep's expiry window reads entries by valid_until only: its cost follows the entries that end
            # soon, not the whole list.
            models.Index(fields=["valid_until"], name="dik_valid_until_idx"),
        ]

    def __str__(self):
        return f"{self.opd_id} — Pasal 17 {self.exemption} — {self.information[:60]}"

    def is_valid_on(self, day) -> bool:
        return self.decided_on <= day <= self.valid_until


class DikRevision(models.Model):
    """The values of a DikEntry before one revision, with who revised it and when (immutable history)."""

    entry = models.ForeignKey(DikEntry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="the entry's revision these values belonged to")
    information = models.CharField(max_length=DIK_INFORMATION_MAX_LENGTH)
    exemption = models.CharField(max_length=1, choices=Exemption.choices)
    legal_basis = models.CharField(max_length=DIK_LEGAL_BASIS_MAX_LENGTH)
    consequence = models.CharField(max_length=DIK_CONSEQUENCE_MAX_LENGTH)
    decided_on = models.DateField()
    valid_until = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revised_at = models.DateTimeField()

    class Meta:
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="uniq_dik_revision")]

    def __str__(self):
        return f"{self.entry_id} r{self.number}"
