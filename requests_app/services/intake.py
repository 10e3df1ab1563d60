"""Request intake: register, number, clock, receipt, route to the OPD's queue."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from opd_app.models import OPD
from opd_app.permissions import officers_of
from ppid_portal.clock import now, wita_date
from ppid_portal.errors import MissingField
from ppid_portal.files import atomic_with_files
from requests_app import rules, workdays
from requests_app.event_notes import system_note
from requests_app.models import Case, EventKind, RegistrationCounter, Status
from requests_app.services.events import event_record
from requests_app.services.notices import Notice
from requests_app.services.notify import notifications_queue
from requests_app.services.numbering import sequence_next
from requests_app.services.requester_notices import requester_notices
from requests_app.tracking import hash_tracking_code, new_tracking_code
from requests_app.validation import validate_identity_document

REQUEST_FIELDS = (
    "name", "identity_number", "address", "phone", "email", "occupation", "requester_type",
    "information_requested", "purpose", "obtain_method", "copy_format", "delivery_method", "publish_consent",
)


@dataclass(frozen=True)
class Submission:
    case: Case
    tracking_code: str


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


def request_submit(*, opd: OPD, data: dict, identity_document, requester_user=None,
                   language: str = "id") -> Submission:
    """Register a validated request. Returns the case and the tracking code (shown once, never stored).

    The identity scan is stored under a generated name with the extension of the type its content shows; if
    the registration does not commit, the stored file is deleted again."""
    mime = identity_document_type(identity_document)
    # Read before the transaction: inside it every statement runs while the OPD's counter is locked and the OPD's
    # other submitters wait (the requester's session and user, the OPD's officers need no lock).
    requester = requester_user if (requester_user and requester_user.is_authenticated) else None
    officers = list(officers_of(opd.pk))
    with atomic_with_files() as stored:
        return _register(opd=opd, data=data, identity_document=identity_document, mime=mime, stored=stored,
                         requester_user=requester, officers=officers, language=language)


def _register(*, opd: OPD, data: dict, identity_document, mime: str, stored: list[str], requester_user, officers,
              language: str) -> Submission:
    received_at = now()
    received_day = wita_date(received_at)
    # Read before the counter's lock; it also dates the receipt's handover when the receipt waits for one.
    cal = workdays.calendar_ahead(received_day, max(rules.NOTICE_DAYS, settings.PPID_DELIVERY_WORKING_DAYS))
    received_on, due_date = rules.case_clock(cal, received_day)
    year = wita_date(received_at).year
    sequence = _next_sequence(opd, year)
    code = new_tracking_code()
    case = Case(
        registration_number=format_registration_number(opd.code, year, sequence),
        opd=opd, registered_opd=opd, year=year, sequence=sequence, tracking_code_hash=hash_tracking_code(code),
        status=Status.SUBMITTED, received_at=received_at, received_on=received_on,
        due_date=due_date, effective_due_date=due_date, created_at=received_at, updated_at=received_at,
        requester_user=requester_user,
        language=language, **{f: data.get(f, "") for f in REQUEST_FIELDS if f != "publish_consent"},
        publish_consent=bool(data.get("publish_consent")),
    )
    case.identity_document_type = mime
    case.identity_document.save("identity", identity_document, save=False)  # the name comes from identity_upload_to
    stored.append(case.identity_document.name)
    case.save()
    note, note_data = system_note("received", ppid=opd.ppid_title, opd=opd.name)
    event_record(case=case, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED, at=received_at, note=note,
                 data=note_data)
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
