"""Floor views: what the framework and the database cost on their own, measured the same way as the portal.

- `minimal`: a JSON view on the same stack and middleware (no query of its own).
- `sql`: runs a named list of raw SQL statements through a cursor and dumps the last result as JSON — the
  queue API's own SQL (captured from the product in-process), the hand-written dashboard aggregates, the
  raw full-text query. The statements come from the JSON file named by BENCH_FLOOR_FILE.
- `template`: the officer queue template rendered from 50 in-memory rows (no queue SQL).
- `submit_floor`: the submission's fair floor: the citizen's multipart form parsed (the same fields and identity
  scan the submission API receives), the scan written to storage, one row inserted in a transaction.
"""

import datetime as dt
import json
import os
import uuid
from functools import cache

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def minimal(request):
    return JsonResponse({"ok": True})


@csrf_exempt
def submit_floor(request):
    """What any submission must do at least: read the form and the file, store the file, commit one row. No
    validation, no numbering, no events or notifications."""
    from bench.floors_sql import submission_floor_columns, submission_floor_insert

    if request.method != "POST":
        return JsonResponse({"detail": "POST only"}, status=405)
    upload = request.FILES.get("identity_document")
    if upload is None:
        return JsonResponse({"identity_document": "required"}, status=400)
    name = default_storage.save(f"bench/identity/{uuid.uuid4().hex}.png", upload)
    values = [request.POST.get(c, "") for c in submission_floor_columns()]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(submission_floor_insert(), [*values, name])
        row_id = cur.fetchone()[0]
    return JsonResponse({"id": row_id}, status=201)


@cache
def _floor_sql() -> dict:
    path = os.environ.get("BENCH_FLOOR_FILE", "")
    if not path or not os.path.exists(path):
        return {}
    with open(path) as fh:
        return json.load(fh)


def sql(request, name):
    statements = _floor_sql().get(name)
    if not statements:
        raise Http404
    rows, cols = [], []
    with connection.cursor() as cur:
        for text, params in statements:
            cur.execute(text, params or None)
            if cur.description:
                cols = [c[0] for c in cur.description]
                rows = cur.fetchall()
    body = json.dumps({"results": [dict(zip(cols, r, strict=True)) for r in rows]}, default=str)
    return HttpResponse(body, content_type="application/json")


@cache
def _rows():
    from opd_app.models import OPD
    from requests_app.selectors.queue import QueueRow

    opd = OPD(id=1, code="DINKES", name="Dinas Kesehatan", kind="dinas")
    today = dt.date.today()
    statuses = ["submitted", "in_process", "extended", "forwarded"]
    cases = []
    for i in range(50):
        due = today + dt.timedelta(days=i // 5 - 3)
        cases.append(QueueRow({
            "registration_number": f"DINKES-2026-{i + 1:05d}", "status": statuses[i % 4], "effective_due_date": due,
            "follow_up_due_date": None, "opd__code": opd.code,
            "assigned_to__username": "petugas.bench" if i % 3 else None, "name": "Siti Aminah",
            "subject_start": "Data jumlah tenaga kesehatan per puskesmas di Kecamatan Tenggarong tahun 2025",
        }))
    return opd, cases


def template(request):
    """The queue page's template and context shape, from 50 rows held in memory."""
    from requests_app.models import Status

    opd, cases = _rows()
    today = dt.date.today()
    soon = today + dt.timedelta(days=3)
    rows = []
    for c in cases:
        urgency = ("overdue" if c.effective_due_date < today else "soon" if c.effective_due_date <= soon
                   else "normal")
        left = (c.effective_due_date - today).days
        rows.append((c, urgency, left, -left if left < 0 else 0))
    page = Paginator(cases, 50).get_page(1)
    return render(request, "requests_app/queue.html", {
        "page": page, "rows": rows, "today": today, "opds": [opd], "statuses": Status.choices, "filters": request.GET,
        "q": "", "q_max": 200, "show_opd": False, "memberships": [],
    })
