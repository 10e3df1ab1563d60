"""A real Celery worker (in a thread) consuming from Redis delivers an outbox notification, and the re-send
task runs through the broker too. Needs REDIS_URL (marked `redis`; REQUIRE_SERVICES=1 in CI)."""

import datetime as dt
import os
import time

import pytest
from django.core import mail
from django.db import connection

from requests_app.models import Notification, NotificationStatus
from requests_app.tracking import display


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def live_worker(transactional_db):
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from ppid_portal.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.task_always_eager = False

    def close_db(**kwargs):
        # The worker thread has its own database connection; don't leave it open for the test DB teardown.
        connection.close()

    task_postrun.connect(close_db, weak=False)
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)
    except Exception:
        pass
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        yield app
    task_postrun.disconnect(close_db)
    app.conf.update(saved)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_delivers_notifications_from_the_outbox(live_worker, submit, officer):
    import time_machine

    mail.outbox.clear()
    # The worker lives on the same (travelled) clock: the receipt's first send, which carries the tracking code,
    # expires if no worker takes it within half an hour.
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        submission = submit()
        case = submission.case
        # The request's transaction committed: its on_commit hook put two tasks on Redis; the worker sends them.
        rows = Notification.objects.filter(case=case)
        assert rows.count() == 2
        assert _wait_for(lambda: not rows.exclude(status=NotificationStatus.SENT).exists())
    assert sorted(m.to[0] for m in mail.outbox) == ["petugas@example.org", "siti@example.org"]
    receipt = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert case.registration_number in receipt.subject
    # The first attempt, through the broker, had the code (grouped as the screen shows it).
    assert display(submission.tracking_code) in receipt.body
    assert receipt.attachments[0][1].startswith(b"%PDF")
    assert all(r.attempts == 1 for r in rows)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_resend_task_through_the_broker_sends_a_pending_notification(live_worker, submit, officer):
    from unittest import mock

    from celery.app.task import Task
    from celery.result import EagerResult

    from requests_app.tasks import resend_notifications_task

    with mock.patch.object(Task, "apply_async", side_effect=ConnectionError("broker down")):
        case = submit().case
    rows = Notification.objects.filter(case=case)
    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.PENDING}
    mail.outbox.clear()
    # Beat's next tick: the rows were due at once (their send could not be queued).
    assert not isinstance(resend_notifications_task.delay(), EagerResult)  # really through Redis
    assert _wait_for(lambda: not rows.exclude(status=NotificationStatus.SENT).exists())
    assert sorted(m.to[0] for m in mail.outbox) == ["petugas@example.org", "siti@example.org"]
