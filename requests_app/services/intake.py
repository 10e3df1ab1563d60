"""Request intake: register, number, clock, receipt, route to the OPD's queue.

One registration path for every channel (UU 14/2008 Pasal 22(1)-(4): a request, written or not, is recorded and
numbered when received): the requester's own submission on the web form or the public API (`request_submit`), and
a request received at the desk, by letter, phone, e-mail or fax that an officer records for the requester
(`request_record`). Both end in `request_register`."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from opd_app.models import OPD
from opd_app.permissions import can_record_request, officers_of
from ppid_portal.clock import now, wita_date
from ppid_portal.errors import MissingField, NotPermitted
from ppid_portal.files import atomic_with_files
from requests_app import rules, workdays
from requests_app.event_notes import system_note
from requests_app.models import Case, EventKind, RegistrationCounter, Status
from requests_app.models.case import DESK_CHANNELS, IntakeChannel
from requests_app.services.events import event_record
from requests_app.services.notices import Notice
from requests_app.services.notify import notifications_queue
from requests_app.services.numbering import sequence_next
from requests_app.services.requester_notices import requester_notices
from requests_app.tracking import hash_tracking_code, new_tracking_code
from requests_app.validation import (
    authority_document_missing_message,
    authority_document_required,
    received_errors,
    validate_authority_document,
    validate_identity_document,
)

REQUEST_FIELDS = (
    "name", "identity_number", "address", "phone", "email", "occupation", "requester_type",
    "information_requested", "purpose", "obtain_method", "copy_format", "delivery_method", "publish_consent",
    "on_behalf_of",
)


@dataclass(frozen=True)
class Submission:
    case: Case
    tracking_code: str


@dataclass(frozen=True)
class _Intake:
    """How the request came in: the channel, when it was received (None: now), and for a request recorded at the
    desk the officer who recorded it and their note on the receipt."""

    channel: str = IntakeChannel.WEB
    received_at: dt.datetime | None = None
    received_note: str = ""
    recorded_by: object = None


def _next_sequence(opd: OPD, year: int) -> int:
    """The OPD's next registration sequence for the year (gap-free; see services.numbering)."""
    return sequence_next(counter_model=RegistrationCounter, opd=opd, year=year)


def format_registration_number(opd_code: str, year: int, sequence: int) -> str:
    return f"{opd_code}-{year}-{sequence:05d}"


def identity_document_type(upload) -> str:
    """The identity scan's MIME type, as its content shows (PDF/JPEG/PNG, within the size limit); MissingField
    (a 400) otherwise. The form and the API check this before; the service does not trust its callers."""
    try:
        return validate_identity_document(upload)
    except ValidationError as exc:
        raise MissingField(exc.messages[0], field="identity_document") from exc


def authority_document_type(upload) -> str:
    """The authority document's MIME type as its content shows; MissingField (a 400) otherwise."""
    try:
        return validate_authority_document(upload)
    except ValidationError as exc:
        raise MissingField(exc.messages[0], field="authority_document") from exc


def request_submit(*, opd: OPD, data: dict, identity_document, authority_document=None, requester_user=None,
                   language: str = "id") -> Submission:
    """Register a validated request the requester files on the web form or the public API, received now. Returns
    the case and the tracking code (shown once, never stored). The identity scan is required."""
    return request_register(opd=opd, data=data, identity_document=identity_document,
                            authority_document=authority_document, requester_user=requester_user, language=language)


def request_record(*, opd: OPD, data: dict, recorded_by, channel: str = IntakeChannel.DESK,
                   received_at: dt.datetime | None = None, received_note: str = "", identity_document=None,
                   authority_document=None, language: str = "id") -> Submission:
    """Register a validated request received at the desk, by letter, phone, e-mail or fax, which an officer of the
    OPD (or PPID Utama) records for the requester.

    The case is the requester's, never the officer's account's (no requester_user); its SUBMITTED event names the
    officer as actor and the channel. The clock runs from `received_at` (default now; never in the future, at most
    validation.RECEIVED_BACK_DAYS back, with `received_note` when earlier than now). The identity scan may follow
    later: without it the case shows it is still owed (`identity_owed`)."""
    if not can_record_request(recorded_by, opd.pk):
        raise NotPermitted("Anda tidak dapat mencatat permohonan untuk OPD ini.", field="opd")
    if channel not in dict(DESK_CHANNELS):
        raise MissingField("Pilih saluran penerimaan permohonan.", field="channel")
    received_note = (received_note or "").strip()
    for field, messages in received_errors(received_at, received_note, now()).items():
        raise MissingField(messages[0], field=field)
    intake = _Intake(channel=channel, received_at=received_at, received_note=received_note, recorded_by=recorded_by)
    return request_register(opd=opd, data=data, identity_document=identity_document,
                            authority_document=authority_document, language=language, intake=intake)


def request_register(*, opd: OPD, data: dict, identity_document, authority_document=None, requester_user=None,
                     language: str = "id", intake: _Intake = _Intake()) -> Submission:
    """The one registration path of every channel (request_submit, request_record).

    The papers are stored under generated names with the extension of the type their content shows; if the
    registration does not commit, the stored files are deleted again."""
    web = intake.channel == IntakeChannel.WEB
    # The requester's own submission brings the identity scan; at the desk it may follow later.
    mime = identity_document_type(identity_document) if (web or identity_document is not None) else ""
    authority_mime = ""
    if authority_document is not None:
        authority_mime = authority_document_type(authority_document)
    elif authority_document_required(data.get("requester_type", ""), data.get("on_behalf_of", "")):
        raise MissingField(authority_document_missing_message(), field="authority_document")
    # Read before the transaction: inside it every statement runs while the OPD's counter is locked and the OPD's
    # other submitters wait (the requester's session and user, the OPD's officers need no lock).
    requester = requester_user if (web and requester_user and requester_user.is_authenticated) else None
    officers = [o for o in officers_of(opd.pk) if o != intake.recorded_by]  # the recorder knows already
    with atomic_with_files() as stored:
        return _register(opd=opd, data=data, identity_document=identity_document, mime=mime,
                         authority_document=authority_document, authority_mime=authority_mime, stored=stored,
                         requester_user=requester, officers=officers, language=language, intake=intake)


def _received_event(case: Case, opd: OPD, intake: _Intake, at: dt.datetime) -> None:
    if intake.channel == IntakeChannel.WEB:
        note, data = system_note("received", ppid=opd.ppid_title, opd=opd.name)
    else:
        # The requester's act, recorded by the officer: the public note says how it came in, the actor and the
        # data say who recorded it (the note is public, so it does not name the officer's account).
        note, data = system_note(f"received_{intake.channel}", ppid=opd.ppid_title, opd=opd.name)
        data = {**data, "channel": intake.channel, "recorded_by": intake.recorded_by.get_username(),
                "recorded_at": at.isoformat(), "received_note": intake.received_note}
    event_record(case=case, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED, at=case.received_at, note=note,
                 data=data, actor=intake.recorded_by)


def _register(*, opd: OPD, data: dict, identity_document, mime: str, authority_document, authority_mime: str,
              stored: list[str], requester_user, officers, language: str, intake: _Intake) -> Submission:
    at = now()
    received_at = intake.received_at or at
    received_day = wita_date(received_at)
    # Read before the counter's lock; it also dates the receipt's handover when the receipt waits for one.
    cal = workdays.calendar_ahead(received_day, max(rules.NOTICE_DAYS, settings.PPID_DELIVERY_WORKING_DAYS))
    received_on, due_date = rules.case_clock(cal, received_day)
    year = received_day.year
    sequence = _next_sequence(opd, year)
    code = new_tracking_code()
    case = Case(
        registration_number=format_registration_number(opd.code, year, sequence),
        opd=opd, registered_opd=opd, year=year, sequence=sequence, tracking_code_hash=hash_tracking_code(code),
        status=Status.SUBMITTED, received_at=received_at, received_on=received_on,
        due_date=due_date, effective_due_date=due_date, created_at=at, updated_at=at,
        requester_user=requester_user, channel=intake.channel, received_note=intake.received_note,
        identity_owed=identity_document is None,
        language=language, **{f: data.get(f, "") for f in REQUEST_FIELDS if f != "publish_consent"},
        publish_consent=bool(data.get("publish_consent")),
    )
    if identity_document is not None:
        case.identity_document_type = mime
        # The name comes from identity_upload_to.
        case.identity_document.save("identity", identity_document, save=False)
        stored.append(case.identity_document.name)
    if authority_document is not None:
        case.authority_document_type = authority_mime
        case.authority_document.save("authority", authority_document, save=False)  # authority_upload_to
        stored.append(case.authority_document.name)
    case.save()
    _received_event(case, opd, intake, at)
    # The requester's receipt (e-mail, text message, the letters to deliver: services.requester_notices) and the
    # officers' notices: one INSERT into the outbox, and at commit two broker messages: the receipt's e-mail, the
    # only one with the code (never stored: services/notify.py), and one batch for all the others.
    receipt = requester_notices(
        case=case, kind="receipt", template="receipt", context={"case": case}, dedupe_key=f"receipt:{case.pk}",
        letter="receipt", attachment_ids=["letter:receipt"], tracking_code=code, calendar=cal,
    )
    notifications_queue([
        *receipt,
        *(Notice(dedupe_key=f"new_case:{case.pk}:{officer.pk}", kind="new_case", template="new_case",
                 context={"case": case, "officer": officer}, recipient_user=officer, case=case)
          for officer in officers),
    ])
    return Submission(case=case, tracking_code=code)
