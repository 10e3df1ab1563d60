"""What removing a day from the holiday calendar would do, told before it is done."""

import datetime as dt
from dataclasses import dataclass

from ppid_portal.clock import WITA, wita_date
from requests_app import rules, workdays
from requests_app.models import Case, Holiday, Objection, ObjectionStatus


@dataclass(frozen=True)
class HolidayDeletePreview:
    holiday: Holiday
    cases_moved: int
    objections_moved: int


def holiday_delete_preview(holiday: Holiday) -> HolidayDeletePreview:
    """How many open cases and unanswered objections would have their due date moved if `holiday` became a
    working day: the clocks services.holidays.due_dates_rederive recomputes, counted on a calendar without that
    day, nothing written."""
    day = holiday.date
    received_before = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=WITA)
    cases = list(Case.objects.open().filter(received_at__lt=received_before, effective_due_date__gte=day)
                 .only("received_at", "due_date", "extended_due_date", "effective_due_date"))
    objections = list(Objection.objects.filter(status=ObjectionStatus.FILED, filed_at__lt=received_before,
                                               due_date__gte=day).only("filed_at", "due_date"))
    if not cases and not objections:
        return HolidayDeletePreview(holiday, 0, 0)
    starts = [wita_date(c.received_at) for c in cases] + [wita_date(o.filed_at) for o in objections]
    ends = [c.effective_due_date for c in cases] + [o.due_date for o in objections]
    loaded = workdays.calendar_for(min(starts), max(ends) + dt.timedelta(days=120))
    cal = workdays.Calendar(loaded.holidays - {day})
    cases_moved = 0
    for case in cases:
        _received_on, due = rules.case_clock(cal, wita_date(case.received_at))
        extended = rules.extended_due_date(cal, due) if case.extended_due_date else None
        if (extended or due) != case.effective_due_date:
            cases_moved += 1
    objections_moved = sum(1 for o in objections
                           if rules.objection_clock(cal, wita_date(o.filed_at))[1] != o.due_date)
    return HolidayDeletePreview(holiday, cases_moved, objections_moved)
