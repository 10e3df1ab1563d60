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
