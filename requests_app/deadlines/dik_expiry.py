"""The DIK's clock (UU 14/2008 Pasal 20: an exemption is not for ever): the OPD's Atasan PPID is reminded
DIK_EXPIRY_REMINDER_DAYS working days before an entry's valid_until, once, to renew (revise) it or let it lapse.

Set-based: one read of the entries whose valid_until falls between today and the reminder horizon and that have
not had the reminder for that date (the valid_until index: its cost follows the entries ending soon, not the whole
list), one UPDATE stamping `expiry_reminded_for` on those it claims (only where it is still unstamped for that date,
so two racing sweeps claim an entry once), and an outbox row per Atasan with the dedupe key
`dik_expiry:<entry>:<valid_until>:<user>`: a re-run sends nothing; a revised valid_until owes a new reminder."""

import datetime as dt

from django.db import transaction
from django.db.models import F, Q

from opd_app.models import Role
from requests_app import rules, workdays
from requests_app.deadlines.recipients import recipients_by_opd
from requests_app.models import DikEntry
from requests_app.services.notify import notification_queue


def dik_expiry_horizon(today: dt.date) -> dt.date:
    """The last valid_until that is due its reminder today: DIK_EXPIRY_REMINDER_DAYS working days ahead."""
    return workdays.add_working_days(today, rules.DIK_EXPIRY_REMINDER_DAYS)


def dik_expiry_candidates(today: dt.date, horizon: dt.date):
    """Entries ending between today and `horizon` whose reminder for that valid_until is still owed."""
    # In the order of valid_until: the window is read along its index, not through the list's default ordering (a
    # join to the OPD and a sort of every entry).
    return (DikEntry.objects.filter(valid_until__gte=today, valid_until__lte=horizon)
            .filter(Q(expiry_reminded_for__isnull=True) | ~Q(expiry_reminded_for=F("valid_until")))
            .order_by("valid_until", "pk"))


@transaction.atomic
def dik_expiry_remind(today: dt.date) -> int:
    """Remind the Atasan PPID of each entry that enters its last DIK_EXPIRY_REMINDER_DAYS working days; returns the
    entries reminded. Safe to run any time: each entry and valid_until is reminded once."""
    horizon = dik_expiry_horizon(today)
    found = list(dik_expiry_candidates(today, horizon).values_list("pk", "valid_until"))
    if not found:
        return 0
    claimed = []
    for pk, valid_until in found:
        # The claim: only one sweep stamps this entry for this date (a revised date in between leaves it unclaimed).
        if DikEntry.objects.filter(pk=pk, valid_until=valid_until).exclude(expiry_reminded_for=valid_until).update(
                expiry_reminded_for=valid_until):
            claimed.append(pk)
    entries = DikEntry.objects.select_related("opd").in_bulk(claimed)
    atasan = recipients_by_opd({e.opd_id for e in entries.values()}, (Role.ATASAN,))
    for entry in entries.values():
        days_left = workdays.working_days_between(today, entry.valid_until)
        for user in atasan.get((entry.opd_id, Role.ATASAN), []):
            notification_queue(
                dedupe_key=f"dik_expiry:{entry.pk}:{entry.valid_until.isoformat()}:{user.pk}", kind="dik_expiry",
                template="dik_expiry", context={"entry": entry, "opd": entry.opd, "days_left": days_left},
                recipient_user=user)
    return len(entries)
