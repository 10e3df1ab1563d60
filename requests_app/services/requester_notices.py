"""How a notice reaches the requester of a case: `requester_notices` decides the ways, and
services.notify.requester_notice (the one function other code calls to tell a requester) writes them:

- an e-mail where the case has an address (with the letter attached, as before);
- the OPD's list of letters to deliver, for a letter the requester is owed when there is no e-mail address or the
  requester asked for delivery by pickup, post or courier (rules.letter_handed_over): the letter waits there
  until an officer records its handover (services.deliveries);
- a short text message where the case has a phone number that can take one: the registration number, what
  happened and a link to the tracking page (never the tracking code, nor anything else about the requester), in
  the requester's language.

The rows are written in the caller's transaction, beside the event that produced the letter: the e-mail and the
text message in one INSERT into the outbox (services.notify), the letter's delivery row in one INSERT that skips a
letter already waiting. Other code that tells the requester something (a message from the officer) calls
`requester_notice` or `notification_queue(..., to_requester=True)`, which come here.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ppid_portal import sms
from ppid_portal.clock import now, wita_date
from ppid_portal.links import absolute_url
from requests_app import rules, workdays
from requests_app.models import LetterDelivery, NotificationChannel
from requests_app.services.notices import Notice
from requests_app.validation import phone_for_text

# What each notice's text message says (the registration number fills %(number)s; %(due)s a due date). A kind not
# listed gets the general sentence.
SMS_TEXTS = {
    "receipt": _("Permohonan informasi %(number)s diterima. Batas waktu jawaban: %(due)s."),
    "answered": _("Pemberitahuan tertulis atas permohonan %(number)s telah terbit."),
    "extended": _("Jangka waktu jawaban permohonan %(number)s diperpanjang sampai %(due)s."),
    "forwarded": _("Permohonan %(number)s diteruskan ke %(opd)s."),
    "objection_filed": _("Keberatan atas permohonan %(number)s diterima. Batas waktu tanggapan: %(due)s."),
    "objection_answered": _("Tanggapan atas keberatan permohonan %(number)s telah terbit."),
    "requester_message": _("Ada pesan baru tentang permohonan %(number)s."),
}
SMS_TEXT_OTHER = _("Ada kabar baru tentang permohonan %(number)s.")
# Added when the letter waits to be handed over instead of (or besides) the e-mail.
SMS_HANDOVER = {
    "pickup": _("Suratnya dapat diambil di kantor PPID."),
    "post": _("Suratnya dikirim lewat pos."),
    "courier": _("Suratnya dikirim lewat kurir."),
}
SMS_LINK = _("Lihat: %(link)s")


def sms_text(*, kind: str, case, objection=None, handed_over: bool = False) -> str:
    """The text message of a notice of `kind` about `case`, in the requester's language: the registration number,
    a due date or the OPD where the notice has one, whether a letter waits to be handed over, and the tracking
    page's address (without the code)."""
    due = case.effective_due_date
    if kind == "objection_filed" and objection is not None:
        due = objection.due_date
    with translation.override(case.language or "id"):
        values = {"number": case.registration_number, "due": due.strftime("%d-%m-%Y") if due else "",
                  "opd": case.opd.name}
        parts = [str(SMS_TEXTS.get(kind, SMS_TEXT_OTHER)) % values]
        if handed_over:
            parts.append(str(SMS_HANDOVER.get(case.delivery_method, SMS_HANDOVER["pickup"])))
        parts.append(str(SMS_LINK) % {"link": absolute_url("track-case", case.registration_number)})
    return "LOBIKU: " + " ".join(parts)


def sms_dedupe_key(dedupe_key: str) -> str:
    """The text message's key beside the e-mail's (both unique in the outbox)."""
    return f"{dedupe_key[:196]}:sms"


def requester_notices(*, case, kind: str, template: str, context: dict, dedupe_key: str, objection=None,
                      letter: str = "", letter_attachment=None, attachment_ids=(), tracking_code: str = "",
                      calendar: workdays.Calendar | None = None) -> list[Notice]:
    """Decide how a notice reaches the requester of `case` (module docstring): return the outbox notices to write
    (the e-mail and the text message) and, for a `letter` (a name of letters.LETTER_TEMPLATES) that is handed over,
    write its row in the OPD's list of letters to deliver (once per letter: `letter_attachment` is the kept copy
    of a numbered letter). `calendar` reaches PPID_DELIVERY_WORKING_DAYS working days past today when the caller
    has read one already (intake: before the registration counter's lock)."""
    notices = []
    language = case.language or "id"
    if case.email:
        notices.append(Notice(dedupe_key=dedupe_key, kind=kind, template=template, context=context,
                              recipient_email=case.email, case=case, objection=objection,
                              attachment_ids=list(attachment_ids), language=language, tracking_code=tracking_code))
    handed_over = bool(letter) and rules.letter_handed_over(email=case.email, delivery_method=case.delivery_method)
    if handed_over:
        letter_delivery_queue(case=case, objection=objection, letter=letter, attachment=letter_attachment,
                              calendar=calendar)
    phone = phone_for_text(case.phone)
    if phone and sms.sms_enabled():
        notices.append(Notice(dedupe_key=sms_dedupe_key(dedupe_key), kind=kind, template="", context={}, case=case,
                              objection=objection, language=language, channel=NotificationChannel.SMS,
                              recipient_phone=phone,
                              text=sms_text(kind=kind, case=case, objection=objection, handed_over=handed_over)))
    return notices


def letter_delivery_queue(*, case, letter: str, objection=None, attachment=None,
                          calendar: workdays.Calendar | None = None) -> None:
    """Put `letter` in its OPD's list of letters to deliver (the OPD that issued it: the objection's, else the
    case's), due PPID_DELIVERY_WORKING_DAYS working days after today (rules.delivery_due_on). One INSERT that
    skips a letter already listed (the same kept copy, or the case's receipt): a notice sent twice lists it once."""
    issued_at = now()
    issued_on = wita_date(issued_at)
    days = settings.PPID_DELIVERY_WORKING_DAYS
    cal = calendar or workdays.calendar_ahead(issued_on, days)
    row = LetterDelivery(case=case, objection=objection, opd_id=(objection or case).opd_id, letter=letter,
                         attachment=attachment, issued_at=issued_at,
                         due_on=rules.delivery_due_on(cal, issued_on, days))
    LetterDelivery.objects.bulk_create([row], ignore_conflicts=True)

