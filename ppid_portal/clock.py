"""Time as the portal sees it. Every clock reads Django's timezone.now(), never the database's time,
so the whole portal can run as of another date (tests, catching up)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

WITA = ZoneInfo("Asia/Makassar")


def now() -> dt.datetime:
    return timezone.now()


def today_wita() -> dt.date:
    return now().astimezone(WITA).date()


def wita_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(WITA).date()
