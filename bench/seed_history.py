"""The history a portal holds after years of service, derived from the seeded cases: each case's events and
outbox rows, the deadline sweep's ledger, and the identity scans the retention sweep would have purged."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import connection

from bench.bulk import WITA, Table, reset_sequence
from requests_app import rules


def derive_history(has_registered_opd: bool) -> dict:
    """Each case's events and outbox rows, derived from its columns in SQL (what the services wrote when it
    moved: submitted, forwarded, acknowledged, extended, overdue, answered, closed/withdrawn; the receipt,
    the officers' new-case notices and the written notice). Set-based: far faster than rows from Python."""
    from django.contrib.auth import get_user_model

    from opd_app.models import OPD, Membership
    from requests_app.models import Case, CaseEvent, Notification

    case, event, outbox = Case._meta.db_table, CaseEvent._meta.db_table, Notification._meta.db_table
    opd, membership, user = OPD._meta.db_table, Membership._meta.db_table, get_user_model()._meta.db_table
    with connection.cursor() as cur:
        reset_sequence(cur, event)
        registered = "c.registered_opd_id" if has_registered_opd else "c.opd_id"
        cur.execute(f"""
INSERT INTO {event} (case_id, at, actor_id, kind, from_status, to_status, note, public, data)
SELECT id, received_at, NULL::integer, 'submitted', '', 'submitted', 'Permohonan diterima.', true, '{{}}'::jsonb
  FROM {case}
UNION ALL
SELECT c.id, c.received_at + interval '2 hours', NULL::integer, 'forwarded', 'submitted', 'submitted',
       'Diteruskan ke ' || o.code || '.', true, jsonb_build_object('from_opd', r.code, 'to_opd', o.code)
  FROM {case} c JOIN {opd} o ON o.id = c.opd_id JOIN {opd} r ON r.id = {registered}
 WHERE c.forward_count > 0
UNION ALL
SELECT id, received_at + interval '3 hours', assigned_to_id, 'acknowledged', 'submitted', 'in_process', '', true,
       '{{}}'::jsonb FROM {case} WHERE status <> 'submitted'
UNION ALL
SELECT id, received_at + interval '5 days', NULL::integer, 'extended', 'in_process', 'extended', extension_reason, true,
       '{{}}'::jsonb FROM {case} WHERE extended_due_date IS NOT NULL AND status <> 'withdrawn'
UNION ALL
SELECT id, overdue_at, NULL::integer, 'overdue', 'in_process', 'in_process', 'Batas waktu terlewati.', true,
       '{{}}'::jsonb FROM {case} WHERE overdue_at IS NOT NULL
UNION ALL
SELECT id, answered_at, assigned_to_id, 'answered', 'in_process', 'answered', decision, true, '{{}}'::jsonb
  FROM {case} WHERE answered_at IS NOT NULL
UNION ALL
SELECT id, closed_at, assigned_to_id, CASE status WHEN 'closed' THEN 'closed' ELSE 'withdrawn' END, 'answered',
       status, '', true, '{{}}'::jsonb FROM {case} WHERE closed_at IS NOT NULL""")
        events = cur.rowcount
        cur.execute(f"""
INSERT INTO {outbox} (dedupe_key, kind, case_id, objection_id, recipient_user_id, recipient_email,
                                       subject, body, attachment_ids, status, attempts, last_error, created_at, sent_at)
SELECT 'receipt:' || id, 'receipt', id, NULL::bigint, NULL::integer, email, 'Tanda bukti',
       'Tanda bukti penerimaan.', '[]'::jsonb, 'sent', 1, '', received_at, received_at + interval '30 seconds'
  FROM {case}
UNION ALL
SELECT 'new_case:' || c.id || ':' || m.user_id, 'new_case', c.id, NULL::bigint, m.user_id, u.email, 'Permohonan baru',
       'Permohonan baru.', '[]'::jsonb, 'sent', 1, '', c.received_at, c.received_at + interval '30 seconds'
  FROM {case} c JOIN {membership} m ON m.opd_id = c.opd_id AND m.role = 'pelaksana'
  JOIN {user} u ON u.id = m.user_id
UNION ALL
SELECT 'answer:' || id, 'answer', id, NULL::bigint, NULL::integer, email, 'Pemberitahuan tertulis',
       'Pemberitahuan tertulis.', '[]'::jsonb, 'sent', 1, '', answered_at, answered_at + interval '30 seconds'
  FROM {case} WHERE answered_at IS NOT NULL""")
        notifications = cur.rowcount
    return {"events": events, "notifications": notifications}


def seed_deadline_ledger(open_due, *, today, cal) -> int | str:
    """The deadline sweep's ledger as it stands after years of sweeps: every threshold an open case or a
    filed objection has reached by today is already claimed, so the next sweep has nothing to send."""
    try:
        model = apps.get_model("requests_app", "DeadlineNotice")
    except LookupError:
        return "not available"
    d1, d3 = cal.add_working_days(today, 1), rules.soon_limit(cal, today)
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
        reset_sequence(cur, tbl)
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
