"""The sweep hands its notifications to the broker in batches; one failing row does not stop the others."""

import datetime as dt

from django.core import mail
from django.core.mail import EmailMessage

from ppid_portal.clock import now
from requests_app.models import Notification, NotificationStatus
from requests_app.services.notify import notifications_enqueue
from requests_app.tasks import send_notifications_task


def _row(key, email):
    return Notification.objects.create(dedupe_key=key, kind="test", recipient_email=email, subject="Uji",
                                       body="Isi", created_at=now())


def test_a_failing_row_stays_pending_and_the_rest_are_sent(db, monkeypatch):
    ok, bad, ok2 = _row("a", "a@example.org"), _row("b", "bad@example.org"), _row("c", "c@example.org")
    real_send = EmailMessage.send

    def send(message, fail_silently=False):
        if message.to == ["bad@example.org"]:
            raise ConnectionRefusedError("smtp down")
        return real_send(message, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", send)
    assert send_notifications_task.apply(args=[[ok.pk, bad.pk, ok2.pk]]).get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "c@example.org"]
    bad.refresh_from_db()
    assert (bad.status, bad.attempts) == (NotificationStatus.PENDING, 1)
    assert "smtp down" in bad.last_error
    # Sending the batch again sends nothing twice.
    monkeypatch.setattr(EmailMessage, "send", real_send)
    assert send_notifications_task.apply(args=[[ok.pk, bad.pk, ok2.pk]]).get() == 1
    assert len(mail.outbox) == 3


def test_enqueue_uses_one_message_per_batch(db, monkeypatch):
    calls = []
    app = send_notifications_task.app
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(send_notifications_task, "apply_async", lambda args, producer=None: calls.append(args[0]))
    notifications_enqueue(list(range(1, 251)))
    assert [len(batch) for batch in calls] == [100, 100, 50]
    assert [pk for batch in calls for pk in batch] == list(range(1, 251))


def test_enqueue_with_broker_down_leaves_rows_pending(db, monkeypatch):
    row = _row("x", "x@example.org")
    app = send_notifications_task.app
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(send_notifications_task, "apply_async", down)
    notifications_enqueue([row.pk])
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    assert dt.timedelta(0) <= now() - row.created_at < dt.timedelta(minutes=1)
    # Due for the re-send path at once, not after the in-flight lease of a row whose send was queued.
    assert row.next_attempt_at <= now()
