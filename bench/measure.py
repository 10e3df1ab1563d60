"""The bench run itself (inside Django, bench settings, on the benchmark database)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import statistics
import subprocess
import time
import uuid

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from bench import floors_sql
from bench.run import BIN, ROOT, Load, children, fetch, free_port, log, peak_rss_mb, stop, wait_http
from bench.words import COMMON_WORD, RARE_WORD

NA = "not available"
# Tables that grow with the cases: a sequential scan of one of them is a finding (the directory, users and
# holidays are small and a sequential scan of them is the planner's right choice).
BIG_TABLES = ("requests_app_case", "requests_app_caseevent", "requests_app_notification", "requests_app_objection",
              "requests_app_deadlinenotice", "documents_app_document")


def available(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
        return True
    except Resolver404:
        return False


def make_users():
    """Two PPID Pelaksana officers per OPD and one PPID Utama admin; tokens and a session for the load."""
    from django.contrib.auth import get_user_model

    from opd_app.models import OPD, Membership, Role

    User = get_user_model()
    officers: dict[int, list[int]] = {}
    for opd in OPD.objects.all():
        ids = []
        for k in (1, 2):
            user, _ = User.objects.get_or_create(username=f"petugas{k}.{opd.code.lower()}",
                                                 defaults={"email": f"petugas{k}.{opd.code.lower()}@kukarkab.go.id"})
            Membership.objects.get_or_create(user=user, opd=opd, role=Role.PELAKSANA)
            ids.append(user.pk)
        officers[opd.pk] = ids
    admin, _ = User.objects.get_or_create(username="admin.utama.bench", defaults={"email": "utama@kukarkab.go.id"})
    Membership.objects.get_or_create(user=admin, opd=OPD.objects.get(is_ppid_utama=True), role=Role.UTAMA)
    return officers, admin


def credentials(user) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from rest_framework.authtoken.models import Token

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token, _ = Token.objects.get_or_create(user=user)
    return {"cookie": {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"},
            "token": {"Authorization": f"Token {token.key}"}}


def capture_queue_sql(officer) -> list:
    """The SQL the queue API runs for its first page, as sent to PostgreSQL (for the SQL floor view)."""
    from django.test import Client

    client = Client()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/api/v1/cases/")
    assert resp.status_code == 200, resp.status_code
    return [[q["sql"], None] for q in ctx.captured_queries if "requests_app_case" in q["sql"]]


def request_fields(opd_code: str) -> dict:
    return {
        "opd": opd_code, "name": "Siti Rahmawati", "identity_number": "6403012345678901",
        "address": "Jl. Mulawarman No. 1, Tenggarong", "phone": "081234567890", "email": "siti@example.org",
        "occupation": "Wartawan", "requester_type": "individual",
        "information_requested": "Data jumlah puskesmas dan tenaga kesehatan per kecamatan tahun 2025",
        "purpose": "Bahan liputan", "obtain_method": "copy", "copy_format": "softcopy", "delivery_method": "email",
        "publish_consent": "true",
    }


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = f"bench{uuid.uuid4().hex}"
    out = []
    for k, v in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, (filename, content, mime) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{filename}"\r\n'
                   f"Content-Type: {mime}\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def numbering_check() -> dict:
    """Every (registering OPD, year) holds sequences 1..counter without a gap or a duplicate."""
    from requests_app.models import Case

    opd_col = "registered_opd_id" if any(f.column == "registered_opd_id" for f in Case._meta.concrete_fields) \
        else "opd_id"
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT count(*) FROM (
              SELECT c.{opd_col}, c.year, count(*) n, count(DISTINCT c.sequence) d, max(c.sequence) m,
                     max(r.last_value) last
              FROM requests_app_case c JOIN requests_app_registrationcounter r
                   ON r.opd_id = c.{opd_col} AND r.year = c.year
              GROUP BY c.{opd_col}, c.year) s
            WHERE n <> d OR n <> m OR m <> last""")
        bad = cur.fetchone()[0]
    return {"gap_free": bad == 0, "bad_series": bad}


# --------------------------------------------------------------------------------------------------------
def explain(sql_text: str) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql_text)
        return "\n".join(r[0] for r in cur.fetchall())


def _sweep_callable():
    try:
        from requests_app.deadlines.sweep import sweep_run
    except ImportError:
        return None
    return sweep_run


def sweep_once(today: dt.date, label: str) -> dict:
    """Run the product's sweep in-process, timed, with its queries captured and EXPLAINed."""
    from django.utils import timezone

    sweep_run = _sweep_callable()
    params = inspect.signature(sweep_run).parameters
    kwargs = {"today": today} if "today" in params else {}
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        result = sweep_run(**kwargs)
        seconds = time.perf_counter() - t0
    del timezone
    plans, seen = [], set()
    for q in ctx.captured_queries:
        text = q["sql"]
        head = text.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "UPDATE", "DELETE", "WITH", "INSERT") or text in seen:
            continue
        # One plan per statement shape (the per-case loops repeat the same query with another id).
        shape = "".join(ch for ch in text if not ch.isdigit())
        if shape in seen:
            continue
        seen.add(shape)
        seen.add(text)
        if head == "INSERT":
            continue
        try:
            plan = explain(text)
        except Exception as exc:  # noqa: BLE001 - a plan we cannot get is reported, not fatal
            plan = f"(no plan: {exc})"
        seq = sorted({t for t in BIG_TABLES if f"Seq Scan on {t}" in plan})
        plans.append({"sql": text[:500], "plan": plan, "seq_scan": bool(seq), "seq_scanned": seq,
                      "scans": [ln.strip().split("  (cost")[0].lstrip("-> ") for ln in plan.splitlines()
                                if "Scan" in ln]})
    return {"label": label, "ms": round(seconds * 1000, 1), "queries": len(ctx.captured_queries),
            "result": str(result)[:300], "plans": plans}


def make_crossing(today: dt.date, share: float) -> int:
    """Move `share` of the open cases that are not yet overdue (and so still owe their overdue notice, as the
    sweep reads it) to a due date of yesterday: they cross the overdue threshold at the next sweep."""
    from requests_app.models import Case
    from requests_app.rules import OPEN_STATUSES, OVERDUE_NOTICE_OWED

    open_count = Case.objects.filter(status__in=OPEN_STATUSES).count()
    n = max(1, int(open_count * share))
    ids = list(Case.objects.filter(OVERDUE_NOTICE_OWED, effective_due_date__gte=today)
               .order_by("?").values_list("pk", flat=True)[:n])
    yesterday = today - dt.timedelta(days=1)
    Case.objects.filter(pk__in=ids, extended_due_date__isnull=True).update(due_date=yesterday,
                                                                           effective_due_date=yesterday)
    Case.objects.filter(pk__in=ids, extended_due_date__isnull=False).update(extended_due_date=yesterday,
                                                                            effective_due_date=yesterday)
    return len(ids)


def sweep_raw_floor(today: dt.date) -> float:
    """The raw SQL that selects the crossing cases, marks them and writes their event — rolled back."""
    from ppid_portal.clock import now

    t0 = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(floors_sql.SWEEP_MARK, {"today": today, "now": now()})
            raise _Rollback
    except _Rollback:
        pass
    return round((time.perf_counter() - t0) * 1000, 1)


class _Rollback(Exception):
    pass


def gunicorn(port: int, workers: int, env: dict, logfile) -> subprocess.Popen:
    cmd = [str(BIN / "gunicorn"), "ppid_portal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers),
           "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"]
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=logfile, stderr=subprocess.STDOUT)


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


# --------------------------------------------------------------------------------------------------------
def run_all(args, *, tmp, env) -> dict:
    from django.conf import settings

    from bench.seed import TRACKING_CODE, documents_model, seed
    from ppid_portal.clock import today_wita

    out: dict = {"started": dt.datetime.now(dt.UTC).isoformat(), "cases": args.cases, "cores": os.cpu_count(),
                 "connections": args.connections, "workers": args.workers, "seconds": args.seconds,
                 "rounds": args.rounds}
    today = today_wita()
    year = today.year - 1
    out["year"] = year
    log("Migrating…")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_opd", verbosity=0)
    call_command("seed_holidays", "--years", *[str(y) for y in range(today.year - 4, today.year + 2)], verbosity=0)
    officers, admin = make_users()

    from requests_app.models import Case

    seed_file = tmp.parent / f"ppid-bench-seed-{connection.settings_dict['NAME']}.json"
    if args.reuse and Case.objects.exists():
        log("Reusing the seeded database.")
        out["seed"] = json.loads(seed_file.read_text()) if seed_file.exists() else {"reused": True}
    else:
        log(f"Seeding {args.cases:,} cases (COPY)…")
        out["seed"] = seed(args.cases, today=today, officers=officers, utama_user=admin.pk, log=log)
        seed_file.write_text(json.dumps(out["seed"], default=str))
        log(f"  seeded in {out['seed']['seconds_total']} s: {json.dumps(out['seed'], default=str)}")

    from django.contrib.auth import get_user_model

    from opd_app.models import OPD

    largest = OPD.objects.get(pk=Case.objects.values("opd").order_by().annotate(
        n=__import__("django.db.models", fromlist=["Count"]).Count("id")).order_by("-n")[0]["opd"])
    officer = get_user_model().objects.get(pk=officers[largest.pk][0])
    out["largest_opd"] = {"code": largest.code, "cases": Case.objects.filter(opd=largest).count(),
                          "open": Case.objects.open().filter(opd=largest).count()}
    log(f"Largest OPD: {out['largest_opd']}")
    off = credentials(officer)
    adm = credentials(admin)
    sample = (Case.objects.filter(opd=largest, status="answered", forward_count=0).order_by("-received_at")
              .first() or Case.objects.filter(opd=largest).first())

    # Floor statements ------------------------------------------------------------------------------------
    window = {"start": floors_sql.year_start(year), "end": floors_sql.year_start(year + 1), "today": today}
    floors = {"queue_api": capture_queue_sql(officer), "stats": [[floors_sql.STATS, window]],
              "compliance": [[floors_sql.COMPLIANCE, window]]}
    doc_model = documents_model()
    fts = floors_sql.fts_statement(doc_model) if doc_model else None
    if fts:
        floors["fts_common"] = [[fts, {"q": COMMON_WORD}]]
        floors["fts_rare"] = [[fts, {"q": RARE_WORD}]]
    # psycopg2 needs JSON-safe params: dates as ISO strings.
    for stmts in floors.values():
        for st in stmts:
            if isinstance(st[1], dict):
                st[1] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in st[1].items()}
    with open(env["BENCH_FLOOR_FILE"], "w") as fh:
        json.dump(floors, fh)
    out["floor_sql"] = {k: [s[0][:2000] for s in v] for k, v in floors.items()}

    from ppid_portal.celery import app as celery_app

    try:
        celery_app.control.purge()  # the bench's own queue (bench settings): left-overs of an earlier run
    except Exception as exc:  # noqa: BLE001 - a broker that cannot be reached is reported by the worker figures
        log(f"  (could not purge the bench queue: {exc})")

    # Server --------------------------------------------------------------------------------------------
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    connection.close()
    glog = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = gunicorn(port, args.workers, env, glog)
    m: dict = {}
    try:
        wait_http(base + "/_bench/minimal/")
        worker_pids = children(server.pid)
        load = Load(base, args.connections, args.seconds, args.warmup)
        log(f"gunicorn on {base} ({args.workers} workers), wrk -c{args.connections}, {args.warmup} s warm-up, then "
            f"{args.rounds} alternating rounds of {args.seconds} s per figure and floor")
        def spec(key, name, path, headers=None, **kw):
            return {"key": key, "name": name, "path": path, "headers": headers or {}, **kw}

        cookie, token = off["cookie"], off["token"]
        detail = f"/petugas/kasus/{sample.registration_number}/"
        track = (f"/api/v1/requests/track/?registration_number={sample.registration_number}"
                 f"&tracking_code={TRACKING_CODE}")
        groups = [
            [spec("minimal", "minimal view (floor)", "/_bench/minimal/"),
             spec("case_detail", "case detail page", detail, cookie),
             spec("tracking", "public tracking API", track)],
            [spec("template_floor", "queue template (floor)", "/_bench/template/", cookie),
             spec("queue_html", "queue page HTML", "/petugas/", cookie)],
            [spec("sql_floor", "queue SQL (floor)", "/_bench/sql/queue_api/"),
             spec("queue_api", "queue API", "/api/v1/cases/", token)],
        ]
        if available("/api/v1/stats/"):
            groups.append([spec("stats_floor", "stats SQL (floor)", "/_bench/sql/stats/"),
                           spec("stats", "public statistics API", f"/api/v1/stats/?year={year}")])
        if available("/api/v1/compliance/"):
            groups.append([spec("compliance_floor", "dashboard SQL (floor)", "/_bench/sql/compliance/"),
                           spec("compliance", "admin dashboard API", f"/api/v1/compliance/?year={year}",
                                adm["token"])])
        if fts and available("/api/v1/documents/"):
            groups.append([spec("fts_common_floor", "full-text SQL common (floor)", "/_bench/sql/fts_common/"),
                           spec("search_common", "search common word", f"/api/v1/documents/?q={COMMON_WORD}")])
            groups.append([spec("fts_rare_floor", "full-text SQL rare (floor)", "/_bench/sql/fts_rare/"),
                           spec("search_rare", "search rare word", f"/api/v1/documents/?q={RARE_WORD}")])
        for group in groups:
            m.update(load.measure_group(group, args.rounds))
        # Submissions last among the HTTP figures: they add cases.
        body, ctype = multipart(request_fields(largest.code), {"identity_document": ("ktp.png", png_bytes(),
                                                                                     "image/png")})
        before = Case.objects.count()
        m.update(load.measure_group([
            spec("minimal_post", "minimal view POST (floor)", "/_bench/minimal/", body=body, content_type=ctype),
            spec("submit", "request submission API", "/api/v1/requests/", body=body, content_type=ctype,
                 expect=(201,)),
        ], args.rounds))
        out["submitted"] = Case.objects.count() - before
        out["numbering"] = numbering_check()
        log(f"  submissions stored: {out['submitted']}, numbering {out['numbering']}")
        # Report PDF: a single build, timed over HTTP (three runs, median).
        if available("/api/v1/compliance/report/"):
            times = []
            for _ in range(2):
                t0 = time.perf_counter()
                status, headers, content = fetch(base + f"/api/v1/compliance/report/?year={year}", adm["token"])
                times.append((time.perf_counter() - t0) * 1000)
                if status != 200 or not content.startswith(b"%PDF"):
                    raise RuntimeError(f"report: {status} {content[:200]!r}")
            m["report_pdf"] = {"name": "yearly report PDF", "median_ms": round(statistics.median(times), 1),
                               "bytes": len(content)}
            log(f"  yearly report PDF: {m['report_pdf']['median_ms']} ms")
        out["web_worker_peak_rss_mb"] = max((peak_rss_mb(p) or 0) for p in children(server.pid) or worker_pids)
    finally:
        stop(server)
        glog.close()
    out["measurements"] = m

    # Sweeps (in-process) --------------------------------------------------------------------------------
    if _sweep_callable():
        log("Sweeps (in-process)…")
        # Beat runs the sweep in a Celery worker that has published before. In-process, the first sweep that
        # enqueues would also pay the first publish of the process (connection, producer, message set-up: ~20 ms,
        # once): publish one no-op fan-out (no ledger rows) before the timed sweeps.
        try:
            from requests_app.tasks import dispatch_deadline_notices_task

            with celery_app.producer_or_acquire() as producer:
                dispatch_deadline_notices_task.apply_async(([], today.isoformat()), producer=producer)
        except Exception as exc:  # noqa: BLE001 - no broker: the sweep logs and leaves its rows undispatched
            log(f"  (broker not reachable before the sweeps: {exc})")
        catch_up = sweep_once(today, "first sweep after seeding (catch-up)")
        nothing = sweep_once(today, "sweep with nothing to send")
        crossing_n = make_crossing(today, 0.01)
        raw_ms = sweep_raw_floor(today)
        crossing = sweep_once(today, f"sweep with 1% of open cases crossing ({crossing_n} cases)")
        # The in-process figure is the sweep alone (decide, claim, stamp, enqueue the fan-out); the fan-out itself
        # (rendering, outbox rows, reminder events) is the worker's and is timed in the Celery section below.
        out["sweep"] = {"catch_up": catch_up, "nothing": nothing, "crossing": crossing, "crossing_cases": crossing_n,
                        "raw_floor_ms": raw_ms, "ratio_to_floor": round(crossing["ms"] / raw_ms, 1) if raw_ms else None,
                        "undispatched_after": undispatched_notices(), "pending_after": pending_notifications()}
        for s in (catch_up, nothing, crossing):
            log(f"  {s['label']}: {s['ms']} ms, {s['queries']} queries")
        log(f"  raw SQL selecting and marking them: {raw_ms} ms (sweep/floor {out['sweep']['ratio_to_floor']}×); "
            f"left for the worker: {out['sweep']['undispatched_after']} ledger rows to fan out, "
            f"{out['sweep']['pending_after']} notifications to send")
        log("  EXPLAIN of each statement shape the sweeps ran (full plans in the JSON):")
        for p in crossing["plans"]:
            flag = "SEQ SCAN " + ",".join(p["seq_scanned"]) if p["seq_scan"] else "index"
            log(f"    [{flag}] {p['sql'][:110]}…\n        " + " | ".join(p["scans"]))

    # Celery worker: drain what the run left (the sweeps' fan-out: undispatched ledger rows, then the outbox),
    # record how long that took and its peak memory ------------------------------------------------------
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
    out["settings"] = {"CONN_MAX_AGE": settings.DATABASES["default"].get("CONN_MAX_AGE")}
    return out
