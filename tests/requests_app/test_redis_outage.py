"""A Redis outage (broker and cache) never refuses a citizen's request, and the receipts left pending leave once it
is back, within two minutes, through the real beat schedule.

The test starts its own redis-server on a free port (never the shared one), points the Celery broker and the
Django cache at it, and runs a real worker and a real beat (threads of this process, as in test_celery_worker.py;
the worker's e-mails land in Django's locmem outbox). Thirty requesters submit through the HTTP API, each from its
own address; half-way the Redis is killed; the rest submit during the outage (all must be 201 and stored); the Redis
comes back on the same port; beat's next re-send tick must get every receipt delivered within two minutes."""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from requests_app.models import Case, Notification, NotificationStatus
from tests.conftest import png_bytes, request_data

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

SUBMISSIONS = 30
BACK_WITHIN = 120.0  # seconds after the broker is back


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A throw-away redis-server: no persistence, its own port and directory."""

    def __init__(self, directory):
        self.port, self.dir, self.proc = _free_port(), directory, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self):
        """The outage: SIGKILL, so the queue held in memory is lost with it."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def worker_and_beat(own_redis, settings, transactional_db, tmp_path):
    """The Celery app on the test's Redis, with a real worker and a real beat (PersistentScheduler, the schedule of
    ppid_portal/celery.py), and the Django cache on the same Redis."""
    from celery.beat import EmbeddedService
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from ppid_portal.celery import app

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"{own_redis.url}/1",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_connection_retry",
                                      "broker_connection_max_retries")}
    app.conf.update(broker_url=f"{own_redis.url}/0", task_always_eager=False, broker_connection_retry=True,
                    broker_connection_max_retries=None)
    # Connection pools are made from the broker URL on first use: start from fresh ones, and leave none behind.
    app._pool = None
    app.amqp._producer_pool = None

    def close_db(**kwargs):
        connection.close()  # the worker thread's own connection, not left open for the test DB teardown

    task_postrun.connect(close_db, weak=False)
    beat = EmbeddedService(app, thread=True, schedule_filename=str(tmp_path / "beat-schedule"))
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
            beat.start()
            try:
                yield app
            finally:
                beat.stop()
    finally:
        task_postrun.disconnect(close_db)
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def _submit(client: APIClient, i: int):
    data = request_data(email=f"pemohon{i}@example.org", name=f"Pemohon {i}")
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    # Thirty citizens, each from its own address: the submission throttle stays on and counts each once.
    return client.post("/api/v1/requests/", data, format="multipart", REMOTE_ADDR=f"10.20.0.{i + 1}")


def _delivered() -> set[str]:
    return {m.to[0] for m in list(mail.outbox)}


def test_redis_outage_loses_no_request_and_no_receipt(own_redis, worker_and_beat, opds, calendar, officer):
    from ppid_portal.celery import app

    started = time.monotonic()
    resend_interval = app.conf.beat_schedule["resend-notifications"]["schedule"]
    assert resend_interval <= 60
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["ppid_submit"]  # the submission throttle is on
    client = APIClient()
    numbers = []
    for i in range(SUBMISSIONS):
        if i == SUBMISSIONS // 2:
            own_redis.kill()
            down_at = time.monotonic()
        response = _submit(client, i)
        assert response.status_code == 201, (i, response.status_code, response.content[:500])
        numbers.append(response.json()["registration_number"])
    outage_submissions = time.monotonic() - down_at
    assert Case.objects.filter(registration_number__in=numbers).count() == SUBMISSIONS
    receipts = Notification.objects.filter(kind="receipt", case__registration_number__in=numbers)
    assert receipts.count() == SUBMISSIONS
    # Submitted during the outage: stored, their receipts pending (nothing could be queued).
    assert receipts.filter(status=NotificationStatus.PENDING).count() >= SUBMISSIONS // 2

    own_redis.start()  # back, on the same port
    back_at = time.monotonic()
    wanted = {f"pemohon{i}@example.org" for i in range(SUBMISSIONS)}
    while not wanted <= _delivered() and time.monotonic() - back_at < BACK_WITHIN:
        time.sleep(0.5)
    took = time.monotonic() - back_at
    missing = wanted - _delivered()
    assert not missing, f"{len(missing)} receipts not delivered {took:.0f} s after Redis came back"
    assert not receipts.exclude(status=NotificationStatus.SENT).exists()
    # Every receipt once: the re-send path does not send a row twice.
    assert sorted(m.to[0] for m in mail.outbox if m.to[0] in wanted) == sorted(wanted)
    print(f"outage: {outage_submissions:.1f} s of submissions while down; all receipts {took:.1f} s after Redis "
          f"was back; test body {time.monotonic() - started:.1f} s")
