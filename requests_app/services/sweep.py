"""The deadline sweep (beat runs it every 5 minutes; `manage.py sweep_deadlines` runs it by hand).

Thresholds, for open cases (on their effective due date) and for unanswered objections (on theirs):

- ``reminder3`` — the due date is 2 or 3 working days away;
- ``reminder1`` — the due date is the next working day;
- ``due_today`` — the due date is today;
- ``overdue``   — the due date has passed (escalation: also the Atasan PPID, the PPID Utama admins and
  the requester, who is told how to object on grounds (c)/(g)).

Each threshold is one query: the open rows whose due date falls in the threshold's window and that have
no DeadlineNotice of that kind for that due date yet. A notice is claimed by inserting its
DeadlineNotice row (unique per case/objection, kind and due date) before any notification is written,
so a re-run or two racing sweeps produce it once; each notification also carries a unique dedupe key.

Catching up after downtime: the windows are computed from today, so a sweep after a long gap sends what
is still relevant — an overdue case gets its overdue notice, never the stale "3 days before" or "1 day
before" reminders it missed; a case now 1 working day from its due date gets only ``reminder1``.
A new due date (extension, holiday edit) starts a fresh set of notices.

The first moment a case (or an objection) is found overdue is stamped (`overdue_at`) and, for a case,
recorded as its one `overdue` event: for a case, in the sweep that claims its overdue notice.

For cases the sweep only decides and claims (the ledger rows, the overdue stamps and events); the notifications
and `reminder` events are written by dispatch_deadline_notices_task (services/deadline_dispatch.py), enqueued on
commit. The ledger row stays undispatched until then, so a broker outage loses nothing.
"""

import datetime as dt
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from opd_app.models import Membership, Role
from opd_app.permissions import utama_admins
from ppid_portal.clock import now, today_wita
from ppid_portal.queueing import enqueue_many
from requests_app import workdays
from requests_app.event_notes import system_note
from requests_app.models import (
    Case,
    CaseEvent,
    DeadlineNotice,
    EventKind,
    Notification,
    Objection,
    ObjectionStatus,
)
from requests_app.rules import OBJECTION_OVERDUE_NOTICE_OWED, OVERDUE_NOTICE_OWED
from requests_app.services.events import event_record
from requests_app.services.notify import notification_queue
from requests_app.services.objections import objection_answerers
from requests_app.services.retention import identity_documents_purge_due

log = logging.getLogger(__name__)

# A ledger row still undispatched after this is dispatched again (the broker was down, a worker died).
PENDING_RESEND_AFTER = dt.timedelta(minutes=5)
RESEND_BATCH = 1000
KINDS = ("reminder3", "reminder1", "due_today", "overdue")
SOON_DAYS = 3
CLAIM_BATCH = 500  # cases per claim statement and transaction


def _windows(today: dt.date, cal: workdays.Calendar) -> dict[str, dict]:
    """{kind: lookup on the due date} for `today`. The windows do not overlap."""
    d1 = cal.add_working_days(today, 1)
    d3 = cal.add_working_days(today, SOON_DAYS)
    return {
        "reminder3": {"gt": d1, "lte": d3},
        "reminder1": {"gt": today, "lte": d1},
        "due_today": {"exact": today},
        "overdue": {"lt": today},
    }


def _due_filter(field: str, window: dict) -> Q:
    return Q(**{f"{field}__{op}": value for op, value in window.items()})


def _claim(at=None, **fields) -> DeadlineNotice | None:
    """Insert the DeadlineNotice; None when another sweep (or an earlier run) already holds it."""
    try:
        with transaction.atomic():
            return DeadlineNotice.objects.create(created_at=at or now(), **fields)
    except IntegrityError:
        return None


def _unclaimed(qs, owner: str, due_field: str, kind: str):
    """`qs` without the rows that already hold a DeadlineNotice of `kind` for their current due date.

    On PostgreSQL the NOT EXISTS carries OFFSET 0, which keeps the planner from turning it into a hash anti-join
    over the whole ledger (every notice ever sent, closed cases included — the cost that grew with the history,
    measured in bench/): it stays a per-row probe of the unique (owner, kind, due_date) index, so the query costs
    an index scan of the window plus one index probe per row in it. Elsewhere: the plain NOT EXISTS."""
    if connection.vendor != "postgresql":
        claimed = DeadlineNotice.objects.filter(**{owner: OuterRef("pk"), "due_date": OuterRef(due_field)}, kind=kind)
        return qs.exclude(Exists(claimed))
    table, ledger = qs.model._meta.db_table, DeadlineNotice._meta.db_table
    due_column = qs.model._meta.get_field(due_field).column
    return qs.extra(where=[
        f'NOT EXISTS (SELECT 1 FROM "{ledger}" dn WHERE dn."{owner}_id" = "{table}"."id" AND dn."kind" = %s '
        f'AND dn."due_date" = "{table}"."{due_column}" OFFSET 0)'
    ], params=[kind])


def _kind_of(due: dt.date, today: dt.date, d1: dt.date) -> str:
    """The threshold whose window holds `due` (the windows of _windows, which cover every date up to d3)."""
    if due < today:
        return "overdue"
    if due == today:
        return "due_today"
    return "reminder1" if due <= d1 else "reminder3"


def _unclaimed_in(qs, owner: str, due_field: str, today: dt.date, cal: workdays.Calendar,
                  kinds: tuple[str, ...]) -> list[tuple[int, dt.date, str]]:
    """(id, due date, kind) of the rows of `qs` in the windows of `kinds` (adjacent windows) that hold no
    DeadlineNotice of the kind of their window for their current due date, by id.

    PostgreSQL: one query for all the windows (the kind probed is a CASE on the due date; a round trip per
    window was most of a sweep with nothing to send). Elsewhere: one query per window."""
    windows = _windows(today, cal)
    if connection.vendor != "postgresql":
        rows = []
        for kind in kinds:
            found = _unclaimed(qs.filter(_due_filter(due_field, windows[kind])), owner, due_field, kind)
            rows += [(pk, due, kind) for pk, due in found.values_list("pk", due_field)]
        return sorted(rows)
    d1, d3 = windows["reminder1"]["lte"], windows["reminder3"]["lte"]
    span = Q(**{f"{due_field}__lte": d3})
    if "overdue" not in kinds:
        span &= Q(**{f"{due_field}__gte": today})
    table, ledger = qs.model._meta.db_table, DeadlineNotice._meta.db_table
    due_column = f'"{table}"."{qs.model._meta.get_field(due_field).column}"'
    kind_sql = (f"CASE WHEN {due_column} < %s THEN 'overdue' WHEN {due_column} = %s THEN 'due_today' "
                f"WHEN {due_column} <= %s THEN 'reminder1' ELSE 'reminder3' END")
    found = qs.filter(span).extra(where=[
        f'NOT EXISTS (SELECT 1 FROM "{ledger}" dn WHERE dn."{owner}_id" = "{table}"."id" AND dn."kind" = {kind_sql} '
        f'AND dn."due_date" = {due_column} OFFSET 0)'
    ], params=[today, today, d1]).order_by("pk").values_list("pk", due_field)
    return [(pk, due, _kind_of(due, today, d1)) for pk, due in found]


def _unique_users(*groups) -> list:
    seen, users = set(), []
    for group in groups:
        for user in group:
            if user.pk not in seen:
                seen.add(user.pk)
                users.append(user)
    return users


# --------------------------------------------------------------------------------------------------- fan-out helpers
# (used by services/deadline_dispatch.py)


def _recipients_by_opd(opd_ids: set[int], roles: tuple[str, ...]) -> dict[tuple[int, str], list]:
    """{(opd_id, role): active users, by id} for all the OPDs at once (officers_of, batched)."""
    found: dict[tuple[int, str], list] = {}
    memberships = (Membership.objects.filter(opd_id__in=opd_ids, role__in=roles, user__is_active=True)
                   .select_related("user").order_by("user_id"))
    for m in memberships:
        users = found.setdefault((m.opd_id, m.role), [])
        if all(u.pk != m.user_id for u in users):
            users.append(m.user)
    return found


def _outbox_write(rows: list[Notification]) -> list[int]:
    """Insert the outbox rows; the ids of those inserted (a row whose dedupe key exists is skipped, as in
    notification_queue). One INSERT; only if a key already exists, one savepoint per row."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
        if all(r.pk for r in created):
            return [r.pk for r in created]
        keys = [r.dedupe_key for r in rows]  # a backend that cannot return ids from a bulk insert
        return list(Notification.objects.filter(dedupe_key__in=keys, created_at=rows[0].created_at)
                    .values_list("pk", flat=True))
    except IntegrityError:
        ids = []
        for row in rows:
            row.pk = None
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            ids.append(row.pk)
        return ids


# --------------------------------------------------------------------------------------------------- cases
#
# The sweep decides and claims; a worker fans out (rendering ~3 templates and writing ~5 outbox rows
# per case inside the sweep cost 20× the SQL that selects and marks the cases). Per threshold and batch of
# CLAIM_BATCH cases the sweep runs a fixed number of statements: the claim of the ledger rows, for `overdue`
# one UPDATE stamping the cases and one INSERT of their first-overdue events. On commit it enqueues
# dispatch_deadline_notices_task with the claimed ledger rows (services/deadline_dispatch.py), DISPATCH_BATCH
# ids per broker message. A broker that is down leaves the rows undispatched; a later sweep re-enqueues them.

DISPATCH_BATCH = 100
DISPATCH_TASK = "requests_app.tasks.dispatch_deadline_notices_task"


def _overdue_event_note(due: dt.date) -> str:
    return system_note("overdue", due=f"{due:%d-%m-%Y}")[0]


def _overdue_note_sql_parts() -> tuple[str, str]:
    """The record text of the first-overdue event around its date, for the SQL that writes those events."""
    head, _sep, tail = system_note("overdue", due="\x00")[0].partition("\x00")
    return head, tail


def _claim_cases(cases: list[tuple[int, dt.date]], kind: str) -> dict[int, int]:
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
        row = _claim(case_id=pk, kind=kind, due_date=due, at=at)
        if row is not None:
            claimed[pk] = row.pk
    return claimed


def _stamp_overdue(ids: list[int], at) -> int:
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


def _case_claim_batch(cases: list[tuple[int, dt.date]], kind: str, today: dt.date) -> tuple[int, int]:
    """Claim one threshold's notices for `cases` in one transaction (and, for `overdue`, stamp the cases and
    write their first-overdue events); enqueue the fan-out on commit. (claimed, first stamped overdue)."""
    with transaction.atomic():
        claimed = _claim_cases(cases, kind)
        first = _stamp_overdue([pk for pk, _due in cases], now()) if kind == "overdue" else 0
        if claimed:
            ids = sorted(claimed.values())
            transaction.on_commit(lambda: dispatch_enqueue(ids, today))
    return len(claimed), first


def _overdue_candidates(today: dt.date):
    """Open cases past their due date that still owe the overdue notice for it. The overdue window is open-ended
    (every overdue open case), so this reads the partial index of the cases that still owe the notice: its cost
    follows the cases that cross, not the overdue backlog. (The reminder windows span a few days of due dates:
    probing the ledger per case there is cheap, see _unclaimed_in.)"""
    return Case.objects.filter(OVERDUE_NOTICE_OWED, effective_due_date__lt=today)


def case_notices(today: dt.date, cal: workdays.Calendar) -> dict[str, int]:
    """{kind: cases claimed} and, under "overdue_marked", the cases found overdue for the first time."""
    counts = {"overdue_marked": 0}
    by_kind = {kind: [] for kind in KINDS}
    for pk, due, kind in _unclaimed_in(Case.objects.open(), "case", "effective_due_date", today, cal, KINDS[:3]):
        by_kind[kind].append((pk, due))
    by_kind["overdue"] = list(_overdue_candidates(today).order_by("pk").values_list("pk", "effective_due_date"))
    for kind, candidates in by_kind.items():
        counts[kind] = 0
        for i in range(0, len(candidates), CLAIM_BATCH):
            claimed, first = _case_claim_batch(candidates[i:i + CLAIM_BATCH], kind, today)
            counts[kind] += claimed
            counts["overdue_marked"] += first
    return counts


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


# --------------------------------------------------------------------------------------------------- objections


def _objection_notice(objection: Objection, kind: str, today: dt.date, cal: workdays.Calendar) -> bool:
    due = objection.due_date
    with transaction.atomic():
        at = now()  # objections are few: their notices are written here, so the ledger row is dispatched at once
        claimed = _claim(objection=objection, kind=kind, due_date=due, at=at, dispatched_at=at)
        if kind == "overdue":  # claimed now or by an earlier sweep: the objection leaves the partial index
            Objection.objects.filter(pk=objection.pk, due_date=due).update(overdue_notice_due=due)
        if not claimed:
            return False
        case = objection.case
        answerers = objection_answerers(objection.opd_id)
        recipients = _unique_users(answerers, utama_admins()) if kind == "overdue" else answerers
        context = {"case": case, "objection": objection, "notice": kind, "due": due,
                   "days_left": cal.working_days_between(today, due) if due > today else 0}
        template = "objection_overdue" if kind == "overdue" else "objection_reminder"
        for user in recipients:
            notification_queue(
                dedupe_key=f"{kind}:objection{objection.pk}:{due.isoformat()}:{user.pk}", kind=f"objection_{kind}",
                template=template, context={**context, "recipient": user}, recipient_user=user, case=case,
                objection=objection,
            )
        if kind == "overdue":
            locked = Objection.objects.select_for_update().get(pk=objection.pk)
            if locked.overdue_at is None:
                locked.overdue_at = now()
                locked.save(update_fields=["overdue_at"])
            notification_queue(
                dedupe_key=f"overdue:objection{objection.pk}:{due.isoformat()}:requester",
                kind="requester_objection_overdue", template="requester_objection_overdue", context=context,
                recipient_email=case.email, case=case, objection=objection, language=case.language,
            )
        event_record(
            case=case, kind=EventKind.REMINDER, from_status=case.status, public=False,
            note=_("Keberatan %(n)s: pemberitahuan %(kind)s (batas waktu %(due)s) kepada: %(who)s.")
            % {"n": objection.objection_number, "kind": kind, "due": due.strftime("%d-%m-%Y"),
               "who": ", ".join(u.username for u in recipients) or "-"},
            data={"objection": objection.objection_number, "notice": kind, "due_date": due.isoformat()},
        )
    return True


def objection_notices(today: dt.date, cal: workdays.Calendar) -> dict[str, int]:
    """The objections' notices. The reminder windows probe the ledger (a few days of due dates); the open-ended
    overdue window reads the partial index of the filed objections that still owe their overdue notice."""
    counts = {f"objection_{kind}": 0 for kind in KINDS}
    found = _unclaimed_in(Objection.objects.filter(status=ObjectionStatus.FILED), "objection", "due_date", today, cal,
                          ("reminder3", "reminder1", "due_today"))
    found += [(pk, due, "overdue") for pk, due in
              Objection.objects.filter(OBJECTION_OVERDUE_NOTICE_OWED, due_date__lt=today).order_by("pk")
              .values_list("pk", "due_date")]
    if not found:
        return counts
    objections = Objection.objects.select_related("case", "case__opd", "opd").in_bulk([pk for pk, _d, _k in found])
    for pk, _due, kind in found:
        counts[f"objection_{kind}"] += _objection_notice(objections[pk], kind, today, cal)
    return counts


# --------------------------------------------------------------------------------------------------- digest


def digest_send(today: dt.date | None = None) -> int:
    """Each PPID Pelaksana officer's open cases by urgency, once per officer per working day. Officers with
    no open case in their OPDs get nothing. Returns how many digests were queued."""
    today = today or today_wita()
    cal = workdays.calendar_for(today, today + dt.timedelta(days=30))
    if not cal.is_working_day(today):
        return 0
    soon_limit = cal.add_working_days(today, SOON_DAYS)
    prefix = f"digest:{today.isoformat()}:"
    done = {int(k.removeprefix(prefix)) for k in
            Notification.objects.filter(dedupe_key__startswith=prefix).values_list("dedupe_key", flat=True)}
    memberships = (Membership.objects.filter(role=Role.PELAKSANA, user__is_active=True).exclude(user__email="")
                   .exclude(user_id__in=done).select_related("user"))
    opds_of: dict[int, set[int]] = {}
    users = {}
    for m in memberships:
        opds_of.setdefault(m.user_id, set()).add(m.opd_id)
        users[m.user_id] = m.user
    if not users:
        return 0
    all_opds = set().union(*opds_of.values())
    cases = list(Case.objects.open().filter(opd_id__in=all_opds).select_related("opd").order_by("effective_due_date",
                                                                                                "received_at"))
    sent = 0
    for user_id, opd_ids in opds_of.items():
        mine = [c for c in cases if c.opd_id in opd_ids and c.assigned_to_id in (None, user_id)]
        if not mine:
            continue
        groups = {
            "overdue": [c for c in mine if c.effective_due_date < today],
            "soon": [c for c in mine if today <= c.effective_due_date <= soon_limit],
            "normal": [c for c in mine if c.effective_due_date > soon_limit],
        }
        row = notification_queue(
            dedupe_key=f"{prefix}{user_id}", kind="digest", template="digest",
            context={"recipient": users[user_id], "today": today, "total": len(mine), **groups},
            recipient_user=users[user_id],
        )
        sent += row is not None
    return sent


# --------------------------------------------------------------------------------------------------- entry point


def sweep_run(today: dt.date | None = None) -> dict:
    """One sweep: case notices claimed (and overdue cases stamped), objection notices, the re-enqueue of
    undispatched ledger rows, and a batch of identity scans whose retention has ended (services.retention). The
    outbox's pending rows are beat's own, more frequent job (resend_notifications_task). Safe to run any time."""
    today = today or today_wita()
    cal = workdays.calendar_for(today, today + dt.timedelta(days=SOON_DAYS * 7 // 5 + 40))
    result = case_notices(today, cal)
    result.update(objection_notices(today, cal))
    result["redispatched"] = redispatch_undispatched(today)
    result["identity_documents_purged"] = identity_documents_purge_due(today)
    log.info("sweep %s: %s", today, result)
    return result
