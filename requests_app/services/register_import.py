"""Loading an OPD's earlier register of requests (a spreadsheet kept before the portal) so that the figures of past
years do not start empty (`manage.py import_register`).

Each row becomes a finished case marked `imported`: closed (answered or not) or withdrawn, with its receipt and
answer dates on the same clock as the portal's own cases (received on → due date → working days to answer), so
the dashboard, the public statistics and the annual report count it like any other. No tracking code is made, no
e-mail is sent, no identity is asked for. Every row is checked first and all problems are reported with their line
and column; the file is imported in one transaction, or not at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation

from opd_app.models import OPD
from ppid_portal.clock import WITA, now, today_wita
from ppid_portal.limits import TEXT_MAX_LENGTH
from ppid_portal.tabular_import import RowError, header_columns
from requests_app import rules, workdays
from requests_app.event_notes import system_note
from requests_app.models import Case, CaseEvent, Decision, EventKind, Exemption, RegistrationCounter, Status
from requests_app.services.intake import format_registration_number
from requests_app.services.numbering import sequence_next

COLUMNS = ("registration_number", "received_on", "name", "information_requested", "decision", "answered_on",
           "exemption", "purpose")
REQUIRED = ("received_on", "name", "information_requested")
ALIASES = {
    "nomor_registrasi": "registration_number", "no_registrasi": "registration_number", "nomor": "registration_number",
    "tanggal_diterima": "received_on", "tanggal_permohonan": "received_on", "diterima": "received_on",
    "received": "received_on", "nama": "name", "nama_pemohon": "name",
    "rincian_informasi": "information_requested", "informasi_yang_diminta": "information_requested",
    "information": "information_requested", "keputusan": "decision", "tanggal_dijawab": "answered_on",
    "tanggal_jawaban": "answered_on", "dijawab": "answered_on", "answered": "answered_on",
    "pasal_17": "exemption", "tujuan_penggunaan": "purpose", "tujuan": "purpose",
}
WITHDRAWN = "withdrawn"
# The register's words for a decision, besides the portal's own labels and codes.
DECISION_WORDS = {
    "dikabulkan": Decision.GRANTED, "diberikan": Decision.GRANTED, "dipenuhi": Decision.GRANTED,
    "sebagian": Decision.PARTIALLY_GRANTED, "ditolak": Decision.REJECTED_EXEMPT,
    "dikecualikan": Decision.REJECTED_EXEMPT, "tidak dikuasai": Decision.NOT_HELD,
    "belum didokumentasikan": Decision.NOT_DOCUMENTED, "dicabut": WITHDRAWN, WITHDRAWN: WITHDRAWN,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
FIRST_YEAR = 2008  # UU 14/2008
CANONICAL_NUMBER = re.compile(r"^([A-Z0-9]+)-(\d{4})-(\d{5})$")
KEPT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")
# Imported cases are dated at noon WITA on their day: the day is what the register knows and what figures count.
NOON = dt.time(12, 0)


@dataclass
class RegisterImport:
    created: list[str] = field(default_factory=list)  # registration numbers, in the order of receipt
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    number: str
    received: dt.date
    name: str
    information: str
    decision: str  # a Decision value, WITHDRAWN, or "" (no answer on record)
    answered: dt.date | None
    exemption: str
    purpose: str
    sequence: int | None = None  # from a number in the portal's own form


# --- reading ----------------------------------------------------------------------------------------------------

def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows_from_csv(data: bytes) -> list[tuple[int, list]]:
    text = data.decode("utf-8-sig")
    delimiter = max((";", ",", "\t"), key=text.split("\n", 1)[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(reader.line_num, cells) for cells in reader]


def _rows_from_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [(number, list(cells)) for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True),
                                                                     start=1)]
    finally:
        book.close()


def read_register(path: Path) -> list[tuple[int, list]]:
    """(line, cells) of a .csv (UTF-8) or .xlsx file's first sheet; ValueError for another kind of file."""
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        return _rows_from_xlsx(data)
    if path.suffix.lower() == ".csv":
        return _rows_from_csv(data)
    raise ValueError(f"{path.name}: give a .csv or .xlsx file")


# --- checking ---------------------------------------------------------------------------------------------------

def _decision_words() -> dict[str, str]:
    words = {value: value for value in Decision.values}
    with translation.override("id"):
        words.update({str(label).lower(): value for value, label in Decision.choices})
    words.update(DECISION_WORDS)
    return words


def _date(value, line: int, column: str, errors: list[RowError]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _cell_text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(RowError(line, column, f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
    return None


def _header(cells: list, errors: list[RowError]) -> list[str]:
    return header_columns([_cell_text(cell) for cell in cells], columns=COLUMNS, aliases=ALIASES, required=REQUIRED,
                          errors=errors)


def _check_row(line: int, raw: dict, opd: OPD, today: dt.date, words: dict, errors: list[RowError]) -> _Row:
    text = {column: _cell_text(raw.get(column)) for column in COLUMNS if column not in ("received_on", "answered_on")}
    received = _date(raw.get("received_on"), line, "received_on", errors)
    answered = _date(raw.get("answered_on"), line, "answered_on", errors)
    if received is None and not _cell_text(raw.get("received_on")):
        errors.append(RowError(line, "received_on", "required"))
    for column, day in (("received_on", received), ("answered_on", answered)):
        if day and not (FIRST_YEAR <= day.year and day <= today):
            errors.append(RowError(line, column, f"{day:%Y-%m-%d} is not between {FIRST_YEAR} and today"))
    if received and answered and answered < received:
        errors.append(RowError(line, "answered_on", "before the received date"))
    for column, limit in (("name", Case._meta.get_field("name").max_length),
                          ("information_requested", TEXT_MAX_LENGTH), ("purpose", TEXT_MAX_LENGTH)):
        if column in REQUIRED and not text[column]:
            errors.append(RowError(line, column, "required"))
        elif len(text[column]) > limit:
            errors.append(RowError(line, column, f"at most {limit} characters ({len(text[column])} given)"))
    decision = ""
    if text["decision"]:
        decision = words.get(text["decision"].lower(), "")
        if not decision:
            errors.append(RowError(line, "decision", f"{text['decision']!r}: one of {', '.join(Decision.values)}, "
                                                     f"their labels, or 'dicabut' (withdrawn)"))
    if decision and decision != WITHDRAWN and not answered and _cell_text(raw.get("answered_on")) == "":
        errors.append(RowError(line, "answered_on", "required with a decision (the date of the written notice)"))
    if answered and not text["decision"]:
        errors.append(RowError(line, "decision", "required with an answered date"))
    exemption = text["exemption"].lower().removeprefix("pasal 17").strip(" ()")
    if exemption:
        if decision != Decision.REJECTED_EXEMPT:
            errors.append(RowError(line, "exemption", "only for a refusal (ditolak)"))
        elif exemption not in Exemption.values:
            errors.append(RowError(line, "exemption", f"{text['exemption']!r}: a Pasal 17 letter, a to j"))
    row = _Row(line=line, number=text["registration_number"].upper(), received=received, name=text["name"],
               information=text["information_requested"], decision=decision, answered=answered,
               exemption=exemption, purpose=text["purpose"])
    _check_number(row, opd, errors)
    return row


def _check_number(row: _Row, opd: OPD, errors: list[RowError]) -> None:
    if not row.number:
        return
    limit = Case._meta.get_field("registration_number").max_length
    if len(row.number) > limit:
        errors.append(RowError(row.line, "registration_number", f"at most {limit} characters"))
        return
    match = CANONICAL_NUMBER.match(row.number)
    if not match:
        # The register's own numbering, kept as given. It is part of page addresses (/petugas/kasus/<number>/),
        # so it holds no "/" or spaces.
        if not KEPT_NUMBER.match(row.number):
            errors.append(RowError(row.line, "registration_number",
                                   f"{row.number!r}: only letters, digits, '-', '.' and '_' (write '/' as '-'), or "
                                   f"leave it blank to number the row"))
        return
    code, year, sequence = match.group(1), int(match.group(2)), int(match.group(3))
    if code != opd.code:
        errors.append(RowError(row.line, "registration_number", f"{row.number}: the prefix is not {opd.code}"))
    elif row.received and year != row.received.year:
        errors.append(RowError(row.line, "registration_number",
                               f"{row.number}: the year is not the received date's ({row.received.year})"))
    elif sequence == 0:
        errors.append(RowError(row.line, "registration_number", f"{row.number}: numbers start at 00001"))
    else:
        row.sequence = sequence


def _check_unique(rows: list[_Row], opd: OPD, errors: list[RowError]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        if row.number in first:
            errors.append(RowError(row.line, "registration_number", f"{row.number} is already on line "
                                                                    f"{first[row.number]}"))
        elif row.number:
            first[row.number] = row.line
    taken = set(Case.objects.filter(registration_number__in=list(first)).values_list("registration_number",
                                                                                       flat=True))
    for row in rows:
        if row.number in taken:
            errors.append(RowError(row.line, "registration_number", f"{row.number} is already registered"))
        elif row.sequence and Case.objects.filter(registered_opd=opd, year=row.received.year,
                                                  sequence=row.sequence).exists():
            errors.append(RowError(row.line, "registration_number",
                                   f"{row.number}: sequence {row.sequence} of {row.received.year} is already used"))


def register_check(cells_by_line: list[tuple[int, list]], *, opd: OPD,
                   today: dt.date | None = None) -> tuple[list[_Row], list[RowError]]:
    errors: list[RowError] = []
    if not cells_by_line:
        return [], [RowError(None, "-", "the file is empty")]
    columns = _header(cells_by_line[0][1], errors)
    if errors:
        return [], errors
    today, words, rows = today or today_wita(), _decision_words(), []
    for line, cells in cells_by_line[1:]:
        cells = list(cells)
        if not any(_cell_text(cell) for cell in cells):
            continue
        if len(cells) > len(columns) and not any(_cell_text(cell) for cell in cells[len(columns):]):
            cells = cells[:len(columns)]
        if len(cells) < len(columns):
            cells += [None] * (len(columns) - len(cells))  # a short row: its trailing cells are empty
        if len(cells) != len(columns):
            errors.append(RowError(line, "-", f"{len(cells)} values for {len(columns)} columns"))
            continue
        rows.append(_check_row(line, dict(zip(columns, cells, strict=True)), opd, today, words, errors))
    if not rows and not errors:
        errors.append(RowError(None, "-", "no rows under the header"))
    if not errors:
        _check_unique(rows, opd, errors)
    errors.sort(key=lambda e: e.line or 0)
    return rows, errors


# --- writing ----------------------------------------------------------------------------------------------------

def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, NOON, tzinfo=WITA)


def _reserve_given_sequences(rows: list[_Row], opd: OPD) -> None:
    """Move the OPD's counter past the numbers the register already gave, so that rows without a number and the
    portal's later requests never take one of them."""
    highest: dict[int, int] = {}
    for row in rows:
        if row.sequence:
            highest[row.received.year] = max(highest.get(row.received.year, 0), row.sequence)
    for year, sequence in highest.items():
        counter, _ = RegistrationCounter.objects.select_for_update().get_or_create(opd=opd, year=year)
        if counter.last_value < sequence:
            counter.last_value = sequence
            counter.save(update_fields=["last_value"])


def _case(row: _Row, opd: OPD, cal: workdays.Calendar, moment: dt.datetime) -> Case:
    received_on, due = rules.case_clock(cal, row.received)
    year = row.received.year
    sequence = row.sequence or sequence_next(counter_model=RegistrationCounter, opd=opd, year=year)
    answered = row.decision not in ("", WITHDRAWN)
    answered_at = _at(row.answered) if answered else None
    finished_at = answered_at or (_at(row.answered) if row.answered else _at(row.received))
    return Case(
        registration_number=row.number or format_registration_number(opd.code, year, sequence),
        opd=opd, registered_opd=opd, year=year, sequence=sequence, tracking_code_hash="", imported=True,
        status=Status.WITHDRAWN if row.decision == WITHDRAWN else Status.CLOSED,
        decision=row.decision if answered else "", exemption=row.exemption if answered else "",
        received_at=_at(row.received), received_on=received_on, due_date=due, effective_due_date=due,
        answered_at=answered_at,
        answer_working_days=cal.working_days_between(received_on, row.answered) if answered else None,
        closed_at=finished_at, name=row.name, identity_number="", address="", requester_type="",
        information_requested=row.information, purpose=row.purpose, obtain_method="", delivery_method="",
        created_at=moment, updated_at=moment,
    )


def _events(case: Case, source: str) -> list[CaseEvent]:
    note, data = system_note("imported", source=source)
    events = [CaseEvent(case=case, kind=EventKind.SUBMITTED, at=case.received_at, to_status=Status.SUBMITTED,
                        note=note, data=data)]
    if case.answered_at:
        with translation.override("id"):
            label = str(case.get_decision_display())
        events.append(CaseEvent(
            case=case, kind=EventKind.ANSWERED, at=case.answered_at, from_status=Status.SUBMITTED,
            to_status=Status.ANSWERED, note=label,
            data={"decision": case.decision, "exemption": case.exemption, "holder": "", "follow_up": False,
                  "late": rules.answered_late(case.answered_at.astimezone(WITA).date(), case.effective_due_date),
                  "imported": True}))
    key, kind = (("withdrawn", EventKind.WITHDRAWN) if case.status == Status.WITHDRAWN
                 else ("closed", EventKind.CLOSED))
    note, data = system_note(key)
    events.append(CaseEvent(case=case, kind=kind, at=case.closed_at,
                            from_status=Status.ANSWERED if case.answered_at else Status.SUBMITTED,
                            to_status=case.status, note=note, data=data))
    return events


def register_import(cells_by_line: list[tuple[int, list]], *, opd: OPD, source: str = "",
                    dry_run: bool = False) -> RegisterImport:
    """Check every row and, when none has an error (and not `dry_run`), create the finished, imported cases in the
    order of receipt, numbered on the OPD's counter unless the register gave a number."""
    result = RegisterImport()
    rows, result.errors = register_check(cells_by_line, opd=opd)
    if result.errors:
        return result
    rows.sort(key=lambda row: (row.received, row.line))
    if dry_run:
        result.created = [row.number or f"({row.received:%Y-%m-%d}, line {row.line})" for row in rows]
        return result
    first, last = rows[0].received, max(row.answered or row.received for row in rows)
    cal = workdays.calendar_for(first, last + dt.timedelta(days=60))  # room for the due dates after the last day
    moment = now()
    with transaction.atomic():
        _reserve_given_sequences(rows, opd)
        cases = Case.objects.bulk_create([_case(row, opd, cal, moment) for row in rows], batch_size=500)
        CaseEvent.objects.bulk_create([event for case in cases for event in _events(case, source)], batch_size=1000)
    result.created = [case.registration_number for case in cases]
    return result
