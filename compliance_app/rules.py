"""The yearly report's calendar (UU 14/2008 Pasal 12; Perki SLIP Pasal 56): the report on the year before is due by
31 March, and the dashboard reminds PPID Utama of it from 1 February until it is published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Perki SLIP Pasal 56: the report on a year is published by 31 March of the next.
REPORT_DUE = (3, 31)
# The reminder starts two months before the due date, once January's figures have settled.
REMINDER_FROM = (2, 1)


@dataclass(frozen=True)
class ReportReminder:
    year: int  # the report's year (the year before today's)
    due: dt.date
    overdue: bool


def report_due_date(year: int) -> dt.date:
    """The day by which the report on `year` must be published."""
    return dt.date(year + 1, *REPORT_DUE)


def annual_report_reminder(*, today: dt.date, published: bool) -> ReportReminder | None:
    """What the dashboard says about last year's report on `today` (WITA): nothing before 1 February or once it is
    published; from 1 February to 31 March that it is due on 31 March; from 1 April that it is overdue."""
    year = today.year - 1
    if published or today < dt.date(today.year, *REMINDER_FROM):
        return None
    due = report_due_date(year)
    return ReportReminder(year=year, due=due, overdue=today > due)
