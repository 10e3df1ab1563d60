"""/healthz: the database and the broker decide the status code; beat and the workers are reported, and decide it
only with PPID_HEALTH_REQUIRE_WORKERS. The container healthcheck script passes a Host that ALLOWED_HOSTS accepts."""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ppid_portal import health

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_worker_cache():
    cache.delete(health.WORKERS_CACHE_KEY)
    yield
    cache.delete(health.WORKERS_CACHE_KEY)


@pytest.fixture
def workers(monkeypatch):
    """How many workers answer the ping, and how often it was sent."""
    state = {"answering": 1, "pings": 0}

    def ping():
        state["pings"] += 1
        return state["answering"]

    monkeypatch.setattr(health, "_ping_workers", ping)
    return state


def _sweep(last_run_at, seconds=300):
    every, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.update_or_create(
        name=health.SWEEP_TASK,
        defaults={"task": "requests_app.tasks.sweep_deadlines_task", "interval": every, "last_run_at": last_run_at})[0]


def test_beat_is_ok_within_two_intervals_and_stale_after(db):
    _sweep(T0)
    with time_machine.travel(T0 + dt.timedelta(minutes=9, seconds=59), tick=False):
        assert health.check_beat() == {"status": "ok", "last_run_at": T0.isoformat(), "age_seconds": 599,
                                       "stale_after_seconds": 600}
    with time_machine.travel(T0 + dt.timedelta(minutes=10, seconds=1), tick=False):
        report = health.check_beat()
        assert (report["status"], report["age_seconds"]) == ("stale", 601)


def test_beat_staleness_follows_the_sweeps_own_interval(db):
    _sweep(T0, seconds=60)
    with time_machine.travel(T0 + dt.timedelta(seconds=150), tick=False):
        report = health.check_beat()
    assert (report["status"], report["stale_after_seconds"]) == ("stale", 120)


def test_beat_that_never_ran(db):
    assert health.check_beat()["status"] == "never run"


def test_a_beat_just_started_is_starting_until_two_intervals_pass_without_a_run(db, workers, monkeypatch):
    """Beat writes its schedule when it starts and sends the sweep one interval later: healthy meanwhile."""
    monkeypatch.setattr(health, "check_broker", lambda: "ok")
    with time_machine.travel(T0, tick=False):
        _sweep(None)
    with time_machine.travel(T0 + dt.timedelta(minutes=9), tick=False):
        assert health.check_beat()["status"] == "starting"
        response = Client().get("/healthz")
        assert response.status_code == 200 and response.json()["status"] == "ok"
    with time_machine.travel(T0 + dt.timedelta(minutes=11), tick=False):
        assert health.check_beat()["status"] == "never run"
        assert Client().get("/healthz").json()["status"] == "degraded"


def test_json_shape_when_everything_runs(db, workers, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: "ok")
    _sweep(T0)
    with time_machine.travel(T0 + dt.timedelta(minutes=2), tick=False):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok", "broker": "ok",
        "beat": {"status": "ok", "last_run_at": T0.isoformat(), "age_seconds": 120, "stale_after_seconds": 600},
        "workers": {"status": "ok", "count": 1},
        "status": "ok",
    }


def test_stale_beat_and_no_worker_are_degraded_but_still_200_by_default(db, workers, monkeypatch, settings):
    monkeypatch.setattr(health, "check_broker", lambda: "ok")
    workers["answering"] = 0
    _sweep(T0)
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        response = Client().get("/healthz")
        body = response.json()
        assert response.status_code == 200
        assert (body["status"], body["beat"]["status"], body["workers"]) == (
            "degraded", "stale", {"status": "none", "count": 0})

        settings.PPID_HEALTH_REQUIRE_WORKERS = True
        assert Client().get("/healthz").status_code == 503
        _sweep(T0 + dt.timedelta(minutes=59))
        cache.delete(health.WORKERS_CACHE_KEY)
        workers["answering"] = 2
        response = Client().get("/healthz")
        assert (response.status_code, response.json()["status"]) == (200, "ok")


def test_worker_ping_is_cached_for_a_few_seconds(db, workers, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: "ok")
    for _ in range(3):
        Client().get("/healthz")
    assert workers["pings"] == 1
    cache.delete(health.WORKERS_CACHE_KEY)  # what the timeout does after WORKERS_CACHE_SECONDS
    Client().get("/healthz")
    assert workers["pings"] == 2


def test_a_broker_without_broadcast_is_not_pinged(db, monkeypatch, settings):
    """The SQLite broker of `make run` cannot carry a ping: the workers are "not checked", not missing."""
    from ppid_portal.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "sqla+sqlite:///" + str(settings.MEDIA_ROOT) + "/broker.sqlite3")
    app._pool = None
    try:
        assert health.check_workers() == {"status": health.NOT_CHECKED, "count": None}
    finally:
        app._pool = None


def test_broker_down_is_503_and_the_workers_are_not_pinged(db, workers, monkeypatch):
    def down():
        raise ConnectionError("refused")

    monkeypatch.setattr(health, "check_broker", down)
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["broker"], body["status"], body["workers"]["status"]) == (
        "ok", "error: ConnectionError", "degraded", "unknown: broker down")
    assert workers["pings"] == 0


def test_web_healthcheck_sends_an_allowed_host(live_server, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["ppid.example.org"]
    port = live_server.url.rsplit(":", 1)[1]
    healthcheck = [sys.executable, "scripts/healthcheck.py", "web"]
    env = {**os.environ, "PORT": port, "ALLOWED_HOSTS": "ppid.example.org,localhost"}
    # The broker of the test settings may be absent: a 503 then, which the script must report as unhealthy.
    result = subprocess.run(healthcheck, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    body = Client(HTTP_HOST="ppid.example.org").get("/healthz")
    assert result.returncode == (0 if body.status_code == 200 else 1), result.stdout
    assert '"database": "ok"' in result.stdout
    # Without the Host header the same request is refused (400), as the old healthcheck was.
    assert Client().get("/healthz").status_code == 400


@pytest.mark.parametrize(("hosts", "host"), [("ppid.example.org,x", "ppid.example.org"),
                                             (".kukarkab.go.id", "kukarkab.go.id"), ("*", "localhost"),
                                             ("", "localhost")])
def test_healthcheck_host_from_allowed_hosts(monkeypatch, hosts, host):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import healthcheck
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    monkeypatch.setenv("ALLOWED_HOSTS", hosts)
    assert healthcheck.allowed_host() == host


@pytest.fixture
def redis_app():
    from ppid_portal.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=os.environ["REDIS_URL"], task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    yield app
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)
    except Exception:
        pass
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.redis
def test_a_real_worker_answers_the_ping(redis_app, transactional_db):
    from celery.contrib.testing.worker import start_worker

    assert health.check_workers() == {"status": "none", "count": 0}
    cache.delete(health.WORKERS_CACHE_KEY)
    with start_worker(redis_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 20
        while (report := health.check_workers())["count"] == 0 and time.monotonic() < deadline:
            cache.delete(health.WORKERS_CACHE_KEY)
        assert report == {"status": "ok", "count": 1}


@pytest.mark.redis
def test_a_real_beat_records_the_sweep_it_sends(redis_app, transactional_db, tmp_path):
    """The database scheduler saves last_run_at right after sending (CELERY_BEAT_SYNC_EVERY = 1): a beat that comes
    back after an hour sends the overdue sweep and /healthz sees it at once, not minutes later."""
    from celery.beat import EmbeddedService

    _sweep(health.now() - dt.timedelta(hours=1))
    assert health.check_beat()["status"] == "stale"
    beat = EmbeddedService(redis_app, thread=True, scheduler_cls="django_celery_beat.schedulers:DatabaseScheduler")
    beat.start()
    try:
        deadline = time.monotonic() + 30
        while health.check_beat()["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert health.check_beat()["status"] == "ok"
    finally:
        beat.stop()
        connection.close()
