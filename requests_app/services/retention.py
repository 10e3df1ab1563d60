"""How long the requester's identity scan is kept (UU 27/2022 on personal data protection).

The scan matters while the request can still be disputed. It is kept until the case is closed or withdrawn,
every remedy window has run out and no objection is still open:

- objection filing: 30 working days after the grounds arose (the answer's date; a withdrawn case takes no
  objection, see services.objections.objection_file);
- objection answer: a filed objection can still be answered (late answers too), so it keeps the scan;
- dispute filing: 14 working days after the objection's answer (its `commission_deadline`);
- a dispute reported to the Komisi Informasi (objection `referred_to_commission`) keeps it while pending;

then for PPID_IDENTITY_RETENTION_DAYS calendar days more. On the next day the deadline sweep deletes the file
and clears the field, with an internal `identity_document_purged` event. The authority document (a legal entity's
deed or registration, a surat kuasa) is the requester's personal data as much: it goes with the scan, by the
same rule. The register's text columns (name,
NIK, address, …) stay: they are the PPID's archival record.
"""

import datetime as dt
import logging
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from ppid_portal.clock import WITA, today_wita, wita_date
from ppid_portal.files import files_delete_on_commit
from requests_app import rules, workdays
from requests_app.event_notes import system_note
from requests_app.models import Case, EventKind, Objection, ObjectionStatus, Status
from requests_app.models.case import REQUESTER_FILE_FIELDS, requester_files_kept
from requests_app.rules import FINISHED_STATUSES, OBJECTION_FILING_DAYS
from requests_app.services.archive import case_archivable_on
from requests_app.services.events import event_record

log = logging.getLogger(__name__)

# Objections that keep the scan whatever the dates: still answerable, or a dispute pending.
OPEN_OBJECTION_STATUSES = (ObjectionStatus.FILED, ObjectionStatus.REFERRED)
# Scans purged per sweep, so one sweep after a long gap stays short; the next sweeps take the rest.
PURGE_BATCH = 100


class PurgeDue(NamedTuple):
    case: Case
    kept_until: dt.date  # the last day the scan was to be kept


def retention_days() -> int:
    return settings.PPID_IDENTITY_RETENTION_DAYS


def identity_document_kept_until(case: Case, objections, cal: workdays.Calendar) -> dt.date | None:
    """The last day the case's identity scan is kept; None while it must be kept with no end in sight (the case
    is open, an objection can still be answered or a dispute is pending). `objections` are the case's
    objections; `cal` covers the case's dates."""
    # The same windows as the archive package's (rules.archivable_on): the scan is kept to the last day of them.
    archivable = case_archivable_on(case, objections, cal)
    if archivable is None:
        return None
    return archivable - dt.timedelta(days=1) + dt.timedelta(days=retention_days())


def _wita_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=WITA)


def _answered_before_for_filing_ended(latest: dt.date) -> dt.date:
    """The first answer day whose objection-filing window ends after `latest`: a case answered on an earlier day
    has its window closed by `latest`. Exact, so the sweep's candidates are (nearly) only the scans that are due,
    not every scan answered in the last weeks of its retention, read again on every sweep."""
    cal = workdays.calendar_for(latest - dt.timedelta(days=OBJECTION_FILING_DAYS * 7 // 5 + 30), latest)
    return rules.objection_filing_open_since(cal, latest)


def _candidates(today: dt.date):
    """Cases that may be due, by SQL: finished, a scan (or an authority document) still stored, no objection open,
    closed and answered long enough ago, no dispute window still running. identity_document_kept_until decides (an
    answered objection without its dispute deadline recorded is the one case the SQL cannot tell)."""
    latest = today - dt.timedelta(days=retention_days() + 1)  # the last day a window may end for a purge today
    open_objection = Objection.objects.filter(case=OuterRef("pk"), status__in=OPEN_OBJECTION_STATUSES)
    dispute_running = Objection.objects.filter(case=OuterRef("pk"), commission_deadline__gt=latest)
    filing_ended = (Q(status=Status.WITHDRAWN) | Q(answered_at__isnull=True)
                    | Q(answered_at__lt=_wita_midnight(_answered_before_for_filing_ended(latest))))
    return (Case.objects.filter(status__in=FINISHED_STATUSES, closed_at__lt=_wita_midnight(latest + dt.timedelta(1)))
            .filter(requester_files_kept()).filter(filing_ended)
            .exclude(Exists(open_objection)).exclude(Exists(dispute_running))
            .only("pk", "registration_number", "status", "closed_at", "answered_at", "effective_due_date",
                  *REQUESTER_FILE_FIELDS)
            .order_by("closed_at", "pk"))


def _calendar_for(cases, objections: dict[int, list[Objection]], today: dt.date) -> workdays.Calendar:
    """One calendar covering every window of `cases` (from their earliest answer or closure to past today)."""
    days = [wita_date(c.answered_at or c.closed_at) for c in cases]
    days += [wita_date(o.answered_at) for group in objections.values() for o in group if o.answered_at]
    return workdays.calendar_for(min(days, default=today), today + dt.timedelta(days=60))


def _objections_of(case_ids) -> dict[int, list[Objection]]:
    found: dict[int, list[Objection]] = {}
    for objection in Objection.objects.filter(case__in=case_ids).only("case_id", "status", "answered_at",
                                                                      "commission_deadline"):
        found.setdefault(objection.case_id, []).append(objection)
    return found


def identity_documents_due_for_purge(today: dt.date | None = None, limit: int | None = None) -> list[PurgeDue]:
    """The cases whose identity scan is due for purging on `today` (oldest closure first), at most `limit`."""
    today = today or today_wita()
    found: list[PurgeDue] = []
    qs, chunk, start = _candidates(today), 500, 0
    while limit is None or len(found) < limit:
        cases = list(qs[start:start + chunk])
        if not cases:
            break
        start += chunk
        objections = _objections_of([c.pk for c in cases])
        cal = _calendar_for(cases, objections, today)
        for case in cases:
            kept_until = identity_document_kept_until(case, objections.get(case.pk, []), cal)
            if kept_until is not None and kept_until < today:
                found.append(PurgeDue(case, kept_until))
                if limit is not None and len(found) >= limit:
                    break
        if len(cases) < chunk:  # the last chunk: no need to ask for an empty one
            break
    return found


@transaction.atomic
def identity_document_purge(*, case: Case, today: dt.date | None = None) -> bool:
    """Delete the case's identity scan and authority document if their retention has ended (checked again on the
    locked row): clear the fields, delete the files once committed, record the internal `identity_document_purged`
    event. False when there is nothing to purge or the papers must still be kept."""
    today = today or today_wita()
    case = Case.objects.select_for_update().get(pk=case.pk)
    held = [f for f in REQUESTER_FILE_FIELDS if getattr(case, f)]
    if not held:
        return False
    if case.status not in FINISHED_STATUSES or case.closed_at is None:
        return False
    objections = _objections_of([case.pk])
    kept_until = identity_document_kept_until(case, objections.get(case.pk, []),
                                              _calendar_for([case], objections, today))
    if kept_until is None or kept_until >= today:
        return False
    names = [getattr(case, f).name for f in held]
    for f in held:
        setattr(case, f, "")
        setattr(case, f"{f}_type", "")
    # Past its retention no scan is owed any more either (a request recorded at the desk whose scan never came).
    case.identity_owed = False
    case.save(update_fields=[name for f in held for name in (f, f"{f}_type")] + ["identity_owed"])
    files_delete_on_commit(names)
    # Internal (the requester's timeline does not show it) and free of personal data: dates and a count only.
    key = {("identity_document",): "identity_document_purged", ("authority_document",): "authority_document_purged"}
    note, data = system_note(key.get(tuple(held), "requester_documents_purged"), kept_until=f"{kept_until:%d-%m-%Y}")
    event_record(case=case, kind=EventKind.IDENTITY_DOCUMENT_PURGED, from_status=case.status, public=False,
                 note=note, data={**data, "kept_until": kept_until.isoformat(), "retention_days": retention_days(),
                                  "purged": held})
    return True


def identity_documents_purge_due(today: dt.date | None = None, limit: int | None = None) -> int:
    """The sweep's step: purge up to `limit` (PURGE_BATCH) scans whose retention has ended. Returns how many
    went; the next sweeps take the rest."""
    today = today or today_wita()
    limit = limit or PURGE_BATCH
    purged = 0
    for due in identity_documents_due_for_purge(today, limit=limit):
        purged += identity_document_purge(case=due.case, today=today)
    if purged:
        log.info("identity scans purged: %d", purged)
    return purged
