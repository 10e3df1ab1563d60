"""gunicorn settings for the production image (`gunicorn --config python:ppid_portal.gunicorn_conf …`).

Sync workers: each request holds one worker, and the slowest requests render PDFs (WeasyPrint) or read an uploaded
document, hence the 60 s timeout. WEB_CONCURRENCY sets the worker count (default: two per core, at least two)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, 2 * multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file lives in memory: a slow container disk must not make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'
