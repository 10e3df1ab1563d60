"""The bench run itself (inside Django, bench settings, on the benchmark database): migrate and seed, write the
floors' SQL, then the HTTP figures (bench.pages), the sweeps (bench.sweeps) and the Celery worker (bench.worker)."""

from __future__ import annotations

import datetime as dt
import json
import os

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import floors_sql
from bench.run import log
from bench.words import COMMON_WORD, RARE_WORD


def capture_queue_sql(officer) -> list:
    """The SQL the queue API runs for its first page, as sent to PostgreSQL (for the SQL floor view)."""
    from django.test import Client

    from requests_app.models import Case

    client = Client()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/api/v1/cases/")
    assert resp.status_code == 200, resp.status_code
    return [[q["sql"], None] for q in ctx.captured_queries if Case._meta.db_table in q["sql"]]


def write_floor_statements(path: str, *, officer, year: int, today: dt.date) -> tuple[dict, str | None]:
    """The floors' SQL, as the floor view reads it from `path`: the queue API's own statements, the hand-written
    aggregates, the raw full-text query (when documents are searchable). Returns (the statements, the full-text
    statement or None)."""
    from bench.seed_documents import documents_model

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
    with open(path, "w") as fh:
        json.dump(floors, fh)
    return floors, fts


def run_all(args, *, tmp, env) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from bench.accounts import credentials, make_users
    from bench.ocr import measure_ocr
    from bench.pages import measure_pages
    from bench.seed import seed
    from bench.sweeps import measure_sweeps
    from bench.worker import measure_worker
    from opd_app.models import OPD
    from ppid_portal.clock import today_wita
    from requests_app.models import Case

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

    seed_file = tmp.parent / f"ppid-bench-seed-{connection.settings_dict['NAME']}.json"
    if args.reuse and Case.objects.exists():
        log("Reusing the seeded database.")
        out["seed"] = json.loads(seed_file.read_text()) if seed_file.exists() else {"reused": True}
    else:
        log(f"Seeding {args.cases:,} cases (COPY)…")
        out["seed"] = seed(args.cases, today=today, officers=officers, utama_user=admin.pk, log=log)
        seed_file.write_text(json.dumps(out["seed"], default=str))
        log(f"  seeded in {out['seed']['seconds_total']} s: {json.dumps(out['seed'], default=str)}")

    largest = OPD.objects.get(pk=Case.objects.values("opd").order_by().annotate(
        n=Count("id")).order_by("-n")[0]["opd"])
    officer = get_user_model().objects.get(pk=officers[largest.pk][0])
    out["largest_opd"] = {"code": largest.code, "cases": Case.objects.filter(opd=largest).count(),
                          "open": Case.objects.open().filter(opd=largest).count()}
    log(f"Largest OPD: {out['largest_opd']}")
    off = credentials(officer)
    adm = credentials(admin)
    sample = (Case.objects.filter(opd=largest, status="answered", forward_count=0).order_by("-received_at")
              .first() or Case.objects.filter(opd=largest).first())

    floors, fts = write_floor_statements(env["BENCH_FLOOR_FILE"], officer=officer, year=year, today=today)
    out["floor_sql"] = {k: [s[0][:2000] for s in v] for k, v in floors.items()}

    from ppid_portal.celery import app as celery_app

    try:
        celery_app.control.purge()  # the bench's own queue (bench settings): left-overs of an earlier run
    except Exception as exc:  # noqa: BLE001 - a broker that cannot be reached is reported by the worker figures
        log(f"  (could not purge the bench queue: {exc})")

    measure_pages(args, out, tmp=tmp, env=env, year=year, largest=largest, sample=sample, officer=off, admin=adm,
                  search=bool(fts))
    measure_sweeps(out, today, celery_app)
    measure_worker(out, tmp=tmp, env=env)
    measure_ocr(out)
    db = settings.DATABASES["default"]
    out["settings"] = {"CONN_MAX_AGE": db.get("CONN_MAX_AGE"), "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS")}
    return out
