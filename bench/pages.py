"""The HTTP figures: gunicorn serving the portal (bench settings), each page or API measured with wrk in
alternating rounds against its floor, then the submissions (they add cases), the numbering check and the
yearly report PDF."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
import uuid

from django.db import connection
from django.urls import Resolver404, resolve

from bench.run import BIN, ROOT, Load, children, fetch, free_port, log, peak_rss_mb, stop, wait_http
from bench.seed import TRACKING_CODE
from bench.words import COMMON_WORD, RARE_WORD

PARALLEL_SUBMITTERS = 20


def available(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
        return True
    except Resolver404:
        return False


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
    from requests_app.models import Case, RegistrationCounter

    opd_col = "registered_opd_id" if any(f.column == "registered_opd_id" for f in Case._meta.concrete_fields) \
        else "opd_id"
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT count(*) FROM (
              SELECT c.{opd_col}, c.year, count(*) n, count(DISTINCT c.sequence) d, max(c.sequence) m,
                     max(r.last_value) last
              FROM {Case._meta.db_table} c JOIN {RegistrationCounter._meta.db_table} r
                   ON r.opd_id = c.{opd_col} AND r.year = c.year
              GROUP BY c.{opd_col}, c.year) s
            WHERE n <> d OR n <> m OR m <> last""")
        bad = cur.fetchone()[0]
    return {"gap_free": bad == 0, "bad_series": bad}


def gunicorn(port: int, workers: int, env: dict, logfile) -> subprocess.Popen:
    cmd = [str(BIN / "gunicorn"), "ppid_portal.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers),
           "--worker-class", "sync", "--timeout", "120", "--log-level", "warning"]
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=logfile, stderr=subprocess.STDOUT)


def spec(key, name, path, headers=None, **kw):
    return {"key": key, "name": name, "path": path, "headers": headers or {}, **kw}


def page_groups(*, year: int, sample, officer: dict, admin: dict, search: bool) -> list[list[dict]]:
    """Each figure with its floor(s), measured together; a feature the portal does not serve is left out."""
    cookie, token = officer["cookie"], officer["token"]
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
                            admin["token"])])
    if search and available("/api/v1/documents/"):
        groups.append([spec("fts_common_floor", "full-text SQL common (floor)", "/_bench/sql/fts_common/"),
                       spec("search_common", "search common word", f"/api/v1/documents/?q={COMMON_WORD}")])
        groups.append([spec("fts_rare_floor", "full-text SQL rare (floor)", "/_bench/sql/fts_rare/"),
                       spec("search_rare", "search rare word", f"/api/v1/documents/?q={RARE_WORD}")])
    return groups


def measure_pages(args, out: dict, *, tmp, env, year: int, largest, sample, officer: dict, admin: dict,
                  search: bool) -> None:
    """Serve the portal on gunicorn and measure every page group, the submissions and the report PDF: the figures
    into out["measurements"], the submissions' count, the numbering check and the web workers' peak RSS."""
    from bench.floors_sql import submission_floor_ddl
    from requests_app.models import Case

    with connection.cursor() as cur:
        for statement in submission_floor_ddl():
            cur.execute(statement)
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
        groups = page_groups(year=year, sample=sample, officer=officer, admin=admin, search=search)
        for group in groups:
            m.update(load.measure_group(group, args.rounds))
        # Submissions last among the HTTP figures: they add cases.
        body, ctype = multipart(request_fields(largest.code), {"identity_document": ("ktp.png", png_bytes(),
                                                                                     "image/png")})
        before = Case.objects.count()
        m.update(load.measure_group([
            spec("minimal_post", "minimal view POST (floor)", "/_bench/minimal/", body=body, content_type=ctype),
            spec("submit_floor", "submission fair floor", "/_bench/submit/", body=body, content_type=ctype,
                 expect=(201,)),
            spec("submit", "request submission API", "/api/v1/requests/", body=body, content_type=ctype,
                 expect=(201,)),
        ], args.rounds))
        # Many citizens submitting to the same OPD at once: every submission takes that OPD's counter row for
        # the year, so a lock held longer than the numbering needs would queue them behind each other.
        middle = Case.objects.count()
        m.update(load.measure_group([
            spec("submit_floor_parallel", f"submission fair floor, {PARALLEL_SUBMITTERS} at once", "/_bench/submit/",
                 body=body, content_type=ctype, expect=(201,), connections=PARALLEL_SUBMITTERS),
            spec("submit_parallel", f"submission API, {PARALLEL_SUBMITTERS} at once to one OPD",
                 "/api/v1/requests/", body=body, content_type=ctype, expect=(201,),
                 connections=PARALLEL_SUBMITTERS),
        ], args.rounds))
        after = Case.objects.count()
        out["submitted"] = after - before
        out["submitted_parallel"] = after - middle
        out["parallel_submitters"] = PARALLEL_SUBMITTERS
        out["numbering"] = numbering_check()
        log(f"  submissions stored: {out['submitted']} ({out['submitted_parallel']} by {PARALLEL_SUBMITTERS} "
            f"at once), numbering {out['numbering']}")
        # Report PDF: a single build, timed over HTTP (two runs, median).
        if available("/api/v1/compliance/report/"):
            times = []
            for _ in range(2):
                t0 = time.perf_counter()
                status, headers, content = fetch(base + f"/api/v1/compliance/report/?year={year}", admin["token"])
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
