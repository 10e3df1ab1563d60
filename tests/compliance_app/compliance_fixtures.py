"""A known set of cases across OPDs with fixed dates (2026 calendar), shared by the compliance, stats and annual
report tests. Cases go through the intake and action services with time frozen (so answer_working_days is
what case_answer stores); objections are written as rows (their figures only read the row).

Expected figures, as of TODAY (1 Jul 2026), period = year 2026:

DINKES  received 7, answered 5 (on time 4, late 1), overdue_open 1; working days [1, 2, 3, 9, 11]
        → median 3, p90 10.2; granted 2, partially 1, rejected_exempt 2 (letter b: 2);
        objections 3 (upheld 1, dismissed 1, overdue 1), disputes 1; on-time rate 4/6 = 66.7
DPUPR   received 4, answered 2 (on time 1, late 1), overdue_open 1; working days [16, 16] → median 16, p90 16;
        rejected_exempt 1 (letter h), not_held 1; forwarded 1; objections 1 (dismissed 1, overdue 1);
        on-time rate 1/3 = 33.3
total   received 11, answered 7, on time 5, late 2, overdue 2; working days [1,2,3,9,11,16,16] → median 9, p90 16
"""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ppid_portal.clock import WITA
from requests_app.models import Objection, ObjectionOutcome, ObjectionStatus
from requests_app.services.actions import case_answer, case_extend, case_forward, case_withdraw
from requests_app.services.intake import request_submit
from tests.conftest import dik_entry_make, png_bytes, request_data

TODAY = dt.date(2026, 7, 1)
REQUESTER = {"name": "Siti Rahmawati", "identity_number": "6403012345678901", "phone": "081234567890",
             "email": "siti@example.org", "address": "Jl. Mulawarman No. 1, Tenggarong"}


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=WITA)


def submit(opds, code, moment):
    data = request_data()
    data.pop("opd")
    with time_machine.travel(moment, tick=False):
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return request_submit(opd=opds[code], data=data, identity_document=upload).case


def answer(case, actor, moment, decision, **kw):
    if decision in ("rejected_exempt", "partially_granted") and "dik" not in kw:
        # Refusals and partial grants rest on a DIK entry of the case's OPD with the refusal's letter.
        kw["dik"] = dik_entry_make(case.opd, exemption=kw.pop("exemption", "h"),
                                   consequence=kw.pop("consequence_test", "") or "Uji konsekuensi.")
    if decision == "partially_granted":
        kw.setdefault("withheld", "Nama pasien.")
    with time_machine.travel(moment, tick=False):
        return case_answer(case=case, actor=actor, decision=decision, **kw)


def refuse(letter):
    return {"decision": "rejected_exempt", "exemption": letter, "consequence_test": "Uji konsekuensi."}


def objection(case, n, filed, status, outcome="", due=None, overdue_at=None, referred_at=None, answered_at=None):
    return Objection.objects.create(
        objection_number=f"KEB-{case.opd.code}-2026-{n:05d}", case=case, opd=case.opd, ground="a", reason="Alasan.",
        status=status, outcome=outcome, filed_at=filed, received_on=filed.date(),
        due_date=due or dt.date(2026, 4, 14), answered_at=answered_at, overdue_at=overdue_at, referred_at=referred_at,
    )


def build(opds, actor) -> dict:
    c = {}
    # DINKES
    c[1] = answer(submit(opds, "DINKES", at(2026, 2, 2)), actor, at(2026, 2, 4, 14), "granted")  # 2 wd, on time
    c[2] = answer(submit(opds, "DINKES", at(2026, 2, 2)), actor, at(2026, 2, 13, 15), "partially_granted")  # 9 wd
    c[3] = answer(submit(opds, "DINKES", at(2026, 2, 2)), actor, at(2026, 2, 19, 10), **refuse("b"))  # 11 wd, late
    c[4] = answer(submit(opds, "DINKES", at(2026, 2, 7, 11)), actor, at(2026, 2, 10, 10), **refuse("b"))  # Sat → 1 wd
    c[5] = submit(opds, "DINKES", at(2026, 3, 2))  # open, due 16 Mar: overdue on 1 Jul
    # Received 1 Jan 2026 00:30 WITA (31 Dec UTC): in the 2026 cohort; withdrawn, so neither answered nor overdue.
    c["jan"] = submit(opds, "DINKES", at(2026, 1, 1, 0, 30))
    with time_machine.travel(at(2026, 1, 5), tick=False):
        case_withdraw(case=c["jan"])
    # Received 31 Dec 2025 23:30 WITA: 2025's cohort, but its answer (5 Jan 2026) is in January's trend.
    c["2025"] = answer(submit(opds, "DINKES", at(2025, 12, 31, 23, 30)), actor, at(2026, 1, 5, 10), "granted")
    # DPUPR
    c[6] = submit(opds, "DPUPR", at(2026, 2, 4, 10))  # due 20 Feb, extended to 3 Mar
    with time_machine.travel(at(2026, 2, 13), tick=False):
        case_extend(case=c[6], actor=actor, reason="Informasi tersebar di beberapa bidang.")
    c[6] = answer(c[6], actor, at(2026, 3, 2, 10), **refuse("h"))  # 16 wd, on time (extended)
    c[7] = answer(submit(opds, "DPUPR", at(2026, 2, 4, 10)), actor, at(2026, 3, 2, 11), "not_held",
                  holder="Dinas Kesehatan")  # 16 wd, late
    c[8] = submit(opds, "DPUPR", at(2026, 6, 15))  # due 30 Jun: overdue on 1 Jul
    c[9] = submit(opds, "DPUPR", at(2026, 6, 24))  # due 8 Jul: open, not overdue
    # Received by DPUPR, forwarded to DINKES, answered there in 3 working days.
    c[10] = submit(opds, "DPUPR", at(2026, 2, 3))
    with time_machine.travel(at(2026, 2, 4, 8), tick=False):
        c[10] = case_forward(case=c[10], actor=actor, to_opd=opds["DINKES"])
    c[10] = answer(c[10], actor, at(2026, 2, 6, 10), "granted")
    # Objections filed in 2026.
    objection(c[3], 1, at(2026, 3, 2), ObjectionStatus.ANSWERED, ObjectionOutcome.UPHELD, answered_at=at(2026, 3, 20))
    objection(c[4], 2, at(2026, 3, 2), ObjectionStatus.REFERRED, ObjectionOutcome.DISMISSED,
              answered_at=at(2026, 3, 25), referred_at=at(2026, 4, 6))
    objection(c[2], 3, at(2026, 3, 2), ObjectionStatus.FILED)  # due 14 Apr, still unanswered: overdue
    objection(c[7], 1, at(2026, 3, 10), ObjectionStatus.ANSWERED, ObjectionOutcome.DISMISSED,
              due=dt.date(2026, 4, 22), overdue_at=at(2026, 4, 23, 0, 5), answered_at=at(2026, 4, 27))
    return c


@pytest.fixture
def compliance_cases(opds, calendar, admin_utama, monkeypatch):
    # The figures never read the letters; skipping their WeasyPrint rendering keeps these tests quick.
    monkeypatch.setattr("requests_app.letters.attach_letter", lambda case, name, actor=None: None)
    return build(opds, admin_utama)
