"""Seed the benchmark database with N cases and their history, fast: generated in Python, loaded with COPY.

The mix is what a regency portal holds after three years: most cases closed or answered (some late,
some extended, some forwarded), a backlog of open cases (some overdue), objections against a share of
the negative answers, the event history and the notification outbox of each case (bench.seed_history), and —
once the documents app exists — 10% as many published documents with extracted text (bench.seed_documents).

Rows are written with explicit ids; sequences, registration counters and planner statistics are set
afterwards so the portal keeps numbering gap-free from where the seed stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from bisect import bisect
from collections import Counter
from itertools import accumulate

from django.db import connection

from bench.bulk import WITA, Table, create_indexes, drop_secondary_indexes, reset_sequence
from bench.seed_documents import documents_model, seed_documents
from bench.seed_history import derive_history, seed_deadline_ledger, seed_identity_retention
from bench.words import CASE_TOPICS
from requests_app import rules

TRACKING_CODE = "BENCHTRACK23"  # every seeded case shares it (salted per row), so tracking can be measured
CHUNK = 20_000


def _hash(code: str, rnd: random.Random) -> str:
    import hashlib

    salt = f"{rnd.getrandbits(64):016x}"
    return f"{salt}${hashlib.sha256(f'{salt}:{code}'.encode()).hexdigest()}"


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
            due_cache[day] = (r, cal.add_working_days(r, rules.NOTICE_DAYS))
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

    tables = [model._meta.db_table for model in (Case, CaseEvent, Notification, Objection)]
    if documents_model() is not None:
        tables.append(documents_model()._meta.db_table)
    index_defs = drop_secondary_indexes(tables)

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
            extended = add_wd(due, rules.EXTENSION_DAYS)
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
        if extended and status in rules.EXTENDABLE_STATUSES:
            status = "extended" if status != "forwarded" else status
        if status in ("submitted",) and extended:
            extended, ext_reason, eff = None, "", due
        statuses[status] = statuses.get(status, 0) + 1
        open_ = rules.is_open(status)
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
            o_due = add_wd(f_on, rules.OBJECTION_ANSWER_DAYS)
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
                      commission_deadline=add_wd(o_answered.date(), rules.DISPUTE_DAYS) if o_done else None)
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
    create_indexes(index_defs)
    with connection.cursor() as cur:
        for model in (Case, CaseEvent, Notification, Objection, RegistrationCounter):
            reset_sequence(cur, model._meta.db_table)
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
