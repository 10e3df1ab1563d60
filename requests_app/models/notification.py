from django.conf import settings
from django.db import models


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"


class Notification(models.Model):
    """Outbox row: written in the same transaction as the event it tells of, sent by a task after commit.

    `dedupe_key` makes each notice unique (for example `reminder3:<case>:<due date>:<user>`), so a re-run
    of the sweep or a second worker cannot send it twice.
    """

    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    case = models.ForeignKey("requests_app.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    objection = models.ForeignKey("requests_app.Objection", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notifications")
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recipient_email = models.EmailField(blank=True)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    attachment_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "created_at"], name="notif_pending_idx"),
            models.Index(fields=["recipient_user", "created_at"], name="notif_user_idx"),
        ]


class DeadlineNotice(models.Model):
    """The sweep's ledger: one row per (case or objection, threshold, due date), claimed before any
    notification of that threshold is written. The unique constraints are the arbiter between racing
    sweeps, so a threshold's notices and its `reminder` event are produced exactly once.

    For a case it is also the outbox of the fan-out: the sweep only claims the row; a task writes the
    notifications and the `reminder` event and sets `dispatched_at` (issue 7). A row left undispatched (broker
    down, worker died) is re-enqueued by a later sweep."""

    case = models.ForeignKey("requests_app.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="deadline_notices")
    objection = models.ForeignKey("requests_app.Objection", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="deadline_notices")
    kind = models.CharField(max_length=16)  # reminder3 / reminder1 / due_today / overdue
    due_date = models.DateField()
    created_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep's re-enqueue of undispatched rows: only those, so it costs nothing once they are sent.
            models.Index(fields=["created_at"], condition=models.Q(dispatched_at__isnull=True),
                         name="deadline_undispatched_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due_date"], name="uniq_case_deadline_notice"),
            models.UniqueConstraint(fields=["objection", "kind", "due_date"], name="uniq_objection_deadline_notice"),
        ]
