"""Filling and editing the holiday calendar."""

import datetime as dt

import holidays as holidays_lib
from django.db import transaction

from requests_app.models import Holiday, HolidayKind


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


def holidays_seed(years: list[int]) -> int:
    """Insert the package's holidays for `years`; days already in the table (edited or local) are kept."""
    created = 0
    with transaction.atomic():
        existing = set(Holiday.objects.filter(date__year__in=years).values_list("date", flat=True))
        rows = []
        for year in years:
            for day, (name, kind) in sorted(_package_days(year).items()):
                if day not in existing:
                    rows.append(Holiday(date=day, name=name, kind=kind))
        Holiday.objects.bulk_create(rows, ignore_conflicts=True)
        created = len(rows)
    return created
