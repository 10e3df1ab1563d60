"""Requester and officer write to each other on a case: a clarification, a question, a note on the material.

A message is a public event on the case's timeline (EventKind.MESSAGE: the requester sees it on the tracking page
and in the track API) and a notice to the other side through the outbox. It is not a transition: it changes no
status and no due date, and the statutory clock does not stop for it (the written notice is still owed within the
days counted from receipt, whatever was asked in between). The states that take messages are
`rules.MESSAGE_STATUSES`; the text's rules are `message_errors`, asked by the API, the pages and the services alike.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from opd_app.permissions import can_act_on
from ppid_portal.errors import IllegalTransition, MissingField, NotPermitted
from requests_app import rules
from requests_app.models import Case, CaseEvent, EventKind
from requests_app.permissions import case_officers
from requests_app.services.events import event_record
from requests_app.services.notices import Notice
from requests_app.services.notify import notifications_queue, requester_notice

# A message is a few paragraphs; longer material goes as an attachment of the answer, or a new request.
MESSAGE_MAX_LENGTH = 2000
# Who wrote a message (`CaseEvent.data["author"]`).
REQUESTER, OFFICER = "requester", "officer"


def message_text(raw: str) -> str:
    """The text as it is kept: line breaks as one character each (a browser's textarea sends CRLF, and its
    maxlength counts a line break as one), no blank lines around it."""
    return (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def message_errors(raw: str, field: str = "text") -> dict[str, list[str]]:
    """What is wrong with a message's text, under `field` (the requester's form and API say `text`, the officer's
    action `note`): empty, or longer than MESSAGE_MAX_LENGTH characters. The one place these rules live."""
    text = message_text(raw)
    if not text:
        return {field: [_("Tulis pesannya.")]}
    if len(text) > MESSAGE_MAX_LENGTH:
        return {field: [_("Pesan paling panjang %(max)d karakter (sekarang %(n)d).")
                        % {"max": MESSAGE_MAX_LENGTH, "n": len(text)}]}
    return {}


def message_refusal(case: Case) -> str | None:
    """Why nobody may write on `case` now, or None: a withdrawn request (nobody is left to answer), or a case
    recorded from an earlier register (no tracking code, no address: the requester is not on the portal)."""
    if case.imported:
        return _("Permohonan ini dicatat dari register sebelumnya; pemohon tidak dapat dihubungi lewat portal.")
    if case.status not in rules.MESSAGE_STATUSES:
        return _("Permohonan ini telah dicabut; pesan tidak dapat dikirim lagi.")
    return None


def _locked(case: Case) -> Case:
    """The case's row, locked: a withdrawal in flight and a message never pass each other."""
    return Case.objects.select_for_update(of=("self",)).select_related("opd", "assigned_to").get(pk=case.pk)


def _checked(case: Case, raw: str, field: str) -> str:
    refusal = message_refusal(case)
    if refusal is not None:
        raise IllegalTransition(refusal)
    errors = message_errors(raw, field)
    if errors:
        raise MissingField(errors[field][0], field=field)
    return message_text(raw)


@transaction.atomic
def message_from_requester(*, case: Case, text: str) -> CaseEvent:
    """The requester writes to the PPID. The caller has checked the proof of being the requester (the tracking
    code, the session it opened, or the requester's own account); the event has no actor, as every requester's
    act. The assigned officer is told, else the OPD's PPID Pelaksana."""
    case = _locked(case)
    text = _checked(case, text, "text")
    event = event_record(case=case, kind=EventKind.MESSAGE, from_status=case.status, note=text,
                         data={"author": REQUESTER})
    notifications_queue(
        Notice(dedupe_key=f"message:{event.pk}:{officer.pk}", kind="message_new", template="message_new",
               context={"case": case, "text": text, "officer": officer}, recipient_user=officer, case=case)
        for officer in case_officers(case)
    )
    return event


@transaction.atomic
def message_from_officer(*, case: Case, actor, text: str) -> CaseEvent:
    """An officer of the case's OPD (or PPID Utama) writes to the requester: the case page's and the API's
    action `message` with its `note`. The requester is told (requester_message_notice)."""
    case = _locked(case)
    if actor is None or not can_act_on(actor, case):
        raise NotPermitted(_("Anda tidak berwenang atas permohonan ini."))
    text = _checked(case, text, "note")
    event = event_record(case=case, kind=EventKind.MESSAGE, actor=actor, from_status=case.status, note=text,
                         data={"author": OFFICER})
    requester_message_notice(case, event)
    return event


def requester_message_notice(case: Case, event: CaseEvent) -> None:
    """The requester's notice of an officer's message, as every notice to the requester goes (requester_notice):
    by e-mail when the case has an address and a text message to a mobile number, in the requester's language,
    linking to the tracking page (never with the code). The one place it is queued."""
    requester_notice(
        case=case, kind="requester_message", template="requester_message", context={"case": case, "text": event.note},
        dedupe_key=f"message:{event.pk}",
    )
