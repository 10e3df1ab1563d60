"""The queue API's hand-built rows are exactly what the declared DRF fields produce."""

import datetime as dt

import time_machine
from rest_framework import serializers

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
    cases = list(Case.objects.select_related("opd", "assigned_to").filter(pk__in=[plain.pk, extended.pk]))
    fast = CaseListSerializer(cases, many=True, context={"today": today}).data
    generic = DeclaredFieldsSerializer(cases, many=True, context={"today": today}).data
    assert [dict(r) for r in fast] == [dict(r) for r in generic]
    row = next(r for r in fast if r["registration_number"] == plain.registration_number)
    assert row["received_at"] == "2026-03-02T23:30:00+08:00"
    assert row["overdue"] is True and row["assigned_to"] is None
    assert isinstance(CaseListSerializer().fields["overdue"], serializers.SerializerMethodField)
