"""Reads of the list of exempted information (DIK): the public list (page and API) and the officers' list."""

import datetime as dt

from django.db.models import QuerySet

from requests_app.models import DikEntry
from requests_app.permissions import dik_entries_for_staff

VALID, EXPIRED, ALL = "valid", "expired", "all"
# The public list shows the entries in force by default: an expired entry no longer exempts anything (UU 14/2008
# Pasal 20), but stays readable under `expired` (and `all`), marked as such.
DIK_VALIDITY = (VALID, EXPIRED, ALL)


def _filtered(qs: QuerySet, *, opd: str, validity: str, today: dt.date) -> QuerySet:
    if opd:
        qs = qs.filter(opd__code=opd.strip().upper())
    if validity == VALID:
        qs = qs.filter(valid_until__gte=today)
    elif validity == EXPIRED:
        qs = qs.expired_on(today)
    return qs.select_related("opd").order_by("opd__code", "-decided_on", "-id")


def dik_public_list(*, opd: str = "", validity: str = VALID, today: dt.date) -> QuerySet:
    """Every OPD's entries (or one OPD's, by code), by OPD and the newest decision first."""
    return _filtered(DikEntry.objects.all(), opd=opd, validity=validity, today=today)


def dik_staff_list(user, *, opd: str = "", validity: str = VALID, today: dt.date) -> QuerySet:
    """The entries of the user's OPDs (every OPD for PPID Utama), for the officers' list."""
    return _filtered(dik_entries_for_staff(user), opd=opd, validity=validity, today=today)
