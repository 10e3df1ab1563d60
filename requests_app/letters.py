"""Which template makes which letter, and the context each needs. Rendering is ppid_portal.pdf's job."""

from ppid_portal.clock import WITA
from ppid_portal.pdf import render_pdf
from requests_app import rules, workdays

LETTER_TEMPLATES = {
    "receipt": "letters/receipt.html",
    "notice": "letters/notice.html",
    "extension": "letters/extension.html",
    "objection_receipt": "letters/objection_receipt.html",
    "objection_answer": "letters/objection_answer.html",
}


def letter_context(case, **extra) -> dict:
    ctx = {
        "case": case,
        "opd": case.opd,
        "received_local": case.received_at.astimezone(WITA),
        "events": case.events.filter(public=True),
        **extra,
    }
    if case.answered_at:
        from ppid_portal.clock import wita_date

        # The answer is the objection's grounds: the filing window runs from its date.
        answered_on = wita_date(case.answered_at)
        ctx["objection_deadline"] = rules.objection_filing_deadline(
            workdays.calendar_ahead(answered_on, rules.OBJECTION_FILING_DAYS), answered_on)
    return ctx


def render_letter(name: str, case, *, preview: bool = False, **extra) -> bytes:
    """The letter as PDF. A preview (the officer's review before sending) is marked as a draft on every page and
    is never kept or sent; `case` may then be an unsaved copy carrying the values about to be sent."""
    return render_pdf(LETTER_TEMPLATES[name], letter_context(case, preview=preview, **extra), language="id")


def receipt_pdf(case) -> bytes:
    return render_letter("receipt", case)


def attach_letter(case, name: str, actor=None):
    """Render a letter now and keep it with the case (it is what the requester was sent)."""
    from requests_app.models import CaseAttachment
    from requests_app.services.attachments import letter_attach

    kind = {"notice": CaseAttachment.Kind.NOTICE, "extension": CaseAttachment.Kind.EXTENSION}[name]
    filename = f"{name}-{case.registration_number}.pdf"
    return letter_attach(case=case, kind=kind, filename=filename, pdf=render_letter(name, case), actor=actor)


def render_named(name: str, notification) -> tuple[str, bytes, str]:
    """Letters made at send time for a notification (the receipt is rebuilt from the case's data)."""
    case = notification.case
    return f"{name}-{case.registration_number}.pdf", render_letter(name, case), "application/pdf"
