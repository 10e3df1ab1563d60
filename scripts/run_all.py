"""`make run`: the web server, a Celery worker and Celery beat in the foreground; Ctrl-C stops all three."""

import os
import signal
import subprocess
import sys
import time

PY = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
uses_redis = bool(os.environ.get("REDIS_URL"))
# The Celery app (ppid_portal/celery.py) defaults to production settings, as a deployed worker must; `make run` is
# the development stack, so every process it starts gets development unless the caller chose otherwise.
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
       or "ppid_portal.settings.development"}

COMMANDS = {
    "web": [PY, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
    # Without Redis the broker is a SQLite file: one solo worker process keeps it simple and safe.
    "worker": [PY, "-m", "celery", "-A", "ppid_portal", "worker", "--loglevel=INFO",
               *([] if uses_redis else ["--pool=solo"])],
    "beat": [PY, "-m", "celery", "-A", "ppid_portal", "beat", "--loglevel=INFO"],
}


def main() -> int:
    procs = {}
    for name, cmd in COMMANDS.items():
        procs[name] = subprocess.Popen(cmd, start_new_session=True, env=ENV)
        print(f"[run] {name} started (pid {procs[name].pid})", flush=True)
    print(f"[run] portal on http://{HOST}:{PORT}/ — Ctrl-C stops web, worker and beat", flush=True)

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                print(f"[run] {name} exited with {proc.returncode}; stopping the others", flush=True)
                code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.time() + 15
    for name, proc in procs.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        print(f"[run] {name} stopped", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
