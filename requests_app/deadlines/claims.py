"""The DeadlineNotice ledger: a notice is claimed by inserting its row (unique per case/objection, kind and due
date) before any notification is written, so a re-run or two racing sweeps produce it once.

For cases the sweep only decides and claims; a worker fans out (rendering ~3 templates and writing ~5 outbox
rows per case inside the sweep cost 20× the SQL that selects and marks the cases). Per threshold and batch of
CLAIM_BATCH cases the sweep runs a fixed number of statements: the claim of the ledger rows, for `overdue` one
UPDATE stamping the cases and one INSERT of their first-overdue events. On commit it enqueues
dispatch_deadline_notices_task with the claimed ledger rows (deadlines/dispatch.py), DISPATCH_BATCH ids per
broker message. A broker that is down leaves the rows undispatched; a later sweep re-enqueues them.
"""

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef

from ppid_portal.clock import now
from ppid_portal.queueing import enqueue_many
from requests_app.event_notes import system_note
from requests_app.models import Case, CaseEvent, DeadlineNotice, EventKind

# A ledger row still undispatched after this is dispatched again (the broker was down, a worker died).
PENDING_RESEND_AFTER = dt.timedelta(minutes=5)
RESEND_BATCH = 1000
CLAIM_BATCH = 500  # cases per claim statement and transaction
DISPATCH_BATCH = 100
DISPATCH_TASK = "requests_app.tasks.dispatch_deadline_notices_task"


def notice_claim(at=None, **fields) -> DeadlineNotice | None:
    """Insert the DeadlineNotice; None when another sweep (or an earlier run) already holds it."""
    try:
        with transaction.atomic():
            return DeadlineNotice.objects.create(created_at=at or now(), **fields)
    except IntegrityError:
        return None


def _overdue_event_note(due: dt.date) -> str:
    return system_note("overdue", due=f"{due:%d-%m-%Y}")[0]


def _overdue_note_sql_parts() -> tuple[str, str]:
    """The record text of the first-overdue event around its date, for the SQL that writes those events."""
    head, _sep, tail = system_note("overdue", due="\x00")[0].partition("\x00")
    return head, tail


def case_notices_claim(cases: list[tuple[int, dt.date]], kind: str) -> dict[int, int]:
    """Insert the DeadlineNotice rows of `cases` ((id, due date) pairs) for `kind`: {case id: ledger row id} of
    the rows this sweep inserted.

    One INSERT … ON CONFLICT DO NOTHING RETURNING, rows in id order (PostgreSQL; SQLite ≥ 3.35, whose writers are
    serialised anyway). On PostgreSQL a racing sweep inserting the same key waits for ours to commit and then
    skips it, so each row is won by exactly one sweep. Other backends: one savepoint per case."""
    if not cases:
        return {}
    at = now()
    if connection.vendor == "postgresql" or (connection.vendor == "sqlite"
                                             and connection.features.can_return_rows_from_bulk_insert):
        table = DeadlineNotice._meta.db_table
        values = ", ".join(["(%s, NULL, %s, %s, %s)"] * len(cases))
        ops, created_at = connection.ops, connection.ops.adapt_datetimefield_value(at)
        params = []
        for pk, due in cases:
            params += [pk, kind, ops.adapt_datefield_value(due), created_at]
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {table} (case_id, objection_id, kind, due_date, created_at) VALUES {values} "
                f"ON CONFLICT DO NOTHING RETURNING case_id, id", params,
            )
            return dict(cur.fetchall())
    claimed = {}
    for pk, due in cases:
        row = notice_claim(case_id=pk, kind=kind, due_date=due, at=at)
        if row is not None:
            claimed[pk] = row.pk
    return claimed


def overdue_stamp(ids: list[int], at) -> int:
    """For the cases among `ids` whose current due date holds its overdue DeadlineNotice (won by this sweep or an
    earlier one), in one UPDATE: `overdue_notice_due` (they leave the partial index the next sweep reads) and,
    if not yet set, `overdue_at` (the first moment the case was found overdue); the cases stamped overdue now
    get their one `overdue` event. Returns how many did.

    PostgreSQL: one statement (UPDATE … RETURNING feeding the INSERT of the events). The self-join reads the value
    before the update; a racing sweep that stamps the same case has claimed the same ledger row, so ours waited
    for its commit in the claim and this statement sees its stamp (and should a concurrent stamp still land
    during it, the re-checked `overdue_at IS NOT DISTINCT FROM prev.overdue_at` leaves the row to that one)."""
    if not ids:
        return 0
    table, ledger, events = Case._meta.db_table, DeadlineNotice._meta.db_table, CaseEvent._meta.db_table
    if connection.vendor == "postgresql":
        head, tail = _overdue_note_sql_parts()
        with connection.cursor() as cur:
            cur.execute(
                f'WITH stamped AS (UPDATE "{table}" c SET overdue_notice_due = c.effective_due_date, '
                f"overdue_at = COALESCE(c.overdue_at, %(at)s) "
                f'FROM "{table}" prev '
                f"WHERE prev.id = c.id AND c.id = ANY(%(ids)s) AND c.overdue_at IS NOT DISTINCT FROM prev.overdue_at "
                f'AND EXISTS (SELECT 1 FROM "{ledger}" dn WHERE dn.case_id = c.id AND dn.kind = %(kind)s '
                f"AND dn.due_date = c.effective_due_date) "
                f"RETURNING c.id, c.status, c.effective_due_date AS due, prev.overdue_at IS NULL AS first) "
                f'INSERT INTO "{events}" (case_id, at, actor_id, kind, from_status, to_status, note, public, data) '
                f"SELECT id, %(at)s, NULL, %(event)s, status, status, "
                f"%(note_head)s || to_char(due, 'DD-MM-YYYY') || %(note_tail)s, true, "
                f"jsonb_build_object('due_date', to_char(due, 'YYYY-MM-DD')) FROM stamped WHERE first",
                {"at": at, "ids": ids, "kind": "overdue", "event": EventKind.OVERDUE.value,
                 "note_head": head, "note_tail": tail},
            )
            return cur.rowcount
    notified = DeadlineNotice.objects.filter(case=OuterRef("pk"), kind="overdue",
                                             due_date=OuterRef("effective_due_date"))
    rows = list(Case.objects.filter(pk__in=ids).filter(Exists(notified))
                .values_list("pk", "status", "effective_due_date", "overdue_at"))
    Case.objects.filter(pk__in=[pk for pk, *_rest in rows]).update(overdue_notice_due=F("effective_due_date"))
    first = [(pk, status, due) for pk, status, due, first_at in rows if first_at is None]
    Case.objects.filter(pk__in=[pk for pk, *_rest in first], overdue_at__isnull=True).update(overdue_at=at)
    CaseEvent.objects.bulk_create([
        CaseEvent(case_id=pk, kind=EventKind.OVERDUE, actor=None, from_status=status, to_status=status,
                  note=_overdue_event_note(due), public=True, data={"due_date": due.isoformat()}, at=at)
        for pk, status, due in first
    ])
    return len(first)


def dispatch_enqueue(notice_ids: list[int], today: dt.date) -> None:
    """Enqueue the fan-out of claimed ledger rows, DISPATCH_BATCH per broker message. Broker down: the rows
    stay undispatched and a later sweep re-enqueues them (redispatch_undispatched)."""
    if not notice_ids:
        return
    day = today.isoformat()
    enqueue_many(DISPATCH_TASK, [(notice_ids[i:i + DISPATCH_BATCH], day)
                                 for i in range(0, len(notice_ids), DISPATCH_BATCH)])


def case_claim_batch(cases: list[tuple[int, dt.date]], kind: str, today: dt.date) -> tuple[int, int]:
    """Claim one threshold's notices for `cases` in one transaction (and, for `overdue`, stamp the cases and
    write their first-overdue events); enqueue the fan-out on commit. (claimed, first stamped overdue)."""
    with transaction.atomic():
        claimed = case_notices_claim(cases, kind)
        first = overdue_stamp([pk for pk, _due in cases], now()) if kind == "overdue" else 0
        if claimed:
            ids = sorted(claimed.values())
            transaction.on_commit(lambda: dispatch_enqueue(ids, today))
    return len(claimed), first


def redispatch_undispatched(today: dt.date) -> int:
    """Re-enqueue the fan-out of ledger rows still undispatched after a while (the broker was down, a worker
    died). Dispatching is idempotent, so a row enqueued twice is still dispatched once."""
    cutoff = now() - PENDING_RESEND_AFTER
    ids = list(
        DeadlineNotice.objects.filter(dispatched_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at").values_list("pk", flat=True)[:RESEND_BATCH]
    )
    dispatch_enqueue(ids, today)
    return len(ids)
