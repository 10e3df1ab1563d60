"""Fixtures every compliance test may use without importing them."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage

from compliance_app.reports import report_path
from ppid_portal.clock import WITA


# The annual report's tests: a fixed day in the report's year, and no report left in storage by another test.
@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=WITA), tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_stored_report():
    """Media outlives a test: start and end without a stored 2026 report."""
    def clear():
        if default_storage.exists(report_path(2026)):
            default_storage.delete(report_path(2026))

    clear()
    yield
    clear()
