"""The queue API's hand-built rows are exactly what the declared DRF fields produce."""

import datetime as dt

import time_machine
from rest_framework import serializers
from rest_framework.test import APIClient

from requests_app.api.serializers import CaseListSerializer
from requests_app.models import Case
from requests_app.services.actions import case_acknowledge, case_extend

WITA = dt.timezone(dt.timedelta(hours=8))


class DeclaredFieldsSerializer(CaseListSerializer):
    """The same fields through DRF's generic path (a subclass skips the fast path)."""


def test_fast_rows_equal_the_declared_fields(submit, officer):
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 30, tzinfo=WITA), tick=False):
        plain = submit().case
        extended = submit().case
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=WITA), tick=False):
        case_acknowledge(case=extended, actor=officer)
        case_extend(case=extended, actor=officer, reason="Data banyak")
    today = dt.date(2026, 3, 17)
    from requests_app.api.serializers import CASE_LIST_VALUES

    pks = [plain.pk, extended.pk]
    cases = list(Case.objects.select_related("opd", "assigned_to").filter(pk__in=pks).order_by("pk"))
    rows = list(Case.objects.filter(pk__in=pks).order_by("pk").values(*CASE_LIST_VALUES))
    fast = CaseListSerializer(rows, many=True, context={"today": today}).data
    generic = DeclaredFieldsSerializer(cases, many=True, context={"today": today}).data
    assert [dict(r) for r in fast] == [dict(r) for r in generic]
    row = next(r for r in fast if r["registration_number"] == plain.registration_number)
    assert row["received_at"] == "2026-03-02T23:30:00+08:00"
    assert row["overdue"] is True and row["assigned_to"] is None
    assert isinstance(CaseListSerializer().fields["overdue"], serializers.SerializerMethodField)


def test_queue_api_rows_from_plain_values_equal_the_declared_fields(submit, officer):
    """The queue API serialises Case.objects.values(...) rows; its JSON equals the declared fields over cases."""
    from requests_app.api.serializers import CASE_LIST_VALUES
    from requests_app.services.actions import case_assign

    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 30, tzinfo=WITA), tick=False):
        plain = submit().case
        extended = submit().case
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, 0, tzinfo=WITA), tick=False):
        case_assign(case=extended, actor=officer, officer=officer)
        case_acknowledge(case=extended, actor=officer)
        case_extend(case=extended, actor=officer, reason="Data banyak")
    today = dt.date(2026, 3, 17)
    cases = list(Case.objects.select_related("opd", "assigned_to").order_by("pk"))
    rows = list(Case.objects.order_by("pk").values(*CASE_LIST_VALUES))
    generic = DeclaredFieldsSerializer(cases, many=True, context={"today": today}).data
    assert CaseListSerializer(rows, many=True, context={"today": today}).data == [dict(r) for r in generic]
    api_client = APIClient()
    api_client.force_authenticate(officer)
    with time_machine.travel(dt.datetime(2026, 3, 17, 9, 0, tzinfo=WITA), tick=False):
        body = api_client.get("/api/v1/cases/").json()
    assert body["count"] == 2
    by_number = {r["registration_number"]: r for r in body["results"]}
    assert by_number[plain.registration_number] == next(
        dict(r) for r in generic if r["registration_number"] == plain.registration_number)
    assert by_number[extended.registration_number]["assigned_to"] == officer.username
    assert by_number[extended.registration_number]["overdue"] is False


def test_queue_api_lists_the_open_cases_by_default_every_case_with_show_all(submit, officer):
    from requests_app.services.actions import case_answer

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=WITA), tick=False):
        answered = submit().case
        open_case = submit().case
        case_answer(case=answered, actor=officer, decision="granted", note="Data terlampir.")
    client = APIClient()
    client.force_authenticate(officer)
    numbers = lambda url: [r["registration_number"] for r in client.get(url).json()["results"]]  # noqa: E731
    assert numbers("/api/v1/cases/") == [open_case.registration_number]
    assert sorted(numbers("/api/v1/cases/?show=all")) == sorted([answered.registration_number,
                                                                 open_case.registration_number])
    assert numbers("/api/v1/cases/?status=answered") == [answered.registration_number]


def test_queue_rows_format_times_exactly_like_drf_in_any_time_zone():
    import zoneinfo

    from django.utils import timezone

    from requests_app.api.serializers import _iso_local

    drf = serializers.DateTimeField()

    moments = [dt.datetime(2026, 3, 2, 23, 30, tzinfo=WITA), dt.datetime(2026, 1, 1, 0, 0, 0, 5, tzinfo=dt.UTC)]
    for zone in ("Asia/Makassar", "UTC", "Asia/Jakarta"):
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            assert [_iso_local(m) for m in moments] == [drf.to_representation(m) for m in moments], zone


def test_status_labels_and_queue_rows_answer_like_cases(submit, officer):
    from django.utils import translation

    from requests_app.models import Status
    from requests_app.selectors.queue import queue_rows

    for value, label in Status.choices:
        assert Case(status=value).get_status_display() == label
    with translation.override("en"):
        english = str(Case(status="in_process").get_status_display())
    with translation.override("id"):
        assert str(Case(status="in_process").get_status_display()) != english
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=WITA), tick=False):
        submit()
        assigned = submit().case
        case_acknowledge(case=assigned, actor=officer)
    cases = list(Case.objects.select_related("opd", "assigned_to").order_by("pk"))
    rows = queue_rows(Case.objects.order_by("pk"))
    for case, row in zip(cases, rows, strict=True):
        assert (row.registration_number, row.status, row.effective_due_date, row.opd.code, row.is_open,
                str(row.get_status_display())) == (case.registration_number, case.status, case.effective_due_date,
                                                   case.opd.code, case.is_open, str(case.get_status_display()))
        assert (row.assigned_to.username if row.assigned_to else None) == (
            case.assigned_to.username if case.assigned_to else None)
    assert rows[1].assigned_to is not None and rows[0].assigned_to is None
