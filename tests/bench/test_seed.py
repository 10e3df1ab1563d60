"""The bench's seed: COPY-loaded cases keep registration numbering gap-free for the submissions that follow,
and the bench refuses to run without PostgreSQL."""

import datetime as dt

import pytest

from bench.run import bench_database_url
from ppid_portal.clock import WITA


def test_bench_refuses_sqlite(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as exc:
        bench_database_url()
    assert exc.value.code == 2
    assert "needs PostgreSQL" in capsys.readouterr().err


def test_bench_uses_a_separate_database(monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ppid")
    assert bench_database_url() == "postgres://postgres@127.0.0.1:5432/ppid_bench"


@pytest.mark.postgres
def test_seeded_numbering_continues_without_gaps(opds, calendar, submit):
    import time_machine

    from bench.accounts import make_users
    from bench.pages import numbering_check
    from bench.seed import seed
    from requests_app.models import Case, CaseEvent, Notification, RegistrationCounter

    today = dt.date(2026, 3, 2)
    officers, admin = make_users()
    stats = seed(400, today=today, officers=officers, utama_user=admin.pk, log=lambda *_: None)
    assert Case.objects.count() == 400
    assert stats["events"] == CaseEvent.objects.count() >= 800  # at least submitted + one more per case on average
    assert Notification.objects.filter(status="pending").count() == 0
    assert {"closed", "answered", "in_process"} <= set(stats["statuses"])
    # Overdue open cases already carry overdue_at and the sweep's ledger is up to date: a sweep right after the
    # seed has nothing to send (the bench's "sweep with nothing to send").
    assert not Case.objects.overdue_on(today).filter(overdue_at__isnull=True).exists()
    from requests_app.deadlines.sweep import sweep_run

    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 30, tzinfo=WITA), tick=False):
        result = sweep_run(today)
    assert result and not any(result.values()), result
    assert numbering_check() == {"gap_free": True, "bad_series": 0}

    last = RegistrationCounter.objects.get(opd=opds["DINKES"], year=2026).last_value
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0, tzinfo=WITA), tick=False):
        new = submit("DINKES").case
    assert new.registration_number == f"DINKES-2026-{last + 1:05d}"
    assert numbering_check()["gap_free"]
