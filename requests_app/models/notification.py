import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

# A row is written with its first send already queued on commit (or queued by the re-send path): it is not
# due for the re-send path again until this has passed, so a send waiting in the queue is not queued twice. Short,
# because a send message lost with the broker (a Redis without persistence dies) is re-queued only after it.
IN_FLIGHT_LEASE = dt.timedelta(seconds=30)


def in_flight_until() -> dt.datetime:
    """The default `next_attempt_at` of a new row: now + IN_FLIGHT_LEASE."""
    return timezone.now() + IN_FLIGHT_LEASE


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "e-mail"
    SMS = "sms", "SMS"


class Notification(models.Model):
    """Outbox row: written in the same transaction as the event it tells of, sent by a task after commit.

    `dedupe_key` makes each notice unique (for example `reminder3:<case>:<due date>:<user>`), so a re-run
    of the sweep or a second worker cannot send it twice.

    `channel`: an e-mail (to `recipient_email`, `subject` and `body`, with its attachments) or a text message (to
    `recipient_phone`, the text in `body`; its key is the e-mail's with ":sms" appended). Both go the same way:
    the same send task, backoff, give-up and re-send path.

    Delivery (services/notify.py): a pending row is sent when a task takes it; a transient failure keeps it
    pending with `next_attempt_at` pushed back (growing backoff) until PPID_NOTIFY_GIVE_UP_DAYS after
    `pending_since`; a permanent refusal, or that limit, makes it `failed`. The re-send path queues pending rows
    whose `next_attempt_at` has passed. An admin's "send again" puts a failed row back to pending with a fresh
    `pending_since`.
    """

    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    case = models.ForeignKey("requests_app.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="notifications")
    objection = models.ForeignKey("requests_app.Objection", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="notifications")
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recipient_email = models.EmailField(blank=True)
    channel = models.CharField(max_length=8, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL,
                               db_default=NotificationChannel.EMAIL)
    recipient_phone = models.CharField(max_length=32, blank=True, default="", db_default="")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    attachment_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the re-send path may queue this row (again); see IN_FLIGHT_LEASE. A row inserted by SQL (the bench's
    # seed) is due at once.
    next_attempt_at = models.DateTimeField(default=in_flight_until, db_default=Now())
    # Start of the current pending period: the give-up limit counts from here.
    pending_since = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        indexes = [
            # The re-send path's query (every minute): only pending rows, by when they are due.
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="notif_due_idx"),
            models.Index(fields=["recipient_user", "created_at"], name="notif_user_idx"),
        ]


class DeadlineNotice(models.Model):
    """The sweep's ledger: one row per (case or objection, threshold, due date), claimed before any
    notification of that threshold is written. The unique constraints are the arbiter between racing
    sweeps, so a threshold's notices and its `reminder` event are produced exactly once.

    For a case it is also the outbox of the fan-out: the sweep only claims the row; a task writes the
    notifications and the `reminder` event and sets `dispatched_at`. A row left undispatched (broker
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
