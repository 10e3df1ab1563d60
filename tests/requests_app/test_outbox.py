"""The notification outbox: the tracking code is never stored, transient delivery failures back off without ever
becoming final, permanent refusals and the give-up limit do, an admin sends failed rows again, and the re-send
path runs every minute."""

import datetime as dt
import logging
import smtplib
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, models
from django.test import Client
from rest_framework.test import APIClient

from ppid_portal.clock import now
from requests_app.models import Case, CaseEvent, Notification, NotificationStatus
from requests_app.tasks import resend_notifications_task
from requests_app.tracking import display
from tests.conftest import png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))
REFUSING = "tests.requests_app.test_outbox.RefusingBackend"


class RefusingBackend(LocmemBackend):
    """A mail server that refuses with `RefusingBackend.error` (an exception instance, or a class) while it is set,
    and delivers to the locmem outbox once it is None."""

    error = None
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).error is not None:
            raise type(self).error
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = REFUSING
    RefusingBackend.error, RefusingBackend.calls = ConnectionRefusedError(111, "Connection refused"), 0
    yield RefusingBackend
    RefusingBackend.error = None


@pytest.fixture
def api(opds, calendar):
    return APIClient()


def post_request(client, **overrides):
    data = request_data(**overrides)
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return client.post("/api/v1/requests/", data, format="multipart")


def rows_containing(text: str) -> list[str]:
    """Where `text` occurs in the database: every character and JSON column of every model, and on PostgreSQL every
    row of every table rendered as text (columns no model declares included)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                if model._default_manager.filter(**{f"{field.name}__icontains": text}).exists():
                    found.append(f"{model._meta.db_table}.{field.column}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in connection.introspection.table_names(cur):
                cur.execute(f'SELECT count(*) FROM "{table}" t WHERE t::text ILIKE %s', [f"%{text}%"])
                if cur.fetchone()[0]:
                    found.append(table)
    return found


def due_again(row: Notification):
    """Travel to the moment the row's pause is over and run the re-send path (as beat's tick would)."""
    row.refresh_from_db()
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        resend_notifications_task.delay()
    row.refresh_from_db()
    return row


# ------------------------------------------------------------------------------------------------ tracking code


def test_receipt_carries_the_code_but_no_row_column_or_event_stores_it(api, caplog,
                                                                      django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_request(api)
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    receipt = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert display(code) in receipt.body  # the first attempt had the code, grouped as the screen shows it
    row = Notification.objects.get(kind="receipt")
    assert row.status == NotificationStatus.SENT
    for text in (code, display(code)):
        assert rows_containing(text) == []
        assert text not in caplog.text
    assert "kode itu tidak disimpan" in row.body  # what is stored is the version without the code
    assert CaseEvent.objects.filter(case__registration_number=response.json()["registration_number"]).exists()


def test_first_attempt_fails_then_the_resend_tells_how_to_do_without_the_code(api, refusing, caplog,
                                                                              django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        response = post_request(api)
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    row = Notification.objects.get(kind="receipt")
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 1)
    refusing.error = None  # the mail server is back
    due_again(row)
    assert row.status == NotificationStatus.SENT
    receipt = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert code not in receipt.body and display(code) not in receipt.body
    assert response.json()["registration_number"] in receipt.body
    assert "hubungi PPID Dinas Kesehatan" in receipt.body
    assert receipt.attachments[0][1].startswith(b"%PDF")
    for text in (code, display(code)):
        assert rows_containing(text) == []
        assert text not in caplog.text


def test_the_first_attempts_message_is_masked_acknowledged_early_and_expires(api, django_capture_on_commit_callbacks):
    from requests_app.tasks import send_receipt_task

    with mock.patch.object(send_receipt_task, "apply_async") as publish, \
            django_capture_on_commit_callbacks(execute=True):
        response = post_request(api)
    code = response.json()["tracking_code"]
    (notification_id, kwargs), options = publish.call_args[0], publish.call_args[1]
    assert notification_id == (Notification.objects.get(kind="receipt").pk,)
    assert kwargs == {"tracking_code": code}
    assert code not in options["kwargsrepr"]
    assert 0 < options["expires"] <= 3600
    assert send_receipt_task.acks_late is False  # acknowledged on receipt: never re-delivered with the code
    assert not getattr(send_receipt_task, "autoretry_for", ())  # and never retried with it


def test_a_code_that_is_not_the_cases_is_not_put_in_the_email(submit, django_capture_on_commit_callbacks):
    from requests_app.services.notify import notification_send

    with mock.patch("requests_app.services.notify.notification_enqueue"), \
            django_capture_on_commit_callbacks(execute=True):
        submission = submit()
    row = Notification.objects.get(kind="receipt", case=submission.case)
    assert notification_send(row.pk, tracking_code="ABCDEFGHJKMN")
    assert "ABCDEFGHJKMN" not in mail.outbox[0].body


def test_html_form_submission_leaves_no_code_in_the_outbox_or_events(opds, calendar,
                                                                      django_capture_on_commit_callbacks):
    client = Client()
    data = request_data()
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/permohonan/baru/", data)
    assert response.status_code == 302, response.content[:2000]
    done = client.get(response["Location"])
    code = done.context["tracking_code"]
    assert code and code in done.content.decode()
    plain = code.replace("-", "")
    # The e-mail writes the code as the confirmation page shows it (with its dashes).
    assert code in next(m for m in mail.outbox if m.to == ["siti@example.org"]).body
    for model in (Notification, CaseEvent, Case):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                for text in (plain, code):
                    assert not model.objects.filter(**{f"{field.name}__icontains": text}).exists(), field


# ------------------------------------------------------------------------------------------------ mail outages


@pytest.fixture
def pending_receipt(submit, refusing, django_capture_on_commit_callbacks):
    """A receipt whose first attempt met a refusing mail server."""
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        case = submit().case
    return Notification.objects.get(kind="receipt", case=case)


@pytest.fixture
def pending_notice(officer, pending_receipt):
    """The officer's new-case notice of the same submission, also refused (no PDF to render at each attempt)."""
    Notification.objects.filter(pk=pending_receipt.pk).update(status=NotificationStatus.SENT)
    return Notification.objects.get(kind="new_case", case=pending_receipt.case)


def test_a_mail_server_refusing_connections_20_times_leaves_the_row_pending_with_growing_pauses(pending_notice,
                                                                                                refusing):
    row = pending_notice
    pauses, last = [], row.next_attempt_at
    for _ in range(19):
        row = due_again(row)
        assert row.status == NotificationStatus.PENDING
        pauses.append(row.next_attempt_at - last)
        last = row.next_attempt_at
    assert row.attempts == 20 and refusing.calls == 21  # and the receipt's first attempt
    assert "ConnectionRefusedError" in row.last_error
    minutes = [round(p.total_seconds() / 60) for p in pauses]
    assert minutes[:6] == [2, 4, 8, 16, 32, 60]  # the pause after attempt n (2, 4 … min, at most 60) + 1 s
    assert max(minutes) == 60
    # The server is back: the next due run delivers it.
    refusing.error = None
    assert due_again(row).status == NotificationStatus.SENT
    assert [m.to for m in mail.outbox] == [["petugas@example.org"]]


@pytest.mark.parametrize("error", [
    smtplib.SMTPRecipientsRefused({"siti@example.org": (450, b"4.2.1 mailbox busy")}),
    smtplib.SMTPDataError(421, b"4.7.0 try again later"),
    smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    TimeoutError("timed out"),
])
def test_transient_failures_keep_the_row_pending(pending_receipt, refusing, error):
    refusing.error = error
    tried_at = pending_receipt.next_attempt_at
    row = due_again(pending_receipt)
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 2)
    assert row.next_attempt_at > tried_at + dt.timedelta(minutes=1)


@pytest.mark.parametrize("error", [
    smtplib.SMTPRecipientsRefused({"siti@example.org": (550, b"5.1.1 user unknown")}),
    smtplib.SMTPDataError(554, b"5.7.1 message rejected"),
    smtplib.SMTPSenderRefused(553, b"5.7.1 sender not allowed", "ppid@kukarkab.go.id"),
])
def test_a_permanent_refusal_marks_the_row_failed_at_once(submit, refusing, error,
                                                          django_capture_on_commit_callbacks):
    refusing.error = error
    with django_capture_on_commit_callbacks(execute=True):
        case = submit().case
    row = Notification.objects.get(kind="receipt", case=case)
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert error.__class__.__name__ in row.last_error
    # A failed row is left alone by the re-send path.
    with time_machine.travel(now() + dt.timedelta(days=1)):
        assert resend_notifications_task.delay().get() == 0


def test_transient_failures_past_the_give_up_limit_mark_the_row_failed(pending_receipt, refusing):
    row = pending_receipt
    with time_machine.travel(row.pending_since + dt.timedelta(days=6, hours=23), tick=False):
        resend_notifications_task.delay()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 2)
    with time_machine.travel(row.pending_since + dt.timedelta(days=7, minutes=1), tick=False):
        resend_notifications_task.delay()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 3)
    assert "ConnectionRefusedError" in row.last_error


def test_the_give_up_limit_is_a_setting(pending_receipt, refusing, settings):
    settings.PPID_NOTIFY_GIVE_UP_DAYS = 1
    row = pending_receipt
    with time_machine.travel(row.pending_since + dt.timedelta(hours=23), tick=False):
        resend_notifications_task.delay()
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING
    with time_machine.travel(row.pending_since + dt.timedelta(days=1, minutes=1), tick=False):
        resend_notifications_task.delay()
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


def test_admin_sends_failed_rows_again(submit, officer, refusing, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    refusing.error = smtplib.SMTPRecipientsRefused({"siti@example.org": (550, b"5.1.1 user unknown")})
    with django_capture_on_commit_callbacks(execute=True):
        case = submit().case
    failed = Notification.objects.get(kind="receipt", case=case)
    sent = Notification.objects.get(kind="new_case", case=case)
    assert failed.status == NotificationStatus.FAILED
    Notification.objects.filter(pk=sent.pk).update(status=NotificationStatus.SENT)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-Secret-1")
    client = Client()
    client.force_login(admin)
    listing = client.get("/django-admin/requests_app/notification/?status__exact=failed")
    assert listing.status_code == 200 and b"send_again" in listing.content
    refusing.error = None  # the requester's address was fixed at the mail server
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/django-admin/requests_app/notification/",
                               {"action": "send_again", "_selected_action": [failed.pk, sent.pk]}, follow=True)
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.SENT
    assert failed.attempts == 1  # a fresh start
    assert [m.to for m in mail.outbox] == [["siti@example.org"]]  # the sent one was not sent twice
    assert "dilewati" in response.content.decode()


def test_an_officer_without_the_permission_cannot_send_again(submit, refusing, officer,
                                                             django_capture_on_commit_callbacks):
    from requests_app.admin import NotificationAdmin

    request = mock.Mock(user=officer)
    assert NotificationAdmin(Notification, None).has_send_again_permission(request) is False


# ------------------------------------------------------------------------------------------------ broker outages


def test_broker_down_at_submission_is_201_and_the_rows_are_due_at_once(api, officer, caplog,
                                                                       django_capture_on_commit_callbacks):
    from celery.app.task import Task

    with mock.patch.object(Task, "apply_async", side_effect=ConnectionRefusedError(111, "Connection refused")), \
            django_capture_on_commit_callbacks(execute=True):
        response = post_request(api)
    assert response.status_code == 201
    rows = Notification.objects.filter(case__registration_number=response.json()["registration_number"])
    assert rows.count() == 2
    assert all(r.status == NotificationStatus.PENDING and r.next_attempt_at <= now() for r in rows)
    assert "broker unavailable" in caplog.text
    assert mail.outbox == []
    assert resend_notifications_task.delay().get() == 2
    assert len(mail.outbox) == 2


def test_a_row_whose_send_is_queued_is_not_queued_again_before_its_lease_ends(submit, officer):
    from requests_app.services.notify import notifications_resend_due

    with mock.patch("requests_app.services.notify.notification_enqueue"):
        submit()  # the rows are written; their sends are (said to be) queued
    assert notifications_resend_due() == 0
    with time_machine.travel(now() + dt.timedelta(seconds=31)):
        assert notifications_resend_due() == 2
        assert notifications_resend_due() == 0  # leased again


def test_beat_runs_the_resend_every_minute():
    from ppid_portal.celery import app

    entry = app.conf.beat_schedule["resend-notifications"]
    assert entry["task"] == "requests_app.tasks.resend_notifications_task"
    assert entry["schedule"] == 60.0


def test_management_command_sends_every_failed_row_again(submit, refusing, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    refusing.error = smtplib.SMTPRecipientsRefused({"siti@example.org": (550, b"5.1.1 user unknown")})
    with django_capture_on_commit_callbacks(execute=True):
        case = submit().case
    assert Notification.objects.get(case=case).status == NotificationStatus.FAILED
    refusing.error = None
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_failed_notifications", stdout=out)
    assert "1 failed notifications queued" in out.getvalue()
    assert Notification.objects.get(case=case).status == NotificationStatus.SENT
    assert [m.to for m in mail.outbox] == [["siti@example.org"]]
