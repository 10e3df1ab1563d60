"""Data made once per test module: built inside a transaction that is rolled back when the module ends, while each
test runs in a savepoint inside it (pytest-django's `db`), so what one test changes the next never sees."""

from contextlib import contextmanager

from django.db import transaction

from opd_app.services import opd_seed
from ppid_portal.clock import today_wita
from requests_app.services.holidays import holidays_seed


@contextmanager
def rolled_back_at_end(django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def directory_and_calendar_seed() -> None:
    """The 28 OPD and the holidays of last, this and next year."""
    opd_seed()
    year = today_wita().year
    holidays_seed([year - 1, year, year + 1])


def officers_create(password: str) -> dict:
    """A Pelaksana and an Atasan of DINKES, the same of DPUPR (another OPD), and a PPID Utama admin."""
    from opd_app.models import Role
    from opd_app.services import officer_create

    return {
        "officer": officer_create(username="petugas.dinkes", opd_code="DINKES", role=Role.PELAKSANA,
                                  password=password),
        "foreign": officer_create(username="petugas.dpupr", opd_code="DPUPR", role=Role.PELAKSANA,
                                  password=password),
        "atasan": officer_create(username="atasan.dinkes", opd_code="DINKES", role=Role.ATASAN, password=password),
        "foreign_atasan": officer_create(username="atasan.dpupr", opd_code="DPUPR", role=Role.ATASAN,
                                         password=password),
        "utama": officer_create(username="admin.utama", opd_code="DISKOMINFO", role=Role.UTAMA, password=password),
    }
