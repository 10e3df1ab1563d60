"""The notification outbox: a row first (in the caller's transaction), a task second (on commit).

A broker outage therefore loses nothing: the row stays pending and the deadline sweep re-enqueues it.
"""

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from requests_app.models import Notification, NotificationStatus
from requests_app.services.clock import now


def _enqueue(notification_id: int) -> None:
    from requests_app.tasks import send_notification_task

    try:
        send_notification_task.delay(notification_id)
    except Exception:  # broker down: the row stays pending and the sweep sends it later
        import logging

        logging.getLogger(__name__).warning("broker unavailable; notification %s left pending", notification_id)


def notification_queue(*, dedupe_key: str, kind: str, template: str, context: dict, recipient_user=None,
                       recipient_email: str = "", case=None, objection=None, attachment_ids=None,
                       language: str = "id") -> Notification | None:
    """Write one notification row (unique by dedupe_key) and send it after commit. None if already queued."""
    email = recipient_email or (recipient_user.email if recipient_user else "")
    if not email:
        return None
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    try:
        with transaction.atomic():
            row = Notification.objects.create(
                dedupe_key=dedupe_key[:200], kind=kind, case=case, objection=objection,
                recipient_user=recipient_user, recipient_email=email, subject=subject[:255], body=body,
                attachment_ids=attachment_ids or [], created_at=now(),
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def _attachments_for(notification: Notification):
    from requests_app import letters
    from requests_app.models import CaseAttachment

    files = []
    for spec in notification.attachment_ids:
        if isinstance(spec, str) and spec.startswith("letter:"):
            files.append(letters.render_named(spec.removeprefix("letter:"), notification))
        else:
            att = CaseAttachment.objects.filter(pk=spec).first()
            if att:
                with att.file.open("rb") as fh:
                    files.append((att.filename, fh.read(), att.content_type))
    return files


def notification_send(notification_id: int) -> bool:
    """Send one pending notification. Idempotent: a sent row is never sent again. Returns True if sent now."""
    failure = None
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if row is None:
            return False
        message = EmailMessage(subject=row.subject, body=row.body, to=[row.recipient_email])
        for filename, content, mime in _attachments_for(row):
            message.attach(filename, content, mime)
        row.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if row.attempts >= 8:
                row.status = NotificationStatus.FAILED
            row.save(update_fields=["attempts", "last_error", "status"])
            failure = exc
        else:
            row.status = NotificationStatus.SENT
            row.sent_at = now()
            row.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    if failure is not None:
        # Raised after the attempt is committed, so the task's retry sees the count.
        raise failure
    return True
