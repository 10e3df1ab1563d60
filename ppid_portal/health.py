"""/healthz: the database and the broker, each checked for real; beat and the workers, reported.

The HTTP status answers "can this web process serve requests?": 503 when the database or the broker is down. That
is what a load balancer and the web container's healthcheck need; a missing worker or a stopped beat does not stop
the web from taking requests (the outbox queues their e-mails), so by default it only turns `status` to "degraded"
in the JSON, which monitoring reads. PPID_HEALTH_REQUIRE_WORKERS=1 makes a stale beat or no answering worker a 503
too, for a monitor that can only read status codes.

Beat: django-celery-beat's DatabaseScheduler records when it last sent each periodic task (PeriodicTask.last_run_at,
saved after every send: CELERY_BEAT_SYNC_EVERY = 1). Beat is healthy when it sent the deadline sweep within two of
the sweep's intervals. Reading what beat itself writes needs no extra task, and does not depend on a worker, so a
dead beat and a dead worker are told apart.

Workers: a Celery control ping with a short timeout, its answer cached for WORKERS_CACHE_SECONDS so /healthz stays
cheap under a monitor that polls it often."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from ppid_portal.clock import now

SWEEP_TASK = "sweep-deadlines"
SWEEP_DEFAULT_SECONDS = 300.0
WORKERS_CACHE_KEY = "ppid:health:workers"
WORKERS_CACHE_SECONDS = 10
WORKERS_PING_TIMEOUT = 1.0


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    from ppid_portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def check_beat(at: dt.datetime | None = None) -> dict:
    """{"status": "ok" | "starting" | "stale" | "never run", "last_run_at", "age_seconds", "stale_after_seconds"}.

    A beat that has just started has not sent the sweep yet (its first run is one interval away): while the schedule
    it wrote at start (`date_changed`) is younger than two intervals it is "starting", which is healthy."""
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.select_related("interval").filter(name=SWEEP_TASK).first()
    interval = task.interval.schedule.run_every.total_seconds() if task and task.interval else SWEEP_DEFAULT_SECONDS
    report = {"status": "never run", "last_run_at": None, "age_seconds": None, "stale_after_seconds": int(2 * interval)}
    if task is None:
        return report
    if task.last_run_at is None:
        started = max(0.0, ((at or now()) - task.date_changed).total_seconds())
        if started <= 2 * interval:
            report["status"] = "starting"
        return report
    age = max(0.0, ((at or now()) - task.last_run_at).total_seconds())
    report.update(last_run_at=task.last_run_at.isoformat(), age_seconds=int(age),
                  status="ok" if age <= 2 * interval else "stale")
    return report


NOT_CHECKED = "not checked: the broker cannot broadcast"


def _ping_workers() -> int | None:
    """How many workers answer; None when the broker's transport has no broadcast to ping through (the SQLite
    broker of `make run`)."""
    from ppid_portal.celery import app

    with app.connection_for_read() as conn:
        if "fanout" not in conn.transport.implements.exchange_type:
            return None
    return len(app.control.ping(timeout=WORKERS_PING_TIMEOUT) or [])


def check_workers() -> dict:
    """{"status": "ok" | "none" | NOT_CHECKED, "count"}: how many workers answered a ping (cached a few seconds)."""
    try:
        count = cache.get(WORKERS_CACHE_KEY)
    except Exception:  # a cache outage costs a fresh ping, not the answer
        count = None
    if count is None:
        count = _ping_workers()
        count = -1 if count is None else count
        try:
            cache.set(WORKERS_CACHE_KEY, count, WORKERS_CACHE_SECONDS)
        except Exception:  # noqa: S110 - the cache is only a shortcut here
            pass
    if count < 0:
        return {"status": NOT_CHECKED, "count": None}
    return {"status": "ok" if count else "none", "count": count}


def _error(exc: Exception) -> str:
    return f"error: {exc.__class__.__name__}"


def healthz(request):
    report, serving = {}, True
    for name, check in (("database", check_database), ("broker", check_broker)):
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency is the answer, not a crash
            report[name] = _error(exc)
            serving = False
    try:
        report["beat"] = check_beat()
    except Exception as exc:
        report["beat"] = {"status": _error(exc)}
    if report["broker"] == "ok":
        try:
            report["workers"] = check_workers()
        except Exception as exc:
            report["workers"] = {"status": _error(exc), "count": None}
    else:
        report["workers"] = {"status": "unknown: broker down", "count": None}
    complete = report["beat"]["status"] in ("ok", "starting") and report["workers"]["status"] in ("ok", NOT_CHECKED)
    report["status"] = "ok" if serving and complete else "degraded"
    healthy = serving and (complete or not settings.PPID_HEALTH_REQUIRE_WORKERS)
    return JsonResponse(report, status=200 if healthy else 503)
