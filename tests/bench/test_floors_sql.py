"""The sweep's raw floor does the product's work: it marks exactly the cases the sweep finds owing an overdue
notice (rules.OVERDUE_NOTICE_OWED past their due date) and writes the first-overdue event only once per case."""

import datetime as dt
import json

import pytest
from django.db import connection

from bench import floors_sql
from ppid_portal.clock import WITA
from requests_app.models import Case, CaseEvent
from requests_app.rules import OVERDUE_NOTICE_OWED
from tests.compliance_app.compliance_fixtures import compliance_cases  # noqa: F401

TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 0, 5, tzinfo=WITA)


def make_case(opd, i, *, status, due, overdue_at=None, notice_due=None):
    received = dt.datetime(2026, 2, 2, 9, 0, tzinfo=WITA)
    case = Case(
        registration_number=f"{opd.code}-2026-{i:05d}", opd=opd, year=2026, sequence=i, tracking_code_hash="x$y",
        status=status, received_at=received, received_on=received.date(), due_date=due, effective_due_date=due,
        name="Siti", identity_number="6403012345678901", identity_document="private/identity/x.png",
        address="Tenggarong", requester_type="individual", information_requested="Data", purpose="Riset",
        obtain_method="view", delivery_method="email", created_at=received, updated_at=received,
        overdue_at=overdue_at,
    )
    if hasattr(case, "registered_opd_id"):
        case.registered_opd = opd
    case.save()
    Case.objects.filter(pk=case.pk).update(overdue_notice_due=notice_due)  # not editable: the sweep stamps it
    return case.pk


@pytest.mark.postgres
def test_sweep_floor_marks_what_the_sweep_owes(opds):
    opd = opds["DINKES"]
    past, future = TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=3)
    earlier = dt.datetime(2026, 2, 20, 0, 5, tzinfo=WITA)
    crossing = make_case(opd, 1, status="in_process", due=past)
    make_case(opd, 2, status="in_process", due=future)  # not due yet
    make_case(opd, 3, status="extended", due=past, overdue_at=earlier, notice_due=past)  # notice already claimed
    re_owed = make_case(opd, 4, status="submitted", due=past, overdue_at=earlier,
                        notice_due=past - dt.timedelta(days=7))  # overdue before, owes the notice of its new due date
    make_case(opd, 5, status="answered", due=past)  # finished

    owed = set(Case.objects.filter(OVERDUE_NOTICE_OWED, effective_due_date__lt=TODAY).values_list("pk", flat=True))
    assert owed == {crossing, re_owed}
    with connection.cursor() as cur:
        cur.execute(floors_sql.SWEEP_MARK, {"today": TODAY, "now": NOW})

    assert not Case.objects.filter(OVERDUE_NOTICE_OWED, effective_due_date__lt=TODAY).exists()
    marked = Case.objects.filter(pk__in=owed)
    assert all(c.overdue_notice_due == c.effective_due_date for c in marked)
    assert Case.objects.get(pk=crossing).overdue_at == NOW
    assert Case.objects.get(pk=re_owed).overdue_at == earlier  # the first moment found overdue stays
    assert list(CaseEvent.objects.filter(kind="overdue").values_list("case_id", flat=True)) == [crossing]


@pytest.mark.postgres
def test_stats_floor_computes_what_the_public_statistics_publish(compliance_cases):  # noqa: F811
    """The statistics floor is a fair floor only while it computes the same figures as GET /api/v1/stats/: per OPD
    the counts, each decision under its public name and the refusals per Pasal 17 letter."""
    import time_machine

    from compliance_app.selectors import public_stats

    today = dt.date(2026, 7, 1)
    window = {"start": floors_sql.year_start(2026), "end": floors_sql.year_start(2027), "today": today}
    with connection.cursor() as cur:
        cur.execute(floors_sql.STATS, window)
        cols = [c[0] for c in cur.description]
        floor = {row[0]: dict(zip(cols, row, strict=True)) for row in cur.fetchall()}
    for row in floor.values():  # Django has the driver hand jsonb over as text
        if isinstance(row["refusals_by_letter"], str):
            row["refusals_by_letter"] = json.loads(row["refusals_by_letter"])
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=WITA), tick=False):
        published = public_stats(year=2026, today=today)
    for row in published["opds"]:
        mine = floor[row["opd"]]
        for key in ("received", "answered", "answered_on_time", "overdue_open", "granted", "partially_granted",
                    "refused", "not_held", "not_documented"):
            assert (mine[key] or 0) == row[key], (row["opd"], key)
        assert mine["objections"] == row["objections"]
        assert (None if mine["median_days"] is None else round(mine["median_days"], 1)) == row["median_working_days"]
        assert {k: v for k, v in row["refusals_by_letter"].items() if v} == mine["refusals_by_letter"]
    assert floor["DINKES"]["refusals_by_letter"] == {"b": 2} and floor["DPUPR"]["not_held"] == 1
