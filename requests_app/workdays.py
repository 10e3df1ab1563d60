"""The working-day calendar: the only place that knows what a working day is.

Working days are Monday–Friday that are not in the Holiday table (national days, cuti bersama and the
regency's local days). "N working days after day D" steps forward from D, counting only working days,
and stops on the Nth; D itself never counts.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable

# The longest run of consecutive non-working days we allow for when loading a window of holidays
# (Idul Fitri with cuti bersama and a weekend is about 10 days).
_WINDOW_SLACK_DAYS = 40


class Calendar:
    """Working-day arithmetic over a fixed set of holidays (load once, use for many dates)."""

    def __init__(self, holidays: Iterable[dt.date]):
        self.holidays = frozenset(holidays)
        # Holidays that fall on a weekday, in order: the ones a count of weekdays has to take off.
        self._weekday_holidays = sorted(d for d in self.holidays if d.weekday() < 5)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def receipt_day(self, day: dt.date) -> dt.date:
        """The day the law counts a receipt from: the day itself, or the next working day."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        if n < 0:
            raise ValueError("n must be >= 0")
        counted = 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def subtract_working_days(self, day: dt.date, n: int) -> dt.date:
        """The working day that lies `n` working days before `day` (for reminders)."""
        counted = 0
        while counted < n:
            day -= dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days after `start` `end` lies (0 if not after)."""
        if end <= start:
            return 0
        # Counted, not stepped: the queue shows this for every row, and a case overdue for years would otherwise
        # walk a thousand days. Whole weeks hold five weekdays each; the last few days are looked at one by one.
        weeks, rest = divmod((end - start).days, 7)
        last_whole_week = start + dt.timedelta(days=weeks * 7)
        weekdays = weeks * 5 + sum((last_whole_week + dt.timedelta(days=i)).weekday() < 5 for i in range(1, rest + 1))
        holidays = bisect_right(self._weekday_holidays, end) - bisect_right(self._weekday_holidays, start)
        return weekdays - holidays


def _holiday_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    from requests_app.models import Holiday

    return list(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def calendar_for(start: dt.date, end: dt.date) -> Calendar:
    """A calendar loaded with the holidays of [start - slack, end + slack] (one query)."""
    slack = dt.timedelta(days=_WINDOW_SLACK_DAYS)
    return Calendar(_holiday_dates(start - slack, end + slack))


def _window_end(day: dt.date, n: int) -> dt.date:
    # n working days never span more than n weeks plus the longest holiday run.
    return day + dt.timedelta(days=n * 7 // 5 + _WINDOW_SLACK_DAYS)


def calendar_ahead(day: dt.date, n: int, until: dt.date | None = None) -> Calendar:
    """A calendar that can count `n` working days forward from `day` (and from any day up to `until`)."""
    return calendar_for(day, _window_end(max(day, until or day), n))


def receipt_day(day: dt.date) -> dt.date:
    return calendar_for(day, day + dt.timedelta(days=_WINDOW_SLACK_DAYS)).receipt_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return calendar_ahead(day, n).add_working_days(day, n)


def due_date_for_receipt(received: dt.date, n: int) -> tuple[dt.date, dt.date]:
    """(counted receipt day, due date) for something received on `received` with an n-working-day clock."""
    cal = calendar_ahead(received, n)
    start = cal.receipt_day(received)
    return start, cal.add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return calendar_for(start, end).working_days_between(start, end)


def is_working_day(day: dt.date) -> bool:
    return calendar_for(day, day).is_working_day(day)
