"""Letters handed over to the requester: an officer of the issuing OPD records when, how and to whom a letter
waiting in the list of letters to deliver (services.requester_notices) was handed over; the portal keeps the receipt
of delivery (tanda bukti penyerahan) as a PDF and writes the case's `letter_delivered` event."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from ppid_portal.clock import WITA, now
from ppid_portal.errors import IllegalTransition, MissingField, NotPermitted
from ppid_portal.files import atomic_with_files
from requests_app.event_notes import system_note
from requests_app.models import EventKind, HandoverMethod, LetterDelivery
from requests_app.models.delivery import HANDOVER_NOTE_MAX_LENGTH, LETTER_CHOICES, RECIPIENT_NAME_MAX_LENGTH
from requests_app.permissions import can_hand_over
from requests_app.services.events import event_record

HANDOVER_FIELDS = ("delivered_at", "method", "recipient_name", "note")


def handover_errors(delivery: LetterDelivery, *, delivered_at: dt.datetime | None, method: str,
                    recipient_name: str, note: str = "") -> dict[str, list[str]]:
    """Every rule of a handover record, field by field (the page shows each beside its field; the service raises
    the first): a time neither in the future nor before the letter was issued, a known way, the recipient's name,
    and the length limits."""
    errors: dict[str, list[str]] = {}
    if delivered_at is None:
        errors["delivered_at"] = [_("Isi tanggal dan jam penyerahan.")]
    elif delivered_at > now():
        errors["delivered_at"] = [_("Waktu penyerahan tidak boleh di masa depan.")]
    # The forms take the time to the minute: a letter handed over in the minute it was issued is not "before" it.
    elif delivered_at < delivery.issued_at.replace(second=0, microsecond=0):
        errors["delivered_at"] = [_("Waktu penyerahan tidak boleh sebelum surat terbit (%(at)s WITA).")
                                  % {"at": delivery.issued_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")}]
    if method not in HandoverMethod.values:
        errors["method"] = [_("Pilih cara penyerahan.")]
    name = (recipient_name or "").strip()
    if not name:
        errors["recipient_name"] = [_("Tulis nama orang yang menerima surat.")]
    elif len(name) > RECIPIENT_NAME_MAX_LENGTH:
        errors["recipient_name"] = [_("Nama penerima paling banyak %(n)d karakter.") % {"n": RECIPIENT_NAME_MAX_LENGTH}]
    if len((note or "").strip()) > HANDOVER_NOTE_MAX_LENGTH:
        errors["note"] = [_("Catatan paling banyak %(n)d karakter.") % {"n": HANDOVER_NOTE_MAX_LENGTH}]
    return errors


def letter_handover(*, delivery: LetterDelivery, actor, delivered_at: dt.datetime | None, method: str,
                    recipient_name: str, note: str = "") -> LetterDelivery:
    """Record that the letter was handed over (once): the record, its receipt of delivery as a PDF kept with it, and
    the case's public `letter_delivered` event, in one transaction (a failure keeps no file). Raises NotPermitted for
    someone who is no officer of the issuing OPD (nor PPID Utama), IllegalTransition when it was recorded already,
    MissingField for the first broken rule (handover_errors)."""
    with atomic_with_files() as stored:
        locked = (LetterDelivery.objects.select_for_update(of=("self",))
                  .select_related("case", "case__opd", "opd", "objection", "attachment").get(pk=delivery.pk))
        if actor is None or not can_hand_over(actor, locked):
            raise NotPermitted(_("Hanya petugas OPD yang menerbitkan surat ini yang dapat mencatat penyerahannya."))
        if locked.delivered_at is not None:
            raise IllegalTransition(_("Penyerahan surat ini sudah dicatat pada %(at)s WITA.")
                                    % {"at": locked.delivered_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")})
        errors = handover_errors(locked, delivered_at=delivered_at, method=method, recipient_name=recipient_name,
                                 note=note)
        if errors:
            field, messages = next(iter(errors.items()))
            raise MissingField(messages[0], field=field)
        locked.delivered_at = delivered_at
        locked.method = method
        locked.recipient_name = recipient_name.strip()
        locked.note = (note or "").strip()
        locked.delivered_by = actor
        from requests_app import letters

        issued, pdf = letters.issue_delivery_receipt(locked)
        stored.append(issued.file.name)
        locked.receipt_file.save("delivery.pdf", ContentFile(pdf), save=False)
        stored.append(locked.receipt_file.name)
        locked.save(update_fields=["delivered_at", "method", "recipient_name", "note", "delivered_by",
                                   "receipt_file"])
        case = locked.case
        with translation.override("id"):
            letter = str(dict(LETTER_CHOICES)[locked.letter])
        text, data = system_note("letter_delivered", letter=letter,
                                 when=delivered_at.astimezone(WITA).strftime("%d-%m-%Y"))
        event_record(case=case, kind=EventKind.LETTER_DELIVERED, actor=actor, from_status=case.status, note=text,
                     data={**data, "delivery": locked.pk, "letter": locked.letter, "method": method})
    return locked
