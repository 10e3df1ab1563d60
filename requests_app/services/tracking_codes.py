"""A new tracking code for a requester who lost theirs ("Lupa kode?").

The requester proves who they are with the registration number and the e-mail or phone number written on the
request. The new code replaces the stored hash (the old code stops working, and so does every session it opened:
`permissions.tracked_entry`), and goes to the e-mail on record through the outbox, like the receipt: the row keeps
the e-mail without the code, the code travels to the first send attempt only (services/notify.py). With no e-mail
on record there is no channel to send it (no SMS yet): the code is left as it is and the requester is told, on the
page, to see the OPD's PPID with an identity document.

The caller answers the same words whatever the outcome, so a page never tells whether a number exists or a
contact matches.
"""

import datetime as dt
import hmac
import re
from enum import Enum

from django.db import transaction

from ppid_portal.clock import now
from requests_app.event_notes import system_note
from requests_app.models import Case, EventKind
from requests_app.services.events import event_record
from requests_app.services.notify import notification_queue
from requests_app.tracking import hash_tracking_code, new_tracking_code

# At most this many new codes per case a day, whoever asks: each one is an e-mail to the requester.
REISSUES_PER_DAY = 3
EMAIL_KIND = "tracking_code_reissued"


class Reissue(Enum):
    SENT = "sent"  # a new code was made and queued to the e-mail on record
    NO_EMAIL = "no_email"  # the contact matched but only a phone is on record: nothing changed
    NO_MATCH = "no_match"  # no such case, or the contact is not the one on record
    LIMITED = "limited"  # the case had REISSUES_PER_DAY new codes in the last day


def _phone_digits(value: str) -> str:
    """A phone number as digits, the Indonesian country code written as the leading 0 (+62 812… = 0812…)."""
    digits = re.sub(r"\D", "", value or "")
    return "0" + digits[2:] if digits.startswith("62") else digits


def contact_matches(case: Case, contact: str) -> bool:
    """True when `contact` is the case's e-mail (any case) or its phone number (any spacing, +62 or 0)."""
    contact = (contact or "").strip()
    if not contact:
        return False
    if "@" in contact:
        return bool(case.email) and hmac.compare_digest(contact.lower().encode(), case.email.strip().lower().encode())
    digits = _phone_digits(contact)
    return len(digits) >= 7 and hmac.compare_digest(digits.encode(), _phone_digits(case.phone).encode())


def tracking_code_reissue(*, registration_number: str, contact: str) -> Reissue:
    """Make and send a new tracking code when `contact` is the one on record for the case; see the module's
    docstring. The case row is locked, so two requests at once make one code after the other, never a code that
    another overwrote before it was sent."""
    number = (registration_number or "").strip().upper()
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(registration_number=number).first()
        if case is None or not contact_matches(case, contact):
            return Reissue.NO_MATCH
        recent = case.events.filter(kind=EventKind.TRACKING_CODE_REQUEST, data__issued=True,
                                    at__gte=now() - dt.timedelta(days=1)).count()
        if recent >= REISSUES_PER_DAY:
            return Reissue.LIMITED
        if not case.email:
            note, note_data = system_note("tracking_code_not_sent")
            event_record(case=case, kind=EventKind.TRACKING_CODE_REQUEST, public=False, note=note,
                         data={**note_data, "issued": False})
            return Reissue.NO_EMAIL
        code = new_tracking_code()
        case.tracking_code_hash = hash_tracking_code(code)
        case.updated_at = now()
        case.save(update_fields=["tracking_code_hash", "updated_at"])
        note, note_data = system_note("tracking_code_reissued")
        event = event_record(case=case, kind=EventKind.TRACKING_CODE_REQUEST, public=False, note=note,
                             data={**note_data, "issued": True, "channel": "email"})
        notification_queue(
            dedupe_key=f"{EMAIL_KIND}:{case.pk}:{event.pk}", kind=EMAIL_KIND, template=EMAIL_KIND,
            context={"case": case}, recipient_email=case.email, case=case, language=case.language,
            tracking_code=code,
        )
        return Reissue.SENT
