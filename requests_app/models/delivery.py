"""Letters that wait to be handed over to the requester (no e-mail, or delivery by pickup, post or courier)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from requests_app import rules
from requests_app.models.case import CaseAttachment

# The letters the portal writes for the requester (requests_app.letters.LETTER_TEMPLATES), by the names their kept
# copies carry: the choices of LetterDelivery.letter.
LETTER_CHOICES = [(value, label) for value, label in CaseAttachment.Kind.choices
                  if value != CaseAttachment.Kind.MATERIAL]

RECIPIENT_NAME_MAX_LENGTH = 200
HANDOVER_NOTE_MAX_LENGTH = 1000


class HandoverMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Diserahkan langsung")
    POST = "post", _("Pos")
    COURIER = "courier", _("Kurir")
    OTHER = "other", pgettext_lazy("handover method", "Lainnya")


def delivery_receipt_upload_to(instance, filename):
    import secrets

    return f"private/deliveries/{secrets.token_hex(16)}.pdf"


class LetterDeliveryQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(delivered_at__isnull=True)

    def delivered(self):
        return self.filter(delivered_at__isnull=False)

    def overdue_on(self, today):
        return self.filter(rules.delivery_overdue_filter(today))

    def delete(self):
        from ppid_portal.files import files_delete_on_commit

        names = list(self.exclude(receipt_file="").values_list("receipt_file", flat=True))
        result = super().delete()
        files_delete_on_commit(names)
        return result


class LetterDelivery(models.Model):
    """One letter for the requester that an officer of `opd` hands over (in person, by post or courier) and
    records: when, how, to whom. Written in the transaction that issues the letter
    (requests_app.services.requester_notices), once per letter as issued: the kept copy of a numbered letter
    (`attachment`, so a follow-up written notice after an upheld keberatan is a second letter), or the case's
    receipt (tanda bukti, rebuilt from the case and not kept). Recording the handover stores the receipt of
    delivery (tanda bukti penyerahan) as a PDF and writes the case's `letter_delivered` event."""

    case = models.ForeignKey("requests_app.Case", on_delete=models.CASCADE, related_name="letter_deliveries")
    objection = models.ForeignKey("requests_app.Objection", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="letter_deliveries")
    # The OPD that issued the letter: its officers hand it over (a case forwarded later leaves it with them).
    opd = models.ForeignKey("opd_app.OPD", on_delete=models.PROTECT, related_name="letter_deliveries")
    letter = models.CharField(max_length=24, choices=LETTER_CHOICES)
    # The letter as issued and e-mailed (numbered letters); none for the receipt, rendered from the case.
    attachment = models.OneToOneField(CaseAttachment, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="delivery")
    issued_at = models.DateTimeField()
    due_on = models.DateField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=16, choices=HandoverMethod.choices, blank=True)
    recipient_name = models.CharField(max_length=RECIPIENT_NAME_MAX_LENGTH, blank=True)
    note = models.CharField(max_length=HANDOVER_NOTE_MAX_LENGTH, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    receipt_file = models.FileField(upload_to=delivery_receipt_upload_to, blank=True)

    objects = LetterDeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            # The receipt (no kept copy) once per case; a numbered letter once through its one-to-one attachment.
            models.UniqueConstraint(fields=["case", "letter"], condition=models.Q(attachment__isnull=True),
                                    name="uniq_delivery_unkept_letter"),
        ]
        indexes = [
            # The OPD's list of letters still to deliver, oldest first: only those, so it costs nothing per letter
            # handed over long ago.
            models.Index(fields=["opd", "issued_at"], condition=models.Q(delivered_at__isnull=True),
                         name="delivery_waiting_idx"),
            models.Index(fields=["opd", "delivered_at"], name="delivery_done_idx"),
            models.Index(fields=["issued_at"], name="delivery_issued_idx"),
        ]

    def __str__(self):
        return f"{self.get_letter_display()} — {self.case_id}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None

    @property
    def delivered_late(self) -> bool:
        """Handed over after its due day (rules.delivered_late, on the WITA date of the handover)."""
        from ppid_portal.clock import wita_date

        return self.is_delivered and rules.delivered_late(wita_date(self.delivered_at), self.due_on)

    def is_overdue(self, today=None) -> bool:
        from ppid_portal.clock import today_wita

        return rules.delivery_is_overdue(self.is_delivered, self.due_on, today or today_wita())

    def delete(self, *args, **kwargs):
        from ppid_portal.files import files_delete_on_commit

        name = self.receipt_file.name
        result = super().delete(*args, **kwargs)
        files_delete_on_commit([name])
        return result
