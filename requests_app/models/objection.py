"""Keberatan (objection) against a request's handling, UU 14/2008 Pasal 35–37."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app import rules
from requests_app.rules import OBJECTION_OVERDUE_NOTICE_OWED


class ObjectionGround(models.TextChoices):
    A = "a", _("a. penolakan berdasarkan alasan pengecualian Pasal 17")
    B = "b", _("b. tidak disediakannya informasi berkala")
    C = "c", _("c. tidak ditanggapinya permintaan informasi")
    D = "d", _("d. permintaan ditanggapi tidak sebagaimana yang diminta")
    E = "e", _("e. tidak dipenuhinya permintaan informasi")
    F = "f", _("f. pengenaan biaya yang tidak wajar")
    G = "g", _("g. penyampaian informasi melebihi waktu yang diatur")


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Diajukan")
    ANSWERED = "answered", _("Ditanggapi")
    REFERRED = "referred_to_commission", _("Diajukan ke Komisi Informasi")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Dikabulkan")
    DISMISSED = "dismissed", _("Ditolak")


# The outcome as the requester and the officers read it in sentences: an upheld keberatan is "dikabulkan".
# The choice labels above are the short form of the same words, for a status line ("Ditanggapi — Dikabulkan").
OUTCOME_WORDS = {
    ObjectionOutcome.UPHELD: _("Keberatan dikabulkan"),
    ObjectionOutcome.DISMISSED: _("Keberatan ditolak"),
}


class Objection(models.Model):
    objection_number = models.CharField(max_length=48, unique=True)
    case = models.ForeignKey("requests_app.Case", on_delete=models.PROTECT, related_name="objections")
    # The OPD answering (the case's OPD when filed); kept so dashboards need no join through forwards.
    opd = models.ForeignKey("opd_app.OPD", on_delete=models.PROTECT, related_name="objections")
    ground = models.CharField(max_length=1, choices=ObjectionGround.choices)
    reason = models.TextField()
    status = models.CharField(max_length=24, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED)
    outcome = models.CharField(max_length=16, choices=ObjectionOutcome.choices, blank=True)
    filed_at = models.DateTimeField()
    received_on = models.DateField()
    due_date = models.DateField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    answer = models.TextField(blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    # The due date whose overdue notice the sweep has claimed; while it differs from due_date a filed objection
    # past its due date still owes that notice (the partial index objection_overdue_owed_idx holds only
    # those, so the sweep's overdue lookup follows the objections that cross, not the overdue backlog).
    overdue_notice_due = models.DateField(null=True, blank=True, editable=False)
    commission_deadline = models.DateField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "filed_at"]
        indexes = [
            models.Index(fields=["opd", "status", "due_date"], name="objection_queue_idx"),
            models.Index(fields=["due_date"], condition=OBJECTION_OVERDUE_NOTICE_OWED,
                         name="objection_overdue_owed_idx"),
        ]

    def __str__(self):
        return self.objection_number

    def outcome_words(self) -> str:
        """The outcome in words ("Keberatan dikabulkan" / "Keberatan ditolak"), empty before the answer."""
        return str(OUTCOME_WORDS.get(self.outcome, ""))

    def is_overdue(self, today=None) -> bool:
        from ppid_portal.clock import today_wita

        return rules.objection_is_overdue(self.status, self.due_date, today or today_wita())

    def referable(self, today=None) -> bool:
        """May the requester take this objection to the Komisi Informasi now (rules.objection_referable)."""
        from ppid_portal.clock import today_wita

        return rules.objection_referable(self.status, self.due_date, today or today_wita())


class ObjectionCounter(models.Model):
    """Per OPD per year sequence of objection numbers (KEB-<OPD>-<YYYY>-<NNNNN>), gap-free like cases'."""

    opd = models.ForeignKey("opd_app.OPD", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opd", "year"], name="uniq_objection_counter")]
