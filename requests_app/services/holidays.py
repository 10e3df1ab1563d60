"""Filling and editing the holiday calendar."""

import datetime as dt

import holidays as holidays_lib
from django.db import transaction

from requests_app.event_notes import system_note
from requests_app.models import Holiday, HolidayKind, RemovedHoliday


def _package_days(year: int) -> dict[dt.date, tuple[str, str]]:
    """{date: (name, kind)} for Indonesia from the `holidays` package, public + government categories."""
    days: dict[dt.date, tuple[str, str]] = {}
    public = holidays_lib.country_holidays("ID", years=year, categories=("public",), language="id")
    government = holidays_lib.country_holidays("ID", years=year, categories=("government",), language="id")
    for day, name in public.items():
        days[day] = (name, HolidayKind.NATIONAL)
    for day, name in government.items():
        days.setdefault(day, (name, HolidayKind.CUTI_BERSAMA))
    return days


def holidays_seed(years: list[int], *, restore_deleted: bool = False) -> int:
    """Insert the package's holidays for `years`. Days already in the table (edited or local) are kept, and days an
    admin removed stay removed, unless `restore_deleted`: then the package's days come back and their removal is
    forgotten."""
    created = 0
    with transaction.atomic():
        removed = RemovedHoliday.objects.filter(date__year__in=years)
        if restore_deleted:
            removed.delete()
        skip = set(Holiday.objects.filter(date__year__in=years).values_list("date", flat=True))
        skip |= set(removed.values_list("date", flat=True))
        rows = []
        for year in years:
            for day, (name, kind) in sorted(_package_days(year).items()):
                if day not in skip:
                    rows.append(Holiday(date=day, name=name, kind=kind))
        Holiday.objects.bulk_create(rows, ignore_conflicts=True)
        created = len(rows)
    return created


def _removed_record(day: dt.date, name: str) -> None:
    """Remember that an admin took `day` off the calendar, so re-seeding does not bring it back."""
    RemovedHoliday.objects.update_or_create(date=day, defaults={"name": name[:200]})


# ------------------------------------------------------------------------------------------------------
# Editing the calendar (PPID Utama admins). Every edit re-derives the clocks of what is still unanswered.


def _validate(date, name: str, kind: str, exclude_pk=None) -> tuple[str, str]:
    from django.utils.translation import gettext as _

    from ppid_portal.errors import MissingField

    if not isinstance(date, dt.date):
        raise MissingField(_("Tanggal wajib diisi (YYYY-MM-DD)."), field="date")
    name = (name or "").strip()
    if not name:
        raise MissingField(_("Nama hari libur wajib diisi."), field="name")
    if kind not in HolidayKind.values:
        raise MissingField(_("Jenis hari libur: %(choices)s.") % {"choices": ", ".join(HolidayKind.values)},
                           field="kind")
    if Holiday.objects.filter(date=date).exclude(pk=exclude_pk).exists():
        raise MissingField(_("Tanggal %(d)s sudah terdaftar sebagai hari libur.") % {"d": date.isoformat()},
                           field="date")
    return name[:200], kind


@transaction.atomic
def holiday_add(*, date: dt.date, name: str, kind: str, actor=None) -> Holiday:
    """Add a non-working day and move the due dates it touches."""
    name, kind = _validate(date, name, kind)
    holiday = Holiday.objects.create(date=date, name=name, kind=kind)
    RemovedHoliday.objects.filter(date=date).delete()
    due_dates_rederive(days=[date], actor=actor, reason=f"+ {date:%d-%m-%Y} {name}")
    return holiday


@transaction.atomic
def holiday_update(*, holiday: Holiday, date: dt.date, name: str, kind: str, actor=None) -> Holiday:
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    name, kind = _validate(date, name, kind, exclude_pk=holiday.pk)
    old_date = holiday.date
    holiday.date, holiday.name, holiday.kind = date, name, kind
    holiday.save(update_fields=["date", "name", "kind"])
    if old_date != date:
        _removed_record(old_date, name)
        RemovedHoliday.objects.filter(date=date).delete()
        due_dates_rederive(days=[old_date, date], actor=actor,
                           reason=f"{old_date:%d-%m-%Y} → {date:%d-%m-%Y} {name}")
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, actor=None) -> None:
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    day, name = holiday.date, holiday.name
    holiday.delete()
    _removed_record(day, name)
    due_dates_rederive(days=[day], actor=actor, reason=f"− {day:%d-%m-%Y} {name}")


def due_dates_rederive(*, days: list[dt.date], actor=None, reason: str = "") -> dict[str, int]:
    """Recompute the clocks of open cases and unanswered objections whose running clock spans one of `days`
    (received on or before it, due on or after it), after the holiday table changed. Each case whose due
    date moved gets a public `due_date_changed` event. Must run inside the calendar edit's transaction."""
    from ppid_portal.clock import WITA, now, wita_date
    from requests_app import rules, workdays
    from requests_app.models import Case, EventKind, Objection, ObjectionStatus
    from requests_app.services.events import event_record

    lo, hi = min(days), max(days)
    received_before = dt.datetime.combine(hi + dt.timedelta(days=1), dt.time.min, tzinfo=WITA)
    cases = list(Case.objects.open().select_for_update()
                 .filter(received_at__lt=received_before, effective_due_date__gte=lo).order_by("pk"))
    objections = list(Objection.objects.select_for_update()
                      .filter(status=ObjectionStatus.FILED, filed_at__lt=received_before, due_date__gte=lo)
                      .select_related("case").order_by("pk"))
    if not cases and not objections:
        return {"cases": 0, "objections": 0}
    starts = [wita_date(c.received_at) for c in cases] + [wita_date(o.filed_at) for o in objections]
    ends = [c.effective_due_date for c in cases] + [o.due_date for o in objections]
    cal = workdays.calendar_for(min(starts), max(ends) + dt.timedelta(days=120))
    suffix = f" ({reason})" if reason else ""
    moved_cases = moved_objections = 0
    for case in cases:
        received_on, due = rules.case_clock(cal, wita_date(case.received_at))
        extended = rules.extended_due_date(cal, due) if case.extended_due_date else None
        effective = extended or due
        if (received_on, due, extended, effective) == (case.received_on, case.due_date, case.extended_due_date,
                                                       case.effective_due_date):
            continue
        old = case.effective_due_date
        case.received_on, case.due_date, case.extended_due_date = received_on, due, extended
        case.effective_due_date = effective
        case.updated_at = now()
        case.save(update_fields=["received_on", "due_date", "extended_due_date", "effective_due_date",
                                 "updated_at"])
        note, note_data = system_note("due_date_changed", old=f"{old:%d-%m-%Y}", new=f"{effective:%d-%m-%Y}",
                                      reason=suffix)
        event_record(case=case, kind=EventKind.DUE_DATE_CHANGED, actor=actor, from_status=case.status, note=note,
                     data={"from": old.isoformat(), "to": effective.isoformat(), "due_date": due.isoformat(),
                           "extended_due_date": extended.isoformat() if extended else None, **note_data})
        moved_cases += 1
    for objection in objections:
        received_on, due = rules.objection_clock(cal, wita_date(objection.filed_at))
        if (received_on, due) == (objection.received_on, objection.due_date):
            continue
        old = objection.due_date
        objection.received_on, objection.due_date = received_on, due
        objection.save(update_fields=["received_on", "due_date"])
        event_record(case=objection.case, kind=EventKind.DUE_DATE_CHANGED, actor=actor,
                     from_status=objection.case.status,
                     note=f"Batas waktu tanggapan keberatan {objection.objection_number} berubah dari {old:%d-%m-%Y} "
                          f"menjadi {due:%d-%m-%Y} karena perubahan kalender hari libur{suffix}.",
                     data={"objection": objection.objection_number, "from": old.isoformat(), "to": due.isoformat()})
        moved_objections += 1
    return {"cases": moved_cases, "objections": moved_objections}
