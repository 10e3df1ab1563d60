"""The statutory rules of a request's life, in one place (UU 14/2008 and its implementing rules).

Pure: no database, no clock, no settings. A caller brings the working-day calendar (`requests_app.workdays`)
and today's date (`ppid_portal.clock.today_wita`); every service, selector, page, serializer and task asks
here instead of restating a rule. The statuses are their stored values, so this module imports no model
(the models import it for their index conditions).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F, Q

if TYPE_CHECKING:  # only for annotations: the calendar is passed in, never loaded here
    from requests_app.workdays import Calendar

# ------------------------------------------------------------------------------------------ clocks, in working days
NOTICE_DAYS = 10  # Pasal 22(7): the written notice is owed within 10 working days of receipt
EXTENSION_DAYS = 7  # Pasal 22(8): once, by at most 7 working days, with a written reason
OBJECTION_FILING_DAYS = 30  # Pasal 36(1): an objection is filed within 30 working days of its grounds
OBJECTION_ANSWER_DAYS = 30  # Pasal 36(2): the Atasan PPID answers within 30 working days
DISPUTE_DAYS = 14  # Pasal 37(2): the requester may go to the Komisi Informasi within 14 working days
# The law sets no term for carrying out an upheld keberatan. The follow-up written notice it calls for is owed
# within the span of the first written notice (Pasal 22(7)), counted from the Atasan PPID's answer: the officer
# owes the same kind of letter again, so the queue gives it the same time.
FOLLOW_UP_DAYS = NOTICE_DAYS

# ------------------------------------------------------------------------------------------ states of a case
SUBMITTED, IN_PROCESS, EXTENDED, ANSWERED = "submitted", "in_process", "extended", "answered"
CLOSED, FORWARDED, WITHDRAWN = "closed", "forwarded", "withdrawn"
# The states in which the PPID still owes the requester a written notice: the clock runs.
OPEN_STATUSES = (SUBMITTED, IN_PROCESS, EXTENDED, FORWARDED)
# The states an extension may start from (an extended case cannot be extended again).
EXTENDABLE_STATUSES = (SUBMITTED, IN_PROCESS, FORWARDED)
# Finished cases (their identity scans fall under the retention rule).
FINISHED_STATUSES = (CLOSED, WITHDRAWN)
# The states in which requester and officer may write to each other on the case. Every state but a withdrawal:
# the requester ended the request, so nobody is left to answer. Answered and closed cases keep the conversation:
# a question on the material after the answer (or the officer's note on it) needs no new request. A message
# changes no state and no date, so the clock runs on as if it had not been written.
MESSAGE_STATUSES = (SUBMITTED, IN_PROCESS, EXTENDED, FORWARDED, ANSWERED, CLOSED)

OBJECTION_FILED, OBJECTION_ANSWERED = "filed", "answered"


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def open_filter(prefix: str = "") -> Q:
    """The open cases, as a filter (`prefix` reaches the case through a relation, e.g. "case__")."""
    return Q(**{f"{prefix}status__in": OPEN_STATUSES})


# ------------------------------------------------------------------------------------------ follow-up of a keberatan
def follow_up_due_date(cal: Calendar, objection_answered_on: dt.date) -> dt.date:
    """The due date of the follow-up written notice after an upheld keberatan: FOLLOW_UP_DAYS working days after
    the Atasan PPID's answer (its WITA date)."""
    return cal.add_working_days(objection_answered_on, FOLLOW_UP_DAYS)


def follow_up_owed(status: str, follow_up_due: dt.date | None) -> bool:
    """An answered case whose upheld keberatan still waits for the follow-up notice (the case keeps its status:
    the first notice and its figures stand)."""
    return status == ANSWERED and follow_up_due is not None


def follow_up_filter() -> Q:
    """follow_up_owed as a filter."""
    return Q(status=ANSWERED, follow_up_due_date__isnull=False)


def work_owed_filter() -> Q:
    """The officer queue's default: the open cases and the answered ones owing a follow-up notice. The condition
    of the partial index case_work_queue_idx (the same SQL, so the planner walks it)."""
    return open_filter() | follow_up_filter()


def date_owed_expression():
    """The date the queue sorts by: the follow-up notice's due date while one is owed, else the case's own
    (effective) due date (an open case never has a follow-up date). The expression of case_work_queue_idx."""
    from django.db.models.functions import Coalesce

    return Coalesce(F("follow_up_due_date"), F("effective_due_date"))


def date_owed(status: str, effective_due_date: dt.date, follow_up_due: dt.date | None) -> dt.date:
    """date_owed_expression for one case."""
    return follow_up_due if follow_up_owed(status, follow_up_due) else effective_due_date


# ------------------------------------------------------------------------------------------ the case clock
def case_clock(cal: Calendar, received: dt.date) -> tuple[dt.date, dt.date]:
    """(the day the law counts from, the due date) of a request received on `received` (its WITA date): a
    receipt on a non-working day counts from the next working day; the notice is due NOTICE_DAYS after."""
    received_on = cal.receipt_day(received)
    return received_on, cal.add_working_days(received_on, NOTICE_DAYS)


def extended_due_date(cal: Calendar, due_date: dt.date) -> dt.date:
    """The due date after the one extension: EXTENSION_DAYS working days after the first due date."""
    return cal.add_working_days(due_date, EXTENSION_DAYS)


def extension_refusal(*, status: str, due_date: dt.date, extended_due_date: dt.date | None,
                      today: dt.date) -> str | None:
    """Why this case may not be extended today (a sentence for the officer), or None if it may."""
    from django.utils.translation import gettext as _

    if extended_due_date is not None:
        return _("Jangka waktu hanya dapat diperpanjang satu kali.")
    if status not in EXTENDABLE_STATUSES:
        return _("Permohonan berstatus ini tidak dapat diperpanjang.")
    if today > due_date:
        return _("Batas waktu pertama sudah lewat; perpanjangan tidak lagi dapat diberikan.")
    return None


# ------------------------------------------------------------------------------------------ overdue
def is_overdue(status: str, effective_due_date: dt.date, today: dt.date) -> bool:
    """An open case past its (effective) due date: the written notice is late."""
    return status in OPEN_STATUSES and today > effective_due_date


def answered_late(answered_on: dt.date, due_date: dt.date) -> bool:
    """An answer (the written notice, or the Atasan PPID's answer to an objection) sent after its due date."""
    return answered_on > due_date


def answered_on_time_expression():
    """answered_late's converse, as a database expression over cases: the WITA date of `answered_at` on or
    before the effective due date (the compliance figures count with it)."""
    from django.db.models.functions import TruncDate
    from django.db.models.lookups import LessThanOrEqual

    from ppid_portal.clock import WITA

    return LessThanOrEqual(TruncDate("answered_at", tzinfo=WITA), F("effective_due_date"))


def answered_late_expression():
    """answered_late as a database expression over cases (an unanswered case is neither on time nor late)."""
    from django.db.models.functions import TruncDate
    from django.db.models.lookups import GreaterThan

    from ppid_portal.clock import WITA

    return GreaterThan(TruncDate("answered_at", tzinfo=WITA), F("effective_due_date"))


def overdue_filter(today: dt.date, prefix: str = "") -> Q:
    """The overdue cases as a filter (the same rule as is_overdue)."""
    return open_filter(prefix) & Q(**{f"{prefix}effective_due_date__lt": today})


# Open cases whose current due date has not had its overdue notice yet: the condition of the partial index
# case_overdue_unnotified_idx and the sweep's filter (the same SQL, so the planner uses the index).
OVERDUE_NOTICE_OWED = open_filter() & (Q(overdue_notice_due__isnull=True)
                                       | ~Q(overdue_notice_due=F("effective_due_date")))
# The same for filed objections against their own due date (objection_overdue_owed_idx).
OBJECTION_OVERDUE_NOTICE_OWED = Q(status=OBJECTION_FILED) & (Q(overdue_notice_due__isnull=True)
                                                            | ~Q(overdue_notice_due=F("due_date")))


# ------------------------------------------------------------------------------------------ letters handed over
# Pasal 22(7) wants the written notice to reach the requester, not only to be written. A letter for a requester
# without e-mail, or who asked for delivery by pickup, post or courier, waits in the OPD's list of letters to
# deliver until an officer records its handover. The law sets no term of its own for that step; the portal's
# service standard is DELIVERY_DAYS working days after the letter was issued (the PPID_DELIVERY_WORKING_DAYS
# setting, read by the caller: these rules take no settings). A handover after that day is late.
DELIVERY_DAYS = 3
# The delivery methods of the request form whose letters are handed over (in person, or sent on paper).
HANDED_OVER_METHODS = ("pickup", "post", "courier")


def letter_handed_over(*, email: str, delivery_method: str) -> bool:
    """Does a letter for this requester wait in the OPD's list of letters to deliver: no e-mail address to send it
    to, or a delivery by pickup, post or courier (the e-mail, where there is an address, goes as well)."""
    return not (email or "").strip() or delivery_method in HANDED_OVER_METHODS


def delivery_due_on(cal: Calendar, issued: dt.date, days: int = DELIVERY_DAYS) -> dt.date:
    """The day by which a letter issued on `issued` (its WITA date) should be handed over: `days` working days
    after it (a letter issued on a non-working day counts from the next working day, as everything else)."""
    return cal.add_working_days(cal.receipt_day(issued), days)


def delivered_late(delivered_on: dt.date, due_on: dt.date) -> bool:
    """A letter handed over after its due day."""
    return delivered_on > due_on


def delivery_is_overdue(delivered: bool, due_on: dt.date, today: dt.date) -> bool:
    """A letter still waiting for its handover past its due day."""
    return not delivered and today > due_on


def delivery_overdue_filter(today: dt.date) -> Q:
    """delivery_is_overdue as a filter over letter deliveries."""
    return Q(delivered_at__isnull=True, due_on__lt=today)


def delivered_late_expression():
    """delivered_late as a database expression over letter deliveries (the WITA date of the handover)."""
    from django.db.models.functions import TruncDate
    from django.db.models.lookups import GreaterThan

    from ppid_portal.clock import WITA

    return GreaterThan(TruncDate("delivered_at", tzinfo=WITA), F("due_on"))


# ------------------------------------------------------------------------------------------ reminders and urgency
# An entry of the list of exempted information (DIK) ends on its valid_until (UU 14/2008 Pasal 20: an exemption is
# not for ever): its Atasan PPID is reminded this many working days before, to renew it or let it lapse. The law sets
# no term for this reminder; 30 working days is about six weeks, time for a new consequence test.
DIK_EXPIRY_REMINDER_DAYS = 30

# A due date within SOON_DAYS working days is "soon": the queue colours it, the digest groups it, and the
# sweep sends its first reminder then.
SOON_DAYS = 3
# The sweep's thresholds, in the order a due date meets them.
REMINDER_KINDS = ("reminder3", "reminder1", "due_today")
KINDS = (*REMINDER_KINDS, "overdue")


def reminder_windows(cal: Calendar, today: dt.date) -> dict[str, dict]:
    """{threshold: lookup on the due date} as of `today`; the windows do not overlap and, together, cover every
    due date up to SOON_DAYS working days ahead:

    - reminder3: the due date is 2 or 3 working days away;
    - reminder1: it is the next working day (or a non-working day before it);
    - due_today: it is today;
    - overdue:   it has passed (escalation to the Atasan PPID, the PPID Utama and the requester)."""
    d1, d3 = cal.add_working_days(today, 1), cal.add_working_days(today, SOON_DAYS)
    return {
        "reminder3": {"gt": d1, "lte": d3},
        "reminder1": {"gt": today, "lte": d1},
        "due_today": {"exact": today},
        "overdue": {"lt": today},
    }


def threshold_of(due: dt.date, today: dt.date, next_working_day: dt.date) -> str:
    """The threshold whose window (reminder_windows) holds `due`, for a due date at most SOON_DAYS ahead."""
    if due < today:
        return "overdue"
    if due == today:
        return "due_today"
    return "reminder1" if due <= next_working_day else "reminder3"


def soon_limit(cal: Calendar, today: dt.date) -> dt.date:
    """The last due date that counts as soon."""
    return cal.add_working_days(today, SOON_DAYS)


def urgency(status: str, effective_due_date: dt.date, today: dt.date, soon_until: dt.date,
            follow_up_due: dt.date | None = None) -> str:
    """overdue / soon / normal / done: what the queue and the digest show of a case's clock. An answered case
    owing a follow-up notice runs on that notice's due date."""
    if follow_up_owed(status, follow_up_due):
        effective_due_date = follow_up_due
    elif status not in OPEN_STATUSES:
        return "done"
    if today > effective_due_date:
        return "overdue"
    if effective_due_date <= soon_until:
        return "soon"
    return "normal"


def working_days_left(cal: Calendar, due: dt.date, today: dt.date) -> int:
    """Working days from today to a due date: positive ahead, 0 on the day, negative when late (the working days
    past it, the day after the due date being the first)."""
    if due >= today:
        return cal.working_days_between(today, due)
    return -max(cal.working_days_between(due, today), 1)


# ------------------------------------------------------------------------------------------ objections (keberatan)
def grounds_arose_on(*, status: str, effective_due_date: dt.date, answered_on: dt.date | None,
                     today: dt.date) -> dt.date | None:
    """The day the grounds for an objection arose: the answer's date, or, with no answer, the first day after
    the effective due date passed. None while the PPID is still within its time."""
    if answered_on is not None:
        return answered_on
    if is_overdue(status, effective_due_date, today):
        return effective_due_date + dt.timedelta(days=1)
    return None


def objection_filing_deadline(cal: Calendar, arose: dt.date) -> dt.date:
    """The last day an objection may be filed: OBJECTION_FILING_DAYS working days after its grounds arose."""
    return cal.add_working_days(arose, OBJECTION_FILING_DAYS)


def objection_filing_open_since(cal: Calendar, latest: dt.date) -> dt.date:
    """The inverse of objection_filing_deadline: the first day grounds may have arisen on and still have their
    filing window open after `latest` (grounds that arose earlier have their window closed by `latest`). `cal`
    must reach OBJECTION_FILING_DAYS working days back from `latest`."""
    # The day W with exactly OBJECTION_FILING_DAYS working days in (W, latest]: grounds arising on W, or on the
    # non-working days right after it, have their window end by `latest`; from the next working day on they do not.
    # Counted back from the last working day up to `latest` (a weekend `latest` adds no working day to the span).
    last_working = latest
    while not cal.is_working_day(last_working):
        last_working -= dt.timedelta(days=1)
    day = cal.subtract_working_days(last_working, OBJECTION_FILING_DAYS) + dt.timedelta(days=1)
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def objection_clock(cal: Calendar, filed: dt.date) -> tuple[dt.date, dt.date]:
    """(the day the law counts from, the answer's due date) of an objection filed on `filed`."""
    received_on = cal.receipt_day(filed)
    return received_on, cal.add_working_days(received_on, OBJECTION_ANSWER_DAYS)


def commission_deadline(cal: Calendar, answered: dt.date) -> dt.date:
    """The last day to take an answered objection to the Komisi Informasi."""
    return cal.add_working_days(answered, DISPUTE_DAYS)


def archivable_on(cal: Calendar, *, status: str, closed_on: dt.date | None, arose: dt.date | None,
                  objections: list[tuple[str, dt.date | None, dt.date | None]]) -> dt.date | None:
    """The first day a finished case's record may go to the records office (Dinas Kearsipan): the day after every
    remedy window has run out. None while that day cannot be known yet: the case is not closed or withdrawn, or an
    objection is still to be answered (filed) or its dispute is pending at the Komisi Informasi (referred: the
    portal keeps no end of it).

    The windows: closure itself; the objection filing window, OBJECTION_FILING_DAYS working days after its grounds
    arose (`arose`: the answer's date; a withdrawn case takes no objection); each answered objection's dispute
    window, DISPUTE_DAYS working days after its answer (its recorded commission deadline when there is one).
    `objections` are (status, WITA date of the answer, commission deadline) of the case's objections; `cal` covers
    the windows."""
    if status not in FINISHED_STATUSES or closed_on is None:
        return None
    last = closed_on
    if status != WITHDRAWN and arose is not None:
        last = max(last, objection_filing_deadline(cal, arose))
    for objection_status, answered_on, deadline in objections:
        if objection_status != OBJECTION_ANSWERED:
            return None
        if deadline is None and answered_on is not None:
            deadline = commission_deadline(cal, answered_on)
        if deadline is not None:
            last = max(last, deadline)
    return last + dt.timedelta(days=1)


def is_archivable(archivable: dt.date | None, today: dt.date) -> bool:
    """Has the case's archivable day (archivable_on) come."""
    return archivable is not None and today >= archivable


def objection_is_overdue(status: str, due_date: dt.date, today: dt.date) -> bool:
    """A filed objection past its answer's due date: the Atasan PPID's answer is late."""
    return status == OBJECTION_FILED and today > due_date


def objection_overdue_filter(today: dt.date) -> Q:
    """The overdue objections as a filter (the same rule as objection_is_overdue)."""
    return Q(status=OBJECTION_FILED, due_date__lt=today)


def objection_urgency(status: str, due_date: dt.date, today: dt.date) -> str:
    """overdue / normal / done: what the Atasan PPID's queue shows of an objection's clock."""
    if objection_is_overdue(status, due_date, today):
        return "overdue"
    return "normal" if status == OBJECTION_FILED else "done"


def objection_referable(status: str, due_date: dt.date, today: dt.date) -> bool:
    """May the requester take the objection to the Komisi Informasi: once it is answered, or once its answer's
    due date has passed with none (Pasal 37(1))."""
    return status == OBJECTION_ANSWERED or objection_is_overdue(status, due_date, today)


def grounds_allowed(*, decision: str, effective_due_date: dt.date, answered_on: dt.date | None,
                    arose: dt.date | None) -> list[str]:
    """Pasal 35(1) letters that fit the case's state.

    Answered: (a) only after a Pasal 17 refusal, (g) only if the answer came after the due date, (c) never
    (it was answered); (b), (d), (e), (f) always. Unanswered past the due date: (b), (c), (g)."""
    if answered_on is not None:
        allowed = ["b", "d", "e", "f"]
        if decision == "rejected_exempt":
            allowed.append("a")
        if answered_late(answered_on, effective_due_date):
            allowed.append("g")
        return sorted(allowed)
    return ["b", "c", "g"] if arose else []
