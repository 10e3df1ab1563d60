"""The working-day calendar on real 2025–2026 dates (holidays and cuti bersama from the `holidays` package)."""

import datetime as dt

import pytest

from requests_app import workdays
from requests_app.models import Holiday, HolidayKind

D = dt.date


@pytest.fixture(autouse=True)
def _calendar(calendar):
    pass


def test_design_example_friday_13_march_2026_is_due_monday_6_april():
    # Skips Nyepi + Idul Fitri with cuti bersama (18–24 Mar) and Good Friday (3 Apr).
    assert workdays.due_date_for_receipt(D(2026, 3, 13), 10) == (D(2026, 3, 13), D(2026, 4, 6))


def test_day_of_receipt_never_counts():
    # Monday 2 Feb 2026 + 1 working day is Tuesday.
    assert workdays.add_working_days(D(2026, 2, 2), 1) == D(2026, 2, 3)


def test_weekend_receipt_counts_from_monday():
    # Saturday 7 Feb 2026 counts as received Monday 9 Feb; the count skips the Imlek cuti bersama
    # (Mon 16 Feb) and Imlek (Tue 17 Feb).
    received_on, due = workdays.due_date_for_receipt(D(2026, 2, 7), 10)
    assert received_on == D(2026, 2, 9)
    # 10,11,12,13 (4) | 16,17 holidays | 18,19,20 (7) | 23,24,25 (10)
    assert due == D(2026, 2, 25)


def test_receipt_on_a_holiday_moves_to_next_working_day():
    # 1 May 2025 (Labour Day, Thursday) → counted from Friday 2 May.
    received_on, due = workdays.due_date_for_receipt(D(2025, 5, 1), 10)
    assert received_on == D(2025, 5, 2)
    # 5,6,7,8,9 | 12,13 Vesak + cuti | 14,15,16 | 19,20 → 10th is Tue 20 May
    assert due == D(2025, 5, 20)


def test_idul_fitri_2025_with_cuti_bersama():
    # Thursday 27 Mar 2025: 28 Mar (Nyepi cuti) and 31 Mar–7 Apr are off; the 10 days run 8–22 Apr
    # without Good Friday 18 Apr.
    assert workdays.due_date_for_receipt(D(2025, 3, 27), 10)[1] == D(2025, 4, 22)


def test_extension_is_seven_working_days_after_first_due_date():
    # First due date Mon 6 Apr 2026 + 7 working days = Wed 15 Apr 2026.
    assert workdays.add_working_days(D(2026, 4, 6), 7) == D(2026, 4, 15)


def test_local_holiday_in_database_moves_the_date(db):
    before = workdays.add_working_days(D(2026, 9, 28), 1)
    Holiday.objects.create(date=D(2026, 9, 29), name="HUT Kota Tenggarong", kind=HolidayKind.LOCAL)
    assert before == D(2026, 9, 29)
    assert workdays.add_working_days(D(2026, 9, 28), 1) == D(2026, 9, 30)


def test_working_days_between_counts_the_interval_exclusive_of_start():
    assert workdays.working_days_between(D(2026, 3, 13), D(2026, 4, 6)) == 10
    assert workdays.working_days_between(D(2026, 4, 6), D(2026, 4, 6)) == 0


def test_seeded_kinds_separate_national_and_cuti_bersama(db):
    assert Holiday.objects.get(date=D(2026, 3, 19)).kind == HolidayKind.NATIONAL  # Nyepi
    assert Holiday.objects.get(date=D(2026, 3, 18)).kind == HolidayKind.CUTI_BERSAMA
    assert Holiday.objects.get(date=D(2025, 12, 26)).kind == HolidayKind.CUTI_BERSAMA


def test_working_days_between_equals_counting_day_by_day():
    # Weekend and weekday holidays, intervals from empty to several years, starting on every day of the week.
    holidays = [D(2026, 3, 18), D(2026, 3, 19), D(2026, 3, 21), D(2026, 4, 3), D(2027, 1, 1), D(2027, 1, 2)]
    cal = workdays.Calendar(holidays)
    for start in (D(2026, 3, 9) + dt.timedelta(days=i) for i in range(0, 30, 3)):
        for length in (*range(0, 16), 29, 30, 365, 1000):
            end = start + dt.timedelta(days=length)
            stepped = sum(cal.is_working_day(start + dt.timedelta(days=i)) for i in range(1, length + 1))
            assert cal.working_days_between(start, end) == stepped, (start, end)
    assert cal.working_days_between(D(2026, 4, 6), D(2026, 3, 13)) == 0
