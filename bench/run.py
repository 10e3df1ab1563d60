"""`python -m bench`: seed a benchmark database, serve the portal on gunicorn, measure it against its floors.

Environment: DATABASE_URL (PostgreSQL, required; the bench uses `<name>_bench` next to it, or
BENCH_DATABASE_URL), REDIS_URL (broker; optional), BENCH_CASES (default 200000), BENCH_SECONDS (measured
seconds per round, default 2), BENCH_ROUNDS (alternating rounds of figure and floor, default 3), BENCH_WARMUP
(default 1), BENCH_CONNECTIONS (default: cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "lua" / "report.lua"
BIN = Path(sys.executable).parent


def log(msg: str) -> None:
    print(msg, flush=True)


# --------------------------------------------------------------------------------------------------------
# Database
# --------------------------------------------------------------------------------------------------------
def _read_dotenv_database_url() -> str:
    env_file = ROOT / ".env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if line.strip().startswith("DATABASE_URL="):
                return line.split("=", 1)[1].strip().strip('"').strip("'")
    return ""


def bench_database_url() -> str:
    """The benchmark database URL, or exit with a clear message when PostgreSQL is not configured."""
    explicit = os.environ.get("BENCH_DATABASE_URL", "")
    base = explicit or os.environ.get("DATABASE_URL", "") or _read_dotenv_database_url()
    scheme = urllib.parse.urlsplit(base).scheme
    if scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        sys.stderr.write(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name (the bench creates and "
            "uses a separate database <name>_bench). SQLite is not a meaningful target for these figures.\n")
        raise SystemExit(2)
    if explicit:
        return explicit
    parts = urllib.parse.urlsplit(base)
    name = parts.path.lstrip("/") or "ppid"
    if not name.endswith("_bench"):
        name = f"{name}_bench"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(admin)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()", [name])
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


# --------------------------------------------------------------------------------------------------------
# HTTP helpers and wrk
# --------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict, body: bytes | None = None, content_type: str = "") -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=body, headers=dict(headers))
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with _opener.open(req, timeout=120) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: installing Debian's wrk (apt-get install -y wrk)…")
    cmd = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        cmd = ["sudo", "-n", *cmd]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        sys.stderr.write("wrk is required (Debian: apt-get install wrk).\n")
        raise SystemExit(2)
    return found


class Load:
    def __init__(self, base: str, connections: int, seconds: int, warmup: int):
        self.base, self.connections, self.seconds, self.warmup = base, connections, seconds, warmup
        self.wrk = ensure_wrk()

    def _wrk(self, url, headers, seconds, body_file="", content_type="", connections=None):
        cmd = [self.wrk, "-t1", f"-c{connections or self.connections}", f"-d{seconds}s", "--timeout", "30s",
               "-s", str(LUA)]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        env = {**os.environ, "BENCH_BODY_FILE": body_file, "BENCH_CONTENT_TYPE": content_type}
        out = subprocess.run([*cmd, url], capture_output=True, text=True, env=env, check=True).stdout
        line = next(ln for ln in out.splitlines() if ln.startswith("BENCHJSON "))
        return json.loads(line.removeprefix("BENCHJSON "))

    def check(self, spec: dict) -> dict:
        """One request first: the answer must be the expected one (no login redirect measured by mistake)."""
        t0 = time.perf_counter()
        status, resp_headers, content = fetch(self.base + spec["path"], spec.get("headers", {}), spec.get("body"),
                                              spec.get("content_type", ""))
        single = time.perf_counter() - t0
        if status not in spec.get("expect", (200,)):
            raise RuntimeError(f"{spec['name']}: {spec['path']} answered {status}: {content[:300]!r}")
        queries = resp_headers.get("X-Bench-Queries")
        # A slow endpoint (the dashboard at national scale) gets rounds long enough for several requests per
        # connection, so its median is a median of real answers, not of none.
        seconds = max(self.seconds, int(single * 3) + 1)
        return {"queries": int(queries) if queries is not None else None, "bytes": len(content),
                "round_seconds": seconds}

    def _run(self, spec: dict, seconds: float, body_file: str) -> dict:
        return self._wrk(self.base + spec["path"], spec.get("headers", {}), seconds, body_file,
                         spec.get("content_type", ""), spec.get("connections"))

    def measure_group(self, specs: list[dict], rounds: int) -> dict[str, dict]:
        """Measure a figure and its floor(s) in alternating rounds, so machine noise hits both alike.

        Per figure: median latency = median of the rounds' medians, p95 likewise, throughput = all requests
        over all measured time. A spec may name its own wrk concurrency ("connections")."""
        files, raw = {}, {s["key"]: [] for s in specs}
        info = {s["key"]: self.check(s) for s in specs}
        try:
            for s in specs:
                if s.get("body") is not None:
                    fd, files[s["key"]] = tempfile.mkstemp(prefix="bench-body-")
                    os.write(fd, s["body"])
                    os.close(fd)
                if self.warmup:
                    self._run(s, self.warmup, files.get(s["key"], ""))
            for _ in range(rounds):
                for s in specs:
                    raw[s["key"]].append(self._run(s, info[s["key"]]["round_seconds"], files.get(s["key"], "")))
        finally:
            for f in files.values():
                os.unlink(f)
        out = {}
        for s in specs:
            runs = [r for r in raw[s["key"]] if r["requests"]] or raw[s["key"]]
            requests = sum(r["requests"] for r in runs)
            duration = sum(r["duration_us"] for r in runs) / 1e6
            result = {
                "name": s["name"], "path": s["path"],
                "median_ms": round(statistics.median(r["p50_us"] for r in runs) / 1000, 3),
                "p95_ms": round(statistics.median(r["p95_us"] for r in runs) / 1000, 3),
                "rps": round(requests / duration, 1) if duration else 0.0, "requests": requests,
                "errors": sum(r["socket_errors"] + r["non2xx3xx"] for r in runs), "rounds": len(runs),
                "round_medians_ms": [r["p50_us"] / 1000 for r in runs],
                "round_p95_ms": [r["p95_us"] / 1000 for r in runs],
                "connections": s.get("connections") or self.connections, **info[s["key"]],
            }
            log(f"  {result['name']:<30} median {result['median_ms']:9.2f} ms  p95 {result['p95_ms']:9.2f} ms  "
                f"{result['rps']:8.1f} req/s  queries {result['queries']}  errors {result['errors']}")
            out[s["key"]] = result
        return out


# --------------------------------------------------------------------------------------------------------
# Processes and memory
# --------------------------------------------------------------------------------------------------------
def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == pid:
                out.append(int(entry.name))
    return out


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the peak resident set size the kernel recorded for the process."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _, _ = fetch(url, {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server at {url} did not come up")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --------------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------------
def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", "200000")))
    p.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "2")),
                   help="measured seconds per round and figure")
    p.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")),
                   help="alternating rounds of a figure and its floor")
    p.add_argument("--warmup", type=int, default=int(os.environ.get("BENCH_WARMUP", "1")))
    p.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", os.cpu_count() or 2)))
    p.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2)))
    p.add_argument("--reuse", action="store_true", help="reuse the seeded bench database of the previous run")
    return p.parse_args(argv)


def server_env(url: str, tmp: Path, redis_url: str) -> dict:
    """The environment of the bench's gunicorn and Celery worker (on top of the caller's): production settings
    with the floor views. The database options (persistent connections, health checks) are not set here, so the
    bench server keeps production's own."""
    env = {
        "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + os.urandom(16).hex()),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "SECURE_COOKIES": "false",
        "PPID_THROTTLE_SUBMIT": "100000000/s", "PPID_THROTTLE_TRACK": "100000000/s",
        "MEDIA_ROOT": str(tmp / "media"), "EMAIL_URL": "dummymail://", "LOG_LEVEL": "WARNING",
        "PPID_SITE_URL": "http://127.0.0.1:8000",
        "BENCH_FLOOR_FILE": str(tmp / "floors.json"),
    }
    if redis_url:
        # The cache (throttle counters) on the broker's Redis database, under its own key prefix.
        env["CACHE_URL"] = redis_url + ("&" if "?" in redis_url else "?") + "key_prefix=ppidbench"
    else:
        env["CACHE_URL"] = "locmemcache://"
        env["CELERY_BROKER_URL"] = f"sqla+sqlite:///{tmp / 'broker.sqlite3'}"
    return env


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    url = bench_database_url()
    tmp = Path(tempfile.mkdtemp(prefix="ppid-bench-"))
    env = server_env(url, tmp, os.environ.get("REDIS_URL", ""))
    os.environ.update(env)
    log(f"Benchmark database: {urllib.parse.urlsplit(url)._replace(netloc='…').geturl()}  "
        f"cases: {args.cases:,}  cores: {os.cpu_count()}")
    if not args.reuse:
        recreate_database(url)

    import django

    django.setup()
    from bench import measure

    try:
        result = measure.run_all(args, tmp=tmp, env=env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    from bench.report import table

    print()
    print(table(result))
    log(f"\nTotal {result['total_seconds']} s. Figures written to {out.relative_to(ROOT)}")
    return 0


def median(values):
    return statistics.median(values) if values else None
