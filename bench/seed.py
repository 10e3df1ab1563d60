"""Seed the benchmark database with N cases and their history, fast: generated in Python, loaded with COPY.

The mix is what a regency portal holds after three years: most cases closed or answered (some late,
some extended, some forwarded), a backlog of open cases (some overdue), objections against a share of
the negative answers, the event history and the notification outbox of each case, and — once the
documents app exists — 10% as many published documents with extracted text.

Rows are written with explicit ids; sequences, registration counters and planner statistics are set
afterwards so the portal keeps numbering gap-free from where the seed stopped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import time
from bisect import bisect
from collections import Counter
from itertools import accumulate

from django.apps import apps
from django.db import connection, models

from bench.words import CASE_TOPICS, COMMON_WORD, DOC_WORDS, RARE_WORD

WITA = dt.timezone(dt.timedelta(hours=8))
TRACKING_CODE = "BENCHTRACK23"  # every seeded case shares it (salted per row), so tracking can be measured
CHUNK = 20_000


def _hash(code: str, rnd: random.Random) -> str:
    import hashlib

    salt = f"{rnd.getrandbits(64):016x}"
    return f"{salt}${hashlib.sha256(f'{salt}:{code}'.encode()).hexdigest()}"


_REQUIRED = object()


class Table:
    """COPY rows of one model: values by column name, defaults filled from the model so schema additions by
    other features (a new column with a default) do not break the seed.

    CSV with every string quoted, so the writer needs no per-value conversion: JSON values are passed as
    JSON text, dates and datetimes as objects (their str() is what PostgreSQL reads)."""

    def __init__(self, model, fixed: dict | None = None):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        fixed = fixed or {}
        spec = []
        for f in self.fields:
            if f.column in fixed:
                d = fixed[f.column]
            elif f.has_default():
                d = f.default() if callable(f.default) else f.default
            elif f.null:
                d = None
            elif isinstance(f, (models.CharField, models.TextField)) and not f.primary_key:
                d = ""
            else:
                d = _REQUIRED
            if isinstance(d, (dict, list)):
                d = json.dumps(d)
            spec.append((f.column, d))
        self.spec = spec
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, quoting=csv.QUOTE_NONNUMERIC)
        self.count = 0

    def add(self, **values):
        row = [values.get(c, d) for c, d in self.spec]
        if self.count == 0:  # the first row proves every required column is given
            missing = [c for (c, _), v in zip(self.spec, row, strict=True) if v is _REQUIRED]
            if missing:
                raise KeyError(f"{self.model._meta.db_table}: the bench seed gives no value for {missing}")
        self.writer.writerow(row)
        self.count += 1

    def flush(self):
        if not self.buf.tell():
            return
        self.buf.seek(0)
        with connection.cursor() as cur:
            cols = ", ".join(f'"{c}"' for c in self.columns)
            # The csv module quotes None as "" under QUOTE_NONNUMERIC: FORCE_NULL reads it as NULL in the
            # nullable columns (the seed never means an empty string there).
            nullable = ", ".join(f'"{f.column}"' for f in self.fields if f.null)
            force = f", FORCE_NULL ({nullable})" if nullable else ""
            cur.cursor.copy_expert(
                f'COPY "{self.model._meta.db_table}" ({cols}) FROM STDIN WITH (FORMAT csv{force})', self.buf)
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, quoting=csv.QUOTE_NONNUMERIC)


def _drop_secondary_indexes(tables: list[str]) -> list[str]:
    """Drop indexes that back no constraint (re-created after the load: much faster than keeping them)."""
    with connection.cursor() as cur:
        cur.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [tables],
        )
        rows = cur.fetchall()
        for name, _ in rows:
            cur.execute(f'DROP INDEX "{name}"')
    return [d for _, d in rows]


def _create_indexes(defs: list[str]) -> None:
    with connection.cursor() as cur:
        # Django's foreign keys are deferred: check them now (CREATE INDEX refuses pending trigger events).
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET maintenance_work_mem = '256MB'")
        for d in defs:
            cur.execute(d)


def _weights(n: int) -> list[float]:
    # Zipf-like load: a few OPD (health, education, public works) get most requests.
    return [1 / (rank + 1) ** 0.9 for rank in range(n)]


def seed(n_cases: int, *, today: dt.date, officers: dict[int, list[int]], utama_user: int,
         rnd_seed: int = 7, log=print) -> dict:
    """Load `n_cases` cases (+ history) into an empty, migrated database. Returns counts and timings."""
    from opd_app.models import OPD
    from requests_app import workdays
    from requests_app.models import Case, CaseEvent, Notification, Objection, RegistrationCounter

    t0 = time.perf_counter()
    rnd = random.Random(rnd_seed)
    opds = list(OPD.objects.filter(is_ppid_utama=False).order_by("id")) + list(
        OPD.objects.filter(is_ppid_utama=True))
    order = opds[:]
    rnd.shuffle(order)
    # Dinkes first: the "largest OPD" is a stable, recognisable one.
    order.sort(key=lambda o: o.code != "DINKES")
    cum = list(accumulate(_weights(len(order))))
    start = today - dt.timedelta(days=3 * 365)
    cal = workdays.calendar_for(start, today + dt.timedelta(days=120))
    due_cache: dict[dt.date, tuple[dt.date, dt.date]] = {}

    add_cache: dict[tuple[dt.date, int], dt.date] = {}
    between_cache: dict[tuple[dt.date, dt.date], int] = {}

    def add_wd(day, n):
        key = (day, n)
        if key not in add_cache:
            add_cache[key] = cal.add_working_days(day, n)
        return add_cache[key]

    def between(a, b):
        if (a, b) not in between_cache:
            between_cache[(a, b)] = cal.working_days_between(a, b)
        return between_cache[(a, b)]

    def due_for(day):
        if day not in due_cache:
            r = cal.receipt_day(day)
            due_cache[day] = (r, cal.add_working_days(r, 10))
        return due_cache[day]

    now_wita = dt.datetime.combine(today, dt.time(10, 0), WITA)
    span = (now_wita - dt.datetime.combine(start, dt.time(0, 0), WITA)).total_seconds()
    # Receipt times: more requests lately (the portal gets known), office hours mostly.
    received = []
    for _ in range(n_cases):
        offset = span * (rnd.random() ** 0.8)
        received.append(now_wita - dt.timedelta(seconds=offset))
    received.sort()
    opd_of = [order[bisect(cum, rnd.random() * cum[-1])] for _ in range(n_cases)]

    tables = ["requests_app_case", "requests_app_caseevent", "requests_app_notification", "requests_app_objection"]
    if documents_model() is not None:
        tables.append(documents_model()._meta.db_table)
    index_defs = _drop_secondary_indexes(tables)

    case_t = Table(Case, fixed={"identity_document": "private/identity/bench.png", "language": "id",
                                "requester_type": "individual", "obtain_method": "copy", "copy_format": "softcopy",
                                "delivery_method": "email", "address": "Jl. Mulawarman, Tenggarong",
                                "purpose": "Bahan penelitian", "occupation": "Peneliti"})
    event_t = Table(CaseEvent)
    obj_t = Table(Objection)
    counters: dict[tuple[int, int], int] = {}
    open_due: list[tuple[str, int, dt.date]] = []  # ("case"|"objection", id, due date) for the sweep's ledger
    event_id = obj_id = 0
    statuses: dict[str, int] = {}
    has_registered_opd = any(f.column == "registered_opd_id" for f in case_t.fields)

    def event(case_id, at, kind, frm="", to="", note="", public=True, actor=None, data=None):
        nonlocal event_id
        event_id += 1
        event_t.add(id=event_id, case_id=case_id, at=at, actor_id=actor, kind=kind, from_status=frm,
                    to_status=to or frm, note=note, public=public, data=json.dumps(data) if data else "{}")

    for i in range(n_cases):
        cid = i + 1
        at = received[i]
        opd = opd_of[i]
        fwd = rnd.random() < 0.05
        origin = opd
        if fwd:  # forwarded here from another OPD: the number keeps the registering OPD's code
            origin = order[bisect(cum, rnd.random() * cum[-1])]
            if origin.pk == opd.pk:
                fwd = False
        year = at.year
        seq = counters.get((origin.pk, year), 0) + 1
        counters[(origin.pk, year)] = seq
        reg = f"{origin.code}-{year}-{seq:05d}"
        received_on, due = due_for(at.date())
        age = (today - received_on).days
        extended = None
        ext_reason = ""
        if rnd.random() < 0.15:
            extended = add_wd(due, 7)
            ext_reason = "Informasi yang diminta tersebar di beberapa bidang dan perlu dihimpun."
        eff = extended or due
        # State by age: settled cases are old, open ones are recent (plus an overdue backlog).
        r = rnd.random()
        if age > 45:
            status = ("closed" if r < 0.78 else "answered" if r < 0.93 else "withdrawn" if r < 0.96
                      else "in_process" if r < 0.985 else "extended" if extended else "forwarded" if fwd
                      else "submitted")
        else:
            status = ("submitted" if r < 0.25 else "in_process" if r < 0.60 else "answered" if r < 0.85
                      else "closed" if r < 0.93 else "withdrawn" if r < 0.95
                      else "forwarded" if fwd else "in_process")
        if status == "extended" and not extended:
            status = "in_process"
        if extended and status in ("submitted", "in_process", "forwarded"):
            status = "extended" if status != "forwarded" else status
        if status in ("submitted",) and extended:
            extended, ext_reason, eff = None, "", due
        statuses[status] = statuses.get(status, 0) + 1
        open_ = status in ("submitted", "in_process", "extended", "forwarded")
        decision = exemption = consequence = holder = ""
        answered_at = closed_at = overdue_at = answer_wd = None
        if status in ("answered", "closed"):
            d = rnd.random()
            decision = ("granted" if d < 0.55 else "partially_granted" if d < 0.75 else "rejected_exempt" if d < 0.85
                        else "not_held" if d < 0.95 else "not_documented")
            if decision == "rejected_exempt":
                exemption = rnd.choice("abcdefghij")
                consequence = "Membuka informasi ini dapat mengganggu proses penegakan hukum yang sedang berjalan."
            elif decision == "not_held":
                holder = "Badan Pusat Statistik Kabupaten Kutai Kartanegara"
            late = rnd.random() < 0.08
            wd = rnd.randint(12, 25) if late else rnd.randint(1, 10 if not extended else 17)
            answered_on = add_wd(received_on, wd)
            if answered_on > today:
                answered_on = today
            answer_wd = between(received_on, answered_on)
            answered_at = dt.datetime.combine(answered_on, dt.time(rnd.randint(8, 15), rnd.randint(0, 59)), WITA)
            if answered_at < at:
                answered_at = at + dt.timedelta(hours=1)
            if answered_on > eff:
                overdue_at = dt.datetime.combine(eff + dt.timedelta(days=1), dt.time(0, 5), WITA)
            if status == "closed":
                closed_at = answered_at + dt.timedelta(days=rnd.randint(1, 20))
        elif status == "withdrawn":
            closed_at = at + dt.timedelta(days=rnd.randint(1, 9))
        elif open_ and eff < today:
            overdue_at = dt.datetime.combine(eff + dt.timedelta(days=1), dt.time(0, 5), WITA)
        if open_:
            open_due.append(("case", cid, eff))
        officer_ids = officers[opd.pk]
        assigned = rnd.choice(officer_ids) if (status != "submitted" and rnd.random() < 0.8) else None
        topic = CASE_TOPICS[i % len(CASE_TOPICS)]
        values = dict(
            id=cid, registration_number=reg, opd_id=opd.pk, year=year, sequence=seq,
            tracking_code_hash=_hash(TRACKING_CODE, rnd), status=status, decision=decision,
            assigned_to_id=assigned, received_at=at, received_on=received_on, due_date=due,
            extended_due_date=extended, effective_due_date=eff, extension_reason=ext_reason,
            answered_at=answered_at, answer_working_days=answer_wd, overdue_at=overdue_at, closed_at=closed_at,
            forward_count=1 if fwd else 0,
            exemption=exemption, consequence_test=consequence, holder=holder,
            answer_note="Informasi disampaikan melalui e-mail." if answered_at else "",
            name=f"Pemohon {cid}", identity_number=f"6403{cid:012d}", phone=f"0812{cid:08d}",
            email=f"pemohon{cid}@example.org", information_requested=topic, publish_consent=cid % 3 == 0,
            created_at=at, updated_at=closed_at or answered_at or at,
        )
        if has_registered_opd:
            values["registered_opd_id"] = origin.pk
        case_t.add(**values)
        # Objections: about a quarter of refusals and late answers, and some unanswered backlog.
        if (answered_at and (decision in ("rejected_exempt", "not_held") or overdue_at) and rnd.random() < 0.25) or (
                open_ and overdue_at and rnd.random() < 0.1):
            obj_id += 1
            filed = (answered_at or overdue_at) + dt.timedelta(days=rnd.randint(1, 20))
            if filed > now_wita:
                filed = now_wita - dt.timedelta(hours=1)
            f_on = cal.receipt_day(filed.date())
            o_due = add_wd(f_on, 30)
            o_answered = filed + dt.timedelta(days=rnd.randint(5, 40))
            o_done = o_answered.date() <= today and rnd.random() < 0.9
            outcome = rnd.choice(["upheld", "dismissed"]) if o_done else ""
            ground = "a" if decision == "rejected_exempt" else "g" if overdue_at else "e"
            obj_t.add(id=obj_id, objection_number=f"KEB-{reg}", case_id=cid, opd_id=opd.pk, ground=ground,
                      reason="Pemohon keberatan atas tanggapan PPID.", status="answered" if o_done else "filed",
                      outcome=outcome, filed_at=filed, received_on=f_on, due_date=o_due,
                      answered_at=o_answered if o_done else None, answered_by_id=utama_user if o_done else None,
                      answer="Tanggapan atasan PPID." if o_done else "",
                      overdue_at=(dt.datetime.combine(o_due + dt.timedelta(days=1), dt.time(0, 5), WITA)
                                  if (not o_done and o_due < today) else None),
                      commission_deadline=add_wd(o_answered.date(), 14) if o_done else None)
            if not o_done:
                open_due.append(("objection", obj_id, o_due))
            event(cid, filed, "objection_filed", status, note=f"Keberatan {ground}")
            if o_done:
                event(cid, o_answered, "objection_answered", status, note=outcome)
        if cid % CHUNK == 0:
            for t in (case_t, obj_t, event_t):  # parents before children (foreign keys)
                t.flush()
            if cid % (CHUNK * 5) == 0:
                log(f"  seeded {cid:,} cases…")
    for t in (case_t, obj_t, event_t):
        t.flush()
    t_copy = time.perf_counter() - t0

    ledger = seed_deadline_ledger(open_due, today=today, cal=cal)

    RegistrationCounter.objects.all().delete()
    RegistrationCounter.objects.bulk_create(
        [RegistrationCounter(opd_id=o, year=y, last_value=v) for (o, y), v in counters.items()])
    docs = seed_documents(n_cases // 10, today=today, officers=officers, rnd=rnd, opds=order, cum=cum)
    history = derive_history(has_registered_opd)
    t_idx = time.perf_counter()
    _create_indexes(index_defs)
    with connection.cursor() as cur:
        for model in (Case, CaseEvent, Notification, Objection, RegistrationCounter):
            tbl = model._meta.db_table
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{tbl}', 'id'), COALESCE(MAX(id), 1)) FROM {tbl}")
        cur.execute("VACUUM ANALYZE") if not connection.in_atomic_block else cur.execute("ANALYZE")
    # With the indexes and statistics in place: the retention query plans as it does in production (before them, a
    # nested loop over every closed case and every objection).
    scans_purged = seed_identity_retention(today)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {Case._meta.db_table}")
    t_end = time.perf_counter()
    largest = Counter(o.pk for o in opd_of).most_common(1)[0]
    return {
        "cases": n_cases, "events": event_t.count + history["events"], "notifications": history["notifications"],
        "objections": obj_t.count,
        "documents": docs, "deadline_notices": ledger, "identity_scans_purged": scans_purged,
        "statuses": statuses, "largest_opd_id": largest[0], "largest_opd_cases": largest[1],
        "seconds_generate_copy": round(t_copy, 1), "seconds_indexes_analyze": round(t_end - t_idx, 1),
        "seconds_total": round(t_end - t0, 1),
    }


def derive_history(has_registered_opd: bool) -> dict:
    """Each case's events and outbox rows, derived from its columns in SQL (what the services wrote when it
    moved: submitted, forwarded, acknowledged, extended, overdue, answered, closed/withdrawn; the receipt,
    the officers' new-case notices and the written notice). Set-based: far faster than rows from Python."""
    with connection.cursor() as cur:
        cur.execute("SELECT setval(pg_get_serial_sequence('requests_app_caseevent', 'id'), "
                    "COALESCE(MAX(id), 1)) FROM requests_app_caseevent")
        registered = "c.registered_opd_id" if has_registered_opd else "c.opd_id"
        cur.execute(f"""
INSERT INTO requests_app_caseevent (case_id, at, actor_id, kind, from_status, to_status, note, public, data)
SELECT id, received_at, NULL::integer, 'submitted', '', 'submitted', 'Permohonan diterima.', true, '{{}}'::jsonb
  FROM requests_app_case
UNION ALL
SELECT c.id, c.received_at + interval '2 hours', NULL::integer, 'forwarded', 'submitted', 'submitted',
       'Diteruskan ke ' || o.code || '.', true, jsonb_build_object('from_opd', r.code, 'to_opd', o.code)
  FROM requests_app_case c JOIN opd_app_opd o ON o.id = c.opd_id JOIN opd_app_opd r ON r.id = {registered}
 WHERE c.forward_count > 0
UNION ALL
SELECT id, received_at + interval '3 hours', assigned_to_id, 'acknowledged', 'submitted', 'in_process', '', true,
       '{{}}'::jsonb FROM requests_app_case WHERE status <> 'submitted'
UNION ALL
SELECT id, received_at + interval '5 days', NULL::integer, 'extended', 'in_process', 'extended', extension_reason, true,
       '{{}}'::jsonb FROM requests_app_case WHERE extended_due_date IS NOT NULL AND status <> 'withdrawn'
UNION ALL
SELECT id, overdue_at, NULL::integer, 'overdue', 'in_process', 'in_process', 'Batas waktu terlewati.', true,
       '{{}}'::jsonb FROM requests_app_case WHERE overdue_at IS NOT NULL
UNION ALL
SELECT id, answered_at, assigned_to_id, 'answered', 'in_process', 'answered', decision, true, '{{}}'::jsonb
  FROM requests_app_case WHERE answered_at IS NOT NULL
UNION ALL
SELECT id, closed_at, assigned_to_id, CASE status WHEN 'closed' THEN 'closed' ELSE 'withdrawn' END, 'answered',
       status, '', true, '{{}}'::jsonb FROM requests_app_case WHERE closed_at IS NOT NULL""")
        events = cur.rowcount
        cur.execute("""
INSERT INTO requests_app_notification (dedupe_key, kind, case_id, objection_id, recipient_user_id, recipient_email,
                                       subject, body, attachment_ids, status, attempts, last_error, created_at, sent_at)
SELECT 'receipt:' || id, 'receipt', id, NULL::bigint, NULL::integer, email, 'Tanda bukti',
       'Tanda bukti penerimaan.', '[]'::jsonb, 'sent', 1, '', received_at, received_at + interval '30 seconds'
  FROM requests_app_case
UNION ALL
SELECT 'new_case:' || c.id || ':' || m.user_id, 'new_case', c.id, NULL::bigint, m.user_id, u.email, 'Permohonan baru',
       'Permohonan baru.', '[]'::jsonb, 'sent', 1, '', c.received_at, c.received_at + interval '30 seconds'
  FROM requests_app_case c JOIN opd_app_membership m ON m.opd_id = c.opd_id AND m.role = 'pelaksana'
  JOIN auth_user u ON u.id = m.user_id
UNION ALL
SELECT 'answer:' || id, 'answer', id, NULL::bigint, NULL::integer, email, 'Pemberitahuan tertulis',
       'Pemberitahuan tertulis.', '[]'::jsonb, 'sent', 1, '', answered_at, answered_at + interval '30 seconds'
  FROM requests_app_case WHERE answered_at IS NOT NULL""")
        notifications = cur.rowcount
    return {"events": events, "notifications": notifications}


def seed_deadline_ledger(open_due, *, today, cal) -> int | str:
    """The deadline sweep's ledger as it stands after years of sweeps: every threshold an open case or a
    filed objection has reached by today is already claimed, so the next sweep has nothing to send."""
    try:
        model = apps.get_model("requests_app", "DeadlineNotice")
    except LookupError:
        return "not available"
    d1, d3 = cal.add_working_days(today, 1), cal.add_working_days(today, 3)
    created = dt.datetime.combine(today, dt.time(0, 5), WITA)
    t = Table(model)
    # After years of sweeps every claimed notice has also been dispatched (its notifications written).
    fields = {f.name for f in model._meta.concrete_fields}
    dispatched = {"dispatched_at": created} if "dispatched_at" in fields else {}
    n = 0
    for what, pk, due in open_due:
        kinds = [k for k, reached in (("reminder3", due <= d3), ("reminder1", due <= d1), ("due_today", due <= today),
                                      ("overdue", due < today)) if reached]
        for kind in kinds:
            n += 1
            t.add(id=n, case_id=pk if what == "case" else None, objection_id=pk if what == "objection" else None,
                  kind=kind, due_date=due, created_at=created, **dispatched)
    t.flush()
    with connection.cursor() as cur:
        tbl = model._meta.db_table
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{tbl}', 'id'), COALESCE(MAX(id), 1)) FROM {tbl}")
        case_model = apps.get_model("requests_app", "Case")
        if "overdue_notice_due" in {f.name for f in case_model._meta.concrete_fields}:
            # What the sweep stamps when it claims an overdue notice (the ledger above holds them all).
            cur.execute(f"UPDATE {case_model._meta.db_table} c SET overdue_notice_due = dn.due_date FROM {tbl} dn "
                        f"WHERE dn.case_id = c.id AND dn.kind = 'overdue' AND dn.due_date = c.effective_due_date")
        objection_model = apps.get_model("requests_app", "Objection")
        if "overdue_notice_due" in {f.name for f in objection_model._meta.concrete_fields}:
            cur.execute(f"UPDATE {objection_model._meta.db_table} o SET overdue_notice_due = dn.due_date FROM {tbl} dn "
                        f"WHERE dn.objection_id = o.id AND dn.kind = 'overdue' AND dn.due_date = o.due_date")
    return n


def seed_identity_retention(today) -> int | str:
    """The identity scans the sweep would have purged by today (their retention has ended) are gone, as after
    years of sweeps: their field is cleared, so a sweep right after the seed has nothing to purge either."""
    try:
        from requests_app.services.retention import identity_documents_due_for_purge
    except ImportError:
        return "not available"
    case_model = apps.get_model("requests_app", "Case")
    purged = 0
    while due := identity_documents_due_for_purge(today, limit=5000):
        case_model.objects.filter(pk__in=[d.case.pk for d in due]).update(identity_document="")
        purged += len(due)
    return purged


def documents_model():
    """The published-document model, once the documents app has one (else None)."""
    try:
        return apps.get_model("documents_app", "Document")
    except LookupError:
        return None


def seed_documents(n: int, *, today, officers, rnd, opds, cum) -> int | str:
    model = documents_model()
    if model is None:
        return "not available"
    cols = {f.column: f for f in model._meta.concrete_fields}
    t = Table(model)
    fixed = {}
    for col, f in cols.items():
        if col in ("id",):
            continue
        if isinstance(f, models.ForeignKey) and col.endswith("opd_id"):
            continue
        if isinstance(f, models.FileField):
            fixed[col] = "documents/bench.pdf"
    ids = []
    for i in range(n):
        opd = opds[bisect(cum, rnd.random() * cum[-1])]
        words = rnd.choices(DOC_WORDS, k=300)
        if i % 10 == 0:
            words.append(COMMON_WORD)
        else:
            words.insert(5, COMMON_WORD) if rnd.random() < 0.3 else None
        if i == n // 2:
            words.append(RARE_WORD)
        text = " ".join(words)
        when = dt.datetime.combine(today - dt.timedelta(days=rnd.randint(0, 3 * 365)), dt.time(9, 0), WITA)
        values = {"id": i + 1, **fixed}
        for col, f in cols.items():
            name = f.name
            if col in values:
                continue
            if isinstance(f, models.ForeignKey):
                target = f.related_model._meta.label_lower
                if target == "opd_app.opd":
                    values[col] = opd.pk
                elif target == "auth.user":
                    values[col] = officers[opd.pk][0]
                elif not f.null:
                    raise KeyError(f"documents seed: no value for {col}")
                continue
            if name == "title":
                values[col] = f"Dokumen {' '.join(words[:4]).title()} {i + 1}"
            elif name in ("summary", "description"):
                values[col] = " ".join(words[:20])
            elif name in ("extracted_text", "text", "body", "content"):
                values[col] = text
            elif name == "scan_state":
                values[col] = "done"
            elif name == "original_filename":
                values[col] = f"dokumen-{i + 1}.pdf"
            elif name == "status":
                values[col] = "published"
            elif name == "category":
                values[col] = rnd.choice(["berkala", "serta_merta", "setiap_saat"])
            elif name in ("sha256", "checksum"):
                values[col] = f"{i:064x}"
            elif name in ("size", "file_size"):
                values[col] = 100_000 + i
            elif name == "filename":
                values[col] = f"dokumen-{i + 1}.pdf"
            elif name == "content_type":
                values[col] = "application/pdf"
            elif isinstance(f, models.DateTimeField):
                values[col] = when
            elif isinstance(f, models.DateField):
                values[col] = when.date()
            elif f.get_internal_type() == "SearchVectorField" or type(f).__name__ == "SearchVectorField":
                values[col] = None  # filled below with the app's own configuration
        t.add(**values)
        ids.append(i + 1)
    t.flush()
    with connection.cursor() as cur:
        tbl = model._meta.db_table
        if "search_vector" in cols:
            # What documents_app.services.records.document_index writes, set-based.
            from bench.floors_sql import fts_config

            cfg = fts_config()
            cur.execute(f"""UPDATE {tbl} SET search_vector =
                setweight(to_tsvector('{cfg}', coalesce(title, '')), 'A')
                || setweight(to_tsvector('{cfg}', coalesce(summary, '')), 'B')
                || setweight(to_tsvector('{cfg}', coalesce(extracted_text, '')), 'C')""")
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{tbl}', 'id'), COALESCE(MAX(id), 1)) FROM {tbl}")
    return n
