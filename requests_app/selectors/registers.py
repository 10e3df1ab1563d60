"""The PPID's registers (Perki SLIP): the register of requests and the register of keberatan, per OPD and year.

Computed from the cases, their events, objections and letters to deliver; nothing is stored twice. One row per
request or objection, as a plain dict: the page, the API and the printed register (CSV, XLSX, PDF) all read these
rows, and the columns they show are defined once here (REQUEST_COLUMNS, OBJECTION_COLUMNS). Building the rows of
any number of cases costs a fixed number of queries (the cases, their forwards, their notices' deliveries; the
objections and who answered them).

Which OPD's register holds a request: the OPD that registered it (its number's sequence) and, once it was forwarded
there, the OPD that holds it now. The requester's identity (name, address, contact, occupation) is shown as on the
case page: to those who handle the case now (its OPD's officers and Atasan PPID, PPID Utama); the OPD that
forwarded a request away keeps its row without the identity, as its read-only case page does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from opd_app.models import OPD, Membership, Role
from opd_app.permissions import visible_opd_ids
from ppid_portal.clock import WITA, today_wita, wita_date
from requests_app.letters import atasan_position_lines
from requests_app.models import (
    Case,
    CaseEvent,
    Decision,
    EventKind,
    Exemption,
    LetterDelivery,
    Objection,
    ObjectionGround,
    ObjectionOutcome,
    ObjectionStatus,
    Status,
)
from requests_app.models.case import CopyFormat, DeliveryMethod, IntakeChannel, ObtainMethod

REQUESTS, OBJECTIONS = "requests", "objections"
REGISTER_KINDS = (REQUESTS, OBJECTIONS)
# The register's formats besides the page and the API's JSON: the printed register.
REGISTER_FORMATS = ("csv", "xlsx", "pdf")
REGISTER_PAGE_SIZE = 100
# The first year a register can hold: the law (UU 14/2008) took effect in 2010; earlier registers may be imported.
FIRST_REGISTER_YEAR = 2008


@dataclass(frozen=True)
class RegisterColumn:
    """One column of a register: the row's key it shows and its heading. `identity` marks the requester's personal
    data (blank in the rows of a request the reader may not see the identity of)."""

    key: str
    heading: Promise
    identity: bool = False


# The columns of the register of requests, in the printed order. Every surface (page, CSV, XLSX, PDF) reads them
# here; the API's rows carry these keys and the codes behind the labels.
REQUEST_COLUMNS = (
    RegisterColumn("registration_number", pgettext_lazy("register column", "Nomor registrasi")),
    RegisterColumn("received_on", pgettext_lazy("register column", "Tanggal diterima")),
    RegisterColumn("channel_label", pgettext_lazy("register column", "Cara permohonan diterima")),
    RegisterColumn("name", pgettext_lazy("register column", "Nama pemohon"), identity=True),
    RegisterColumn("address", pgettext_lazy("register column", "Alamat"), identity=True),
    RegisterColumn("contact", pgettext_lazy("register column", "Telepon/e-mail"), identity=True),
    RegisterColumn("occupation", pgettext_lazy("register column", "Pekerjaan"), identity=True),
    RegisterColumn("information_requested", pgettext_lazy("register column", "Informasi yang diminta")),
    RegisterColumn("purpose", pgettext_lazy("register column", "Tujuan penggunaan informasi")),
    RegisterColumn("obtain_label", pgettext_lazy("register column", "Cara memperoleh informasi")),
    RegisterColumn("status_label", pgettext_lazy("register column", "Status")),
    RegisterColumn("decision_label", pgettext_lazy("register column", "Keputusan")),
    RegisterColumn("exemption_label", pgettext_lazy("register column", "Alasan penolakan (Pasal 17)")),
    RegisterColumn("dik_label", pgettext_lazy("register column", "Entri DIK yang menjadi dasar")),
    RegisterColumn("withheld", pgettext_lazy("register column", "Informasi yang tidak diberikan")),
    RegisterColumn("notice_date", pgettext_lazy("register column", "Tanggal pemberitahuan tertulis")),
    RegisterColumn("working_days", pgettext_lazy("register column", "Lama menjawab (hari kerja)")),
    RegisterColumn("extended", pgettext_lazy("register column", "Diperpanjang")),
    RegisterColumn("forwarded_label", pgettext_lazy("register column", "Diteruskan")),
    RegisterColumn("delivery_label", pgettext_lazy("register column", "Cara penyampaian")),
    RegisterColumn("handover_label", pgettext_lazy("register column", "Penyerahan pemberitahuan tertulis")),
    RegisterColumn("cost", pgettext_lazy("register column", "Biaya")),
)

OBJECTION_COLUMNS = (
    RegisterColumn("objection_number", pgettext_lazy("register column", "Nomor keberatan")),
    RegisterColumn("filed_on", pgettext_lazy("register column", "Tanggal keberatan")),
    RegisterColumn("requester", pgettext_lazy("register column", "Nama pemohon"), identity=True),
    RegisterColumn("registration_number", pgettext_lazy("register column", "Nomor registrasi permohonan")),
    RegisterColumn("purpose", pgettext_lazy("register column", "Tujuan penggunaan informasi")),
    RegisterColumn("ground_label", pgettext_lazy("register column", "Alasan keberatan (Pasal 35)")),
    RegisterColumn("status_label", pgettext_lazy("register column", "Status")),
    RegisterColumn("outcome_label", pgettext_lazy("register column", "Tanggapan Atasan PPID")),
    RegisterColumn("answered_on", pgettext_lazy("register column", "Tanggal tanggapan")),
    RegisterColumn("atasan_name", pgettext_lazy("register column", "Nama Atasan PPID")),
    RegisterColumn("atasan_position", pgettext_lazy("register column", "Jabatan Atasan PPID")),
    RegisterColumn("dispute_label", pgettext_lazy("register column", "Sengketa ke Komisi Informasi")),
)

REGISTER_COLUMNS = {REQUESTS: REQUEST_COLUMNS, OBJECTIONS: OBJECTION_COLUMNS}


# Filters ------------------------------------------------------------------------------------------------------


class RegisterFilterError(ValueError):
    """A filter that is not one (a year or month that is not a number the register has, an unknown format):
    the page and the API answer 400 with `message` beside `field`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RegisterFilters:
    year: int
    month: int | None = None
    opd: OPD | None = None  # one OPD; None: every OPD the reader sees

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month or 1, 1, tzinfo=WITA)

    @property
    def end(self) -> dt.datetime:
        if self.month and self.month < 12:
            return dt.datetime(self.year, self.month + 1, 1, tzinfo=WITA)
        return dt.datetime(self.year + 1, 1, 1, tzinfo=WITA)


_DIGITS = re.compile(r"[0-9]{1,4}", re.ASCII)


def register_opds_for(user) -> QuerySet:
    """The OPDs whose registers the user may read: its own (PPID Pelaksana, Atasan PPID), every OPD for PPID
    Utama."""
    ids = visible_opd_ids(user)
    qs = OPD.objects.only("code", "name", "is_ppid_utama")
    return qs if ids is None else qs.filter(pk__in=ids)


def register_filters(user, params, *, today: dt.date | None = None) -> RegisterFilters:
    """The filters of a register from query parameters: `year` (default this year), `month` (1-12, optional),
    `opd` (a code). RegisterFilterError for a year or month that is not one; Http404 for an OPD the user does not
    work for, as for one that does not exist."""
    today = today or today_wita()
    raw_year = (params.get("year") or "").strip()
    if not raw_year:
        year = today.year
    elif _DIGITS.fullmatch(raw_year) and FIRST_REGISTER_YEAR <= int(raw_year) <= today.year + 1:
        year = int(raw_year)
    else:
        raise RegisterFilterError("year", _("Tahun harus angka antara %(a)s dan %(b)s.")
                                  % {"a": FIRST_REGISTER_YEAR, "b": today.year + 1})
    raw_month = (params.get("month") or "").strip()
    month = None
    if raw_month:
        if not (_DIGITS.fullmatch(raw_month) and 1 <= int(raw_month) <= 12):
            raise RegisterFilterError("month", _("Bulan harus angka 1 sampai 12."))
        month = int(raw_month)
    code = (params.get("opd") or "").strip().upper()[:16]
    opd = None
    if code:
        opd = register_opds_for(user).filter(code=code).first()
        if opd is None:
            raise Http404
    return RegisterFilters(year=year, month=month, opd=opd)


def register_format(params, *, allowed=REGISTER_FORMATS) -> str:
    """The printed register's format asked for ("" for the page or JSON); RegisterFilterError for another."""
    fmt = (params.get("format") or "").strip().lower()
    if fmt in ("", "json", "html"):
        return ""
    if fmt not in allowed:
        raise RegisterFilterError("format", _("Format harus salah satu dari: %(f)s.") % {"f": ", ".join(allowed)})
    return fmt


# The register of requests --------------------------------------------------------------------------------------


def request_register_cases(user, filters: RegisterFilters) -> QuerySet:
    """The requests of the register, in number order: received in the year (and month), registered by or forwarded
    to the OPD (or the reader's OPDs; every OPD for PPID Utama)."""
    qs = Case.objects.filter(received_at__gte=filters.start, received_at__lt=filters.end)
    if filters.opd is not None:
        qs = qs.filter(Q(registered_opd=filters.opd) | Q(opd=filters.opd))
    ids = visible_opd_ids(user)
    if ids is not None:
        qs = qs.filter(Q(registered_opd_id__in=ids) | Q(opd_id__in=ids)) if ids else qs.none()
    return (qs.select_related("opd", "registered_opd", "dik_entry")
            .order_by("registered_opd__code", "year", "sequence", "id"))


def _yes_no(value: bool) -> str:
    return _("Ya") if value else _("Tidak")


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def dik_label(entry) -> str:
    """The DIK entry a refusal or partial grant rests on, as the written notice names it: its number, the date it was
    decided on and how long it holds."""
    if entry is None:
        return ""
    return (pgettext("register cell", "Entri nomor %(number)s, ditetapkan %(decided)s, berlaku sampai %(until)s")
            % {"number": entry.pk, "decided": date_format(entry.decided_on, "j F Y"),
               "until": date_format(entry.valid_until, "j F Y")})


def request_register_rows(user, cases) -> list[dict]:
    """The register's rows for `cases` (a queryset or a page of one): three queries whatever their number. Labels
    are in the active language."""
    cases = list(cases)
    ids = [c.pk for c in cases]
    forwards: dict[int, list[str]] = {}
    for case_id, data in (CaseEvent.objects.filter(case_id__in=ids, kind=EventKind.FORWARDED)
                          .order_by("at", "id").values_list("case_id", "data")):
        if isinstance(data, dict) and data.get("to_opd"):
            forwards.setdefault(case_id, []).append(str(data["to_opd"]))
    # The written notice's delivery where it waits in the letters to deliver (a requester without e-mail, or one
    # who asked for pickup, post or courier): the first notice issued (a follow-up after a keberatan comes later).
    handovers: dict[int, tuple] = {}
    for case_id, issued_at, delivered_at in (LetterDelivery.objects.filter(case_id__in=ids, letter="notice")
                                             .order_by("issued_at", "id")
                                             .values_list("case_id", "issued_at", "delivered_at")):
        handovers.setdefault(case_id, (issued_at, delivered_at))

    seen = visible_opd_ids(user)
    statuses, decisions, exemptions = _labels(Status.choices), _labels(Decision.choices), _labels(Exemption.choices)
    channels, obtains = _labels(IntakeChannel.choices), _labels(ObtainMethod.choices)
    formats, deliveries = _labels(CopyFormat.choices), _labels(DeliveryMethod.choices)
    rows = []
    for c in cases:
        identity = seen is None or c.opd_id in seen
        to = forwards.get(c.pk, [])
        forwarded = bool(to) or c.forward_count > 0
        issued_delivered = handovers.get(c.pk)
        if issued_delivered is None:
            handover, delivered_on, handover_label = "", None, ""
        elif issued_delivered[1] is None:
            handover, delivered_on, handover_label = "waiting", None, _("Menunggu diserahkan")
        else:
            delivered_on = wita_date(issued_delivered[1])
            handover = "delivered"
            handover_label = _("Diserahkan %(d)s") % {"d": delivered_on.strftime("%d/%m/%Y")}
        obtain = obtains.get(c.obtain_method, c.obtain_method)
        if c.copy_format:
            obtain = f"{obtain} ({formats.get(c.copy_format, c.copy_format)})"
        contact = " / ".join(v for v in (c.phone, c.email) if v)
        answered = c.answered_at is not None
        rows.append({
            "registration_number": c.registration_number,
            "opd": c.opd.code,
            "registered_opd": c.registered_opd.code,
            "received_at": c.received_at,
            "received_on": wita_date(c.received_at),
            "channel": c.channel,
            "channel_label": channels.get(c.channel, c.channel),
            "identity_shown": identity,
            "name": c.name if identity else "",
            "address": c.address if identity else "",
            "phone": c.phone if identity else "",
            "email": c.email if identity else "",
            "contact": contact if identity else "",
            "occupation": c.occupation if identity else "",
            "information_requested": c.information_requested,
            "purpose": c.purpose,
            "obtain_method": c.obtain_method,
            "copy_format": c.copy_format,
            "obtain_label": obtain,
            "status": c.status,
            "status_label": statuses.get(c.status, c.status),
            "decision": c.decision,
            "decision_label": decisions.get(c.decision, c.decision),
            "exemption": c.exemption,
            "exemption_label": exemptions.get(c.exemption, c.exemption) if c.exemption else "",
            "dik_entry": c.dik_entry_id,
            "dik_label": dik_label(c.dik_entry),
            "withheld": c.withheld,
            "notice_date": wita_date(c.answered_at) if answered else None,
            "working_days": c.answer_working_days,
            "extended": c.extended_due_date is not None,
            "extended_due_date": c.extended_due_date,
            "forwarded": forwarded,
            "forwarded_to": to,
            "forwarded_label": (_("Ya, ke %(opd)s") % {"opd": ", ".join(to)}) if to else _yes_no(forwarded),
            "delivery_method": c.delivery_method,
            "delivery_label": deliveries.get(c.delivery_method, c.delivery_method),
            "notice_handover": handover,
            "notice_delivered_on": delivered_on,
            "handover_label": handover_label,
            "cost": c.cost_note,
        })
    return rows


# The register of keberatan -------------------------------------------------------------------------------------


def objection_register_objections(user, filters: RegisterFilters) -> QuerySet:
    """The keberatan of the register, in number order: filed in the year (and month) against the OPD (or the
    reader's OPDs; every OPD for PPID Utama)."""
    qs = Objection.objects.filter(filed_at__gte=filters.start, filed_at__lt=filters.end)
    if filters.opd is not None:
        qs = qs.filter(opd=filters.opd)
    ids = visible_opd_ids(user)
    if ids is not None:
        qs = qs.filter(opd_id__in=ids) if ids else qs.none()
    return qs.select_related("opd", "case", "answered_by").order_by("opd__code", "objection_number", "id")


def objection_register_rows(user, objections) -> list[dict]:
    """The register's rows for `objections` (a queryset or a page of one): two queries whatever their number."""
    objections = list(objections)
    answerers = {o.answered_by_id for o in objections if o.answered_by_id}
    atasan_of = set(Membership.objects.filter(user_id__in=answerers, role=Role.ATASAN)
                    .values_list("user_id", "opd_id"))
    seen = visible_opd_ids(user)
    statuses, grounds = _labels(ObjectionStatus.choices), _labels(ObjectionGround.choices)
    outcomes = _labels(ObjectionOutcome.choices)
    rows = []
    for o in objections:
        c = o.case
        identity = seen is None or c.opd_id in seen
        person = o.answered_by
        position = ""
        if person is not None:
            position = ", ".join(atasan_position_lines(o.opd, on_behalf=(person.pk, o.opd_id) not in atasan_of))
        referred = o.status == ObjectionStatus.REFERRED or o.referred_at is not None
        rows.append({
            "objection_number": o.objection_number,
            "opd": o.opd.code,
            "filed_at": o.filed_at,
            "filed_on": wita_date(o.filed_at),
            "due_date": o.due_date,
            "requester": c.name if identity else "",
            "identity_shown": identity,
            "registration_number": c.registration_number,
            "purpose": c.purpose,
            "ground": o.ground,
            "ground_label": grounds.get(o.ground, o.ground),
            "status": o.status,
            "status_label": statuses.get(o.status, o.status),
            "outcome": o.outcome,
            "outcome_label": outcomes.get(o.outcome, "") if o.outcome else "",
            "answered_on": wita_date(o.answered_at) if o.answered_at else None,
            "atasan_name": (person.get_full_name() or person.username) if person is not None else "",
            "atasan_position": position,
            "disputed": referred,
            "referred_on": wita_date(o.referred_at) if o.referred_at else None,
            "dispute_label": (_("Ya, %(d)s") % {"d": wita_date(o.referred_at).strftime("%d/%m/%Y")}
                              if o.referred_at else _yes_no(referred)),
        })
    return rows


# One register, whichever kind ---------------------------------------------------------------------------------


def register_queryset(user, kind: str, filters: RegisterFilters) -> QuerySet:
    if kind == OBJECTIONS:
        return objection_register_objections(user, filters)
    return request_register_cases(user, filters)


def register_rows(user, kind: str, records) -> list[dict]:
    """The rows of `records` (the register_queryset, or a page of it) for the register of `kind`."""
    if kind == OBJECTIONS:
        return objection_register_rows(user, records)
    return request_register_rows(user, records)


def register_cells(row: dict, columns=REQUEST_COLUMNS) -> list:
    """A row's values in the columns' order, as they are: dates, numbers, yes/no, text (the exports format them)."""
    return [_yes_no(v) if isinstance(v := row.get(col.key), bool) else v for col in columns]
