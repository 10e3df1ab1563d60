"""Time as the portal sees it. Every clock reads Django's timezone.now(), never the database's time,
so the whole portal can run as of another date (tests, catching up)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

WITA = ZoneInfo("Asia/Makassar")

# Statutory clocks in working days (UU 14/2008).
NOTICE_DAYS = 10  # Pasal 22(7)
EXTENSION_DAYS = 7  # Pasal 22(8)
OBJECTION_FILING_DAYS = 30  # Pasal 36(1)
OBJECTION_ANSWER_DAYS = 30  # Pasal 36(2)
DISPUTE_DAYS = 14  # Pasal 37(2)


def now() -> dt.datetime:
    return timezone.now()


def today_wita() -> dt.date:
    return now().astimezone(WITA).date()


def wita_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(WITA).date()
