"""The Celery worker the bench starts after the HTTP figures and the sweeps: it drains what the run left (the
sweeps' fan-out: undispatched ledger rows, then the outbox), timed, with its peak memory."""

from __future__ import annotations

import os
import subprocess
import time

from django.db import connection

from bench.run import BIN, ROOT, children, log, peak_rss_mb, stop


def celery_worker(env: dict, logfile) -> subprocess.Popen:
    # One process per core, as in production; it drains the run's outbox (receipts with their PDFs) and the fan-out.
    cmd = [str(BIN / "celery"), "-A", "ppid_portal", "worker", "--concurrency", str(os.cpu_count() or 2),
           "--loglevel", "WARNING",
           "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=logfile, stderr=subprocess.STDOUT)


def pending_notifications() -> int:
    from requests_app.models import Notification, NotificationStatus

    return Notification.objects.filter(status=NotificationStatus.PENDING).count()


def undispatched_notices() -> int:
    """Ledger rows the sweep claimed whose fan-out (notifications, events) a worker has not written yet."""
    from requests_app.models import DeadlineNotice

    if not any(f.name == "dispatched_at" for f in DeadlineNotice._meta.concrete_fields):
        return 0
    return DeadlineNotice.objects.filter(dispatched_at__isnull=True).count()


def measure_worker(out: dict, *, tmp, env) -> None:
    """Drain the run's fan-out and outbox with one worker; how long that took and its peak RSS, into out["celery"]."""
    connection.close()
    clog = open(tmp / "celery.log", "w")  # noqa: SIM115
    start_pending, start_undispatched = pending_notifications(), undispatched_notices()
    connection.close()
    worker = celery_worker(env, clog)
    try:
        t0 = time.monotonic()
        deadline = t0 + int(os.environ.get("BENCH_CELERY_SECONDS", "360"))
        fanout_s = None
        while time.monotonic() < deadline and worker.poll() is None:
            if fanout_s is None and not undispatched_notices():
                fanout_s = time.monotonic() - t0
            if fanout_s is not None and not pending_notifications():
                break
            time.sleep(0.25)
        # Both include the worker's start-up and whatever is ahead in the queue (the submissions' e-mails, sent
        # while the HTTP figures ran without a worker): the queue is first in, first out.
        drain_s = time.monotonic() - t0
        pids = [worker.pid, *children(worker.pid)]
        left = undispatched_notices() + pending_notifications()
        out["celery"] = {"pending_at_start": start_pending, "undispatched_at_start": start_undispatched,
                         "pending_at_end": pending_notifications(), "undispatched_at_end": undispatched_notices(),
                         "fanout_seconds": round(fanout_s, 1) if fanout_s is not None else None,
                         "drain_seconds": round(drain_s, 1), "drained": left == 0,
                         "peak_rss_mb": max((peak_rss_mb(p) or 0) for p in pids)}
        clog.flush()
        out["celery"]["log_tail"] = (tmp / "celery.log").read_text()[-3000:]
        log(f"  celery worker: {out['celery']}")
    finally:
        stop(worker)
        clog.close()
