"""Open cases written directly for the queue's tests (the queue only reads rows): the query-count tests in
tests/bench and the hand-written SQL's parity tests share them."""

import datetime as dt

from ppid_portal.clock import WITA
from requests_app.models import Case

TODAY = dt.date(2026, 3, 2)


def make_cases(opd, n, *, officer=None, start=0, status="in_process"):
    """`n` open cases of `opd` written directly (the queue only reads rows), half of them assigned."""
    received = dt.datetime(2026, 2, 2, 9, 0, tzinfo=WITA)
    rows = []
    for i in range(start, start + n):
        due = TODAY + dt.timedelta(days=i % 20 - 5)
        case = Case(
            registration_number=f"{opd.code}-2026-{i + 1:05d}", opd=opd, year=2026, sequence=i + 1,
            tracking_code_hash="x$y", status=status, received_at=received, received_on=received.date(),
            due_date=due, effective_due_date=due, name="Siti", identity_number="6403012345678901",
            identity_document="private/identity/x.png", address="Tenggarong", requester_type="individual",
            information_requested="Data", purpose="Riset", obtain_method="view", delivery_method="email",
            created_at=received, updated_at=received, assigned_to=officer if i % 2 else None,
        )
        if hasattr(case, "registered_opd_id"):
            case.registered_opd = opd
        rows.append(case)
    Case.objects.bulk_create(rows)
