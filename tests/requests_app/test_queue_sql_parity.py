"""The officer queue API's default view (open cases by deadline) is answered by two hand-written statements
(`open_queue_page`): they must answer exactly what the generic list over case_list_for answers."""

import datetime as dt

import pytest

from ppid_portal.clock import WITA
from tests.requests_app.queue_cases import make_cases


@pytest.fixture
def frozen():
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=WITA), tick=False):
        yield


@pytest.mark.postgres
def test_queue_api_default_view_from_hand_written_sql_equals_the_generic_list(opds, calendar, officer, other_officer,
                                                                              admin_utama, frozen):
    """The default queue (two hand-written statements) answers exactly what the generic list over case_list_for
    answers, for an officer, an officer of two OPDs and PPID Utama, on every page and past the end."""
    from unittest import mock

    from rest_framework.pagination import PageNumberPagination
    from rest_framework.test import APIClient

    from opd_app.models import Membership, Role

    make_cases(opds["DINKES"], 7, officer=officer)
    make_cases(opds["DINKES"], 3, officer=officer, start=7, status="answered")  # closed: never in the default view
    make_cases(opds["DPUPR"], 4, officer=other_officer)
    Membership.objects.create(user=other_officer, opd=opds["BAPPEDA"], role=Role.ATASAN)
    make_cases(opds["BAPPEDA"], 2)

    class Small(PageNumberPagination):
        page_size = 3

    def get(client, url, generic):
        with mock.patch("requests_app.api.views.CaseListView.pagination_class", Small):
            if not generic:
                return client.get(url)
            with mock.patch("requests_app.api.views.open_queue_page", return_value=None):
                return client.get(url)

    for user, expected in ((officer, 7), (other_officer, 6), (admin_utama, 13)):
        client = APIClient()
        client.force_authenticate(user)
        for page in (1, 2, 3, 4, 5):
            url = f"/api/v1/cases/?page={page}" if page > 1 else "/api/v1/cases/"
            fast, generic = get(client, url, False), get(client, url, True)
            assert fast.status_code == generic.status_code, (user, page)
            assert fast.json() == generic.json(), (user, page)
            if fast.status_code == 200:
                assert fast.json()["count"] == expected
