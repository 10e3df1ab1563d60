"""Text messages to the requester go through the outbox like e-mail: the webhook gateway gets an HTTP JSON POST with
the bearer token; a gateway that is down leaves the message pending and the re-send path sends it exactly once when
it is back; a 4xx refusal is final; a 5xx is tried again. Only the registration number and a link, in the
requester's language; a landline gets none; `none` writes none."""

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ppid_portal import sms
from ppid_portal.clock import WITA, now
from requests_app.models import Notification, NotificationStatus
from requests_app.services.intake import request_submit
from requests_app.services.notify import notification_send, notifications_resend_due, notifications_send_again
from requests_app.validation import phone_for_text
from tests.conftest import png_bytes, request_data

PHONE_ONLY = {"email": "", "delivery_method": "pickup"}
TOKEN = "rahasia-gateway-token"


class Gateway:
    """A small SMS gateway on 127.0.0.1: records every POST and answers `status` (200 by default)."""

    def __init__(self, port: int):
        self.port = port
        self.received: list[dict] = []
        self.status = 200
        self.server = None

    def start(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append({"path": self.path, "authorization": self.headers["Authorization"],
                                         "content_type": self.headers["Content-Type"], "body": json.loads(body)})
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": "nomor ditolak"}' if gateway.status >= 400 else b'{"queued": true}')

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gateway(settings):
    port = free_port()
    settings.PPID_SMS_BACKEND = "webhook"
    settings.PPID_SMS_URL = f"http://127.0.0.1:{port}/kirim"
    settings.PPID_SMS_TOKEN = TOKEN
    settings.PPID_SMS_TIMEOUT = 5
    settings.PPID_SITE_URL = "https://ppid.kukarkab.go.id"
    gw = Gateway(port)
    yield gw
    gw.stop()


def submit_at(submit, capture, moment, **overrides):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return submit(**{**PHONE_ONLY, **overrides})


START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WITA)


def test_gateway_down_at_first_then_the_resend_path_sends_the_message_exactly_once(
        gateway, submit, django_capture_on_commit_callbacks):
    case = submit_at(submit, django_capture_on_commit_callbacks, START).case  # nothing listens on the port yet
    row = Notification.objects.get(case=case, channel="sms")
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 1)
    assert "could not be reached" in row.last_error
    assert row.next_attempt_at == START + dt.timedelta(minutes=1)

    gateway.start()
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        assert notifications_resend_due() == 1  # beat's re-send path, the task run inline
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2
    assert len(gateway.received) == 1
    sent = gateway.received[0]
    assert sent["path"] == "/kirim" and sent["authorization"] == f"Bearer {TOKEN}"
    assert sent["content_type"] == "application/json"
    assert sent["body"] == {"to": "+6281234567890", "id": f"receipt:{case.pk}:sms", "text": row.body}
    assert case.registration_number in row.body and "https://ppid.kukarkab.go.id/lacak/" in row.body

    # Nothing is sent twice: not by a later run of the re-send path, nor by a send task delivered again.
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        assert notifications_resend_due() == 0
        assert notification_send(row.pk) is False
    assert len(gateway.received) == 1


def test_a_4xx_refusal_is_final_and_an_admin_can_send_it_again(gateway, submit,
                                                               django_capture_on_commit_callbacks):
    gateway.start()
    gateway.status = 400
    case = submit_at(submit, django_capture_on_commit_callbacks, START).case
    row = Notification.objects.get(case=case, channel="sms")
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, 1)
    assert "HTTP 400" in row.last_error and "nomor ditolak" in row.last_error
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        assert notifications_resend_due() == 0
    assert len(gateway.received) == 1

    gateway.status = 200  # the gateway's account was fixed: "send again"
    with time_machine.travel(START + dt.timedelta(hours=3), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert notifications_send_again([row.pk]) == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and len(gateway.received) == 2
    assert {r["body"]["id"] for r in gateway.received} == {f"receipt:{case.pk}:sms"}  # the same id both times


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_5xx_or_a_throttle_is_tried_again(gateway, submit, status, django_capture_on_commit_callbacks):
    gateway.start()
    gateway.status = status
    case = submit_at(submit, django_capture_on_commit_callbacks, START).case
    row = Notification.objects.get(case=case, channel="sms")
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 1) and f"HTTP {status}" in row.last_error
    gateway.status = 200
    with time_machine.travel(START + dt.timedelta(minutes=2), tick=False):
        assert notifications_resend_due() == 1
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and len(gateway.received) == 2


def test_a_gateway_that_never_answers_times_out_as_transient(settings):
    with socket.socket() as listener:  # accepts the connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        settings.PPID_SMS_BACKEND = "webhook"
        settings.PPID_SMS_URL = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        settings.PPID_SMS_TIMEOUT = 0.5
        with pytest.raises(sms.SmsError) as error:
            sms.send_text("+6281234567890", "Halo", message_id="x:sms")
    assert error.value.permanent is False


def test_the_text_is_in_the_requesters_language(settings, tmp_path, opds, calendar,
                                               django_capture_on_commit_callbacks):
    settings.PPID_SMS_BACKEND, settings.PPID_SMS_FILE_PATH = "file", str(tmp_path)
    data = request_data(**PHONE_ONLY)
    opd = opds[data.pop("opd")]
    upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        case = request_submit(opd=opd, data=data, identity_document=upload, language="en").case
    text = Notification.objects.get(case=case, channel="sms").body
    assert text.startswith(f"LOBIKU: Information request {case.registration_number} received.")
    assert "collected" in text and "Permohonan" not in text


def test_a_landline_gets_no_text_message_and_none_writes_none(settings, tmp_path, submit,
                                                              django_capture_on_commit_callbacks):
    settings.PPID_SMS_BACKEND, settings.PPID_SMS_FILE_PATH = "file", str(tmp_path)
    landline = submit(phone="0541-661234").case
    assert not Notification.objects.filter(case=landline, channel="sms").exists()
    settings.PPID_SMS_BACKEND = "none"
    mobile = submit().case
    assert not Notification.objects.filter(case=mobile, channel="sms").exists()
    assert Notification.objects.filter(case=mobile, channel="email").count() == 1


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.PPID_SMS_BACKEND = "console"
    sms.send_text("+6281234567890", "LOBIKU: uji", message_id="receipt:1:sms")
    out = capsys.readouterr().out
    assert "To: +6281234567890" in out and "Id: receipt:1:sms" in out and "LOBIKU: uji" in out


@pytest.mark.parametrize(("raw", "number"), [
    ("081234567890", "+6281234567890"), ("0812-3456-7890", "+6281234567890"), ("62 812 3456 7890", "+6281234567890"),
    ("+6281234567890", "+6281234567890"), ("+61412345678", "+61412345678"),
    ("0541-661234", ""), ("+62541661234", ""), ("", ""), ("12345", ""), ("81234567890", ""),
])
def test_the_number_a_text_goes_to(raw, number):
    assert phone_for_text(raw) == number


def test_an_sms_row_whose_backend_was_switched_off_fails_for_an_admin_to_see(settings, tmp_path, submit):
    settings.PPID_SMS_BACKEND, settings.PPID_SMS_FILE_PATH = "file", str(tmp_path)
    case = submit(**PHONE_ONLY).case
    settings.PPID_SMS_BACKEND = "none"
    row = Notification.objects.get(case=case, channel="sms")
    assert notification_send(row.pk) is False
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and "switched off" in row.last_error
    assert row.sent_at is None and row.created_at <= now()


def test_other_code_reaches_the_requester_the_same_way(settings, tmp_path, submit,
                                                       django_capture_on_commit_callbacks):
    """notification_queue(..., to_requester=True): the requester's e-mail and a text message, in one statement."""
    from requests_app.services.notify import notification_queue

    settings.PPID_SMS_BACKEND, settings.PPID_SMS_FILE_PATH = "file", str(tmp_path)
    case = submit().case
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_queue(dedupe_key=f"message:{case.pk}:1", kind="requester_message",
                                   template="requester_forwarded",
                                   context={"case": case, "from_opd": case.opd, "to_opd": case.opd},
                                   recipient_email="someone.else@example.org", case=case, to_requester=True)
    rows = Notification.objects.filter(dedupe_key__startswith=f"message:{case.pk}:1")
    assert first is not None and first.channel == "email"
    assert {(r.channel, r.recipient_email, r.recipient_phone) for r in rows} == {
        ("email", "siti@example.org", ""), ("sms", "", "+6281234567890")}
    text = rows.get(channel="sms").body
    assert text.startswith(f"LOBIKU: Ada pesan baru tentang permohonan {case.registration_number}.")
    assert all(r.status == NotificationStatus.SENT for r in rows)
