"""Which template makes which letter, the context each needs, its file name, and who signs it. Rendering is
ppid_portal.pdf's job; the letter number (nomor surat) comes from services.letter_numbers when a letter is kept."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from opd_app.models import Role
from opd_app.permissions import opd_ids_for
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

# The file name a letter carries as an attachment and in e-mails, before "-<case or objection number>.pdf":
# the requester reads these, so they are Indonesian words, not the internal codes.
LETTER_FILE_NAMES = {
    "receipt": "tanda-bukti",
    "notice": "pemberitahuan-tertulis",
    "extension": "perpanjangan-jangka-waktu",
    "objection_receipt": "tanda-terima-keberatan",
    "objection_answer": "tanggapan-keberatan",
}

# What a numbered letter is kept as. The receipt (tanda bukti) is rebuilt from the case and has no number.
NUMBERED_LETTERS = {
    "notice": "notice",
    "extension": "extension",
    "objection_receipt": "objection_receipt",
    "objection_answer": "objection_answer",
}

# Shown instead of the number on a preview: a number belongs to a letter that was sent.
PREVIEW_NUMBER = "(diberikan saat dikirim)"


def letter_filename(name: str, case, objection=None) -> str:
    # An objection's letters carry its number: the objection page finds its letters by it.
    number = objection.objection_number if objection is not None else case.registration_number
    return f"{LETTER_FILE_NAMES[name]}-{number}.pdf"


def atasan_position_lines(opd, *, on_behalf: bool) -> list[str]:
    """The position under which a keberatan is answered: the OPD's head as its Atasan PPID, or, when someone who is
    not the OPD's Atasan PPID answered (PPID Utama, when the OPD has none), on the Atasan's behalf (atas nama).
    The answer letter signs with it and the register of objections names it."""
    if on_behalf:
        return [f"a.n. Atasan PPID {opd.name}", "PPID Utama"]
    if opd.head_title:
        return [opd.head_title, "selaku Atasan PPID"]
    return ["Atasan PPID", opd.name]


def signatory(name: str, case, objection=None) -> dict:
    """Who signs: the OPD's PPID (its configured official, or the PPID title and OPD name as before), or for
    the answer to a keberatan the Atasan PPID, who is the OPD's head, named by the officer who answered."""
    opd = objection.opd if objection is not None else case.opd
    if name == "objection_answer":
        person = objection.answered_by if objection is not None else None
        on_behalf = person is not None and opd.pk not in opd_ids_for(person, Role.ATASAN)
        return {"lines": atasan_position_lines(opd, on_behalf=on_behalf),
                "name": person.get_full_name() if person else "", "nip": ""}
    nip = opd.signatory_nip if opd.signatory_name else ""
    return {"lines": opd.signature_lines(), "name": opd.signatory_name, "nip": nip}


def sign_date(name: str, case, objection=None):
    """The letter's date under which it is signed: the day it was sent (today for a preview)."""
    from ppid_portal.clock import now

    if name == "objection_receipt" and objection is not None:
        return objection.filed_at
    if name == "objection_answer" and objection is not None:
        return objection.answered_at or now()
    if name == "notice":
        return case.answered_at or now()
    if name == "extension" and case.pk:
        extended = case.events.filter(kind="extended").order_by("-at").first()
        if extended:
            return extended.at
    if name == "receipt":
        return case.received_at
    return now()


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


def _letter_ctx(name: str, case, *, preview: bool, letter_number: str, **extra) -> dict:
    if name in NUMBERED_LETTERS and preview:
        letter_number = PREVIEW_NUMBER
    objection = extra.get("objection")
    return letter_context(case, preview=preview, letter_number=letter_number,
                          signatory=signatory(name, case, objection), sign_date=sign_date(name, case, objection),
                          **extra)


def render_letter(name: str, case, *, preview: bool = False, letter_number: str = "", archive=None,
                  **extra) -> bytes:
    """The letter as PDF. A preview (the officer's review before sending) is marked as a draft on every page,
    carries no number and is never kept or sent; `case` may then be an unsaved copy carrying the values about to
    be sent. `letter_number` is the kept letter's nomor surat (blank: no number line). `archive` (given when the
    letter is issued) puts its archival description and verification link into it."""
    ctx = _letter_ctx(name, case, preview=preview, letter_number=letter_number, **extra)
    return render_pdf(LETTER_TEMPLATES[name], ctx, language="id", archive=archive)


def issue_letter(name: str, case, *, letter_number: str = "", keep: bool = True, **extra):
    """Render a letter as issued (PDF/A with its metadata and verification link) and record it: (IssuedLetter,
    PDF bytes). An objection's letters are known by the objection's number."""
    from requests_app.services.issued_letters import letter_issue

    objection = extra.get("objection")
    reference = objection.objection_number if objection is not None else case.registration_number
    return letter_issue(
        kind=name, reference=reference, opd=objection.opd if objection is not None else case.opd,
        date=sign_date(name, case, objection), case=case, objection=objection,
        filename=letter_filename(name, case, objection), keep=keep,
        render=lambda meta: render_letter(name, case, letter_number=letter_number, archive=meta, **extra))


def receipt_issued(case):
    """The receipt (tanda bukti) as issued: kept the first time it is issued (sent, printed or downloaded) and
    served from then on exactly as it was, so its hash and verification link hold. Never carries the tracking code."""
    from requests_app.models import Case, IssuedLetter

    with transaction.atomic():
        # One receipt per case even when the e-mail and a download ask for it at the same moment.
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
        kept = (IssuedLetter.objects.filter(case=case, kind="receipt").exclude(file="")
                .order_by("issued_at", "token").first())
        if kept is not None:
            from requests_app.services.issued_letters import issued_letter_pdf

            return kept, issued_letter_pdf(kept)
        return issue_letter("receipt", case)


def receipt_copy_pdf(case, *, tracking_code: str = "") -> bytes:
    """The receipt to hand over or download: the kept one, or, while the new tracking code may still be printed
    on it, a copy with the code, recorded by its hash only (the code is never stored) under its own link."""
    if tracking_code:
        return issue_letter("receipt", case, keep=False, tracking_code=tracking_code)[1]
    return receipt_issued(case)[1]


def letter_html(name: str, case, *, draft: bool = True, **extra) -> str:
    """The letter's text as a part of a page, set in the page instead of on A4, from the same template and context
    as the PDF: the draft for the officer's review before sending (as render_letter with preview=True), or with
    draft=False a letter as issued, to print from the page (the receipt handed over at the desk). The letter is
    Indonesian whatever the page's language, as the PDF is."""
    ctx = _letter_ctx(name, case, preview=draft, letter_number="", **extra)
    base = "letters/base_review.html" if draft else "letters/base_sheet.html"
    with translation.override("id"):
        html = render_to_string(LETTER_TEMPLATES[name], {
            "regency": settings.PPID_REGENCY_NAME, **ctx, "letter_base": base})
    return mark_safe(html)  # noqa: S308 - rendered from our template with autoescaping


def receipt_pdf(case) -> bytes:
    return receipt_issued(case)[1]


@transaction.atomic
def attach_letter(case, name: str, actor=None, *, objection=None):
    """Number a letter, render it and keep it with the case (it is what the requester was sent). The number is
    taken in this transaction, so a sending that fails gives it back."""
    from requests_app.services.attachments import letter_attach
    from requests_app.services.letter_numbers import letter_number_next

    extra = {"objection": objection} if objection is not None else {}
    number = letter_number_next(objection.opd if objection is not None else case.opd)
    _record, pdf = issue_letter(name, case, letter_number=number, **extra)
    return letter_attach(case=case, kind=NUMBERED_LETTERS[name], filename=letter_filename(name, case, objection),
                         pdf=pdf, actor=actor, letter_number=number)


def _kept_number(name: str, case, objection) -> str:
    """The number of the letter already kept for this case (or objection): a letter made again at send time is
    the same letter, never a new number."""
    letters = case.attachments.filter(kind=NUMBERED_LETTERS[name]).exclude(letter_number="")
    if objection is not None:
        letters = letters.filter(filename__contains=objection.objection_number)
    kept = letters.order_by("-created_at", "-id").first()
    return kept.letter_number if kept else ""


def render_named(name: str, notification) -> tuple[str, bytes, str]:
    """Letters made at send time for a notification (the receipt is rebuilt from the case's data; a numbered
    letter keeps the number it was sent with)."""
    case = notification.case
    objection = notification.objection if name.startswith("objection_") else None
    if name == "receipt":
        return letter_filename(name, case), receipt_issued(case)[1], "application/pdf"
    issued = case.issued_letters.filter(kind=name, objection=objection).exclude(file="").order_by("-issued_at").first()
    if issued is not None:
        # The letter exactly as issued: the bytes whose hash its verification page shows.
        from requests_app.services.issued_letters import issued_letter_pdf

        return letter_filename(name, case, objection), issued_letter_pdf(issued), "application/pdf"
    extra = {"objection": objection} if objection is not None else {}
    if name in NUMBERED_LETTERS:
        extra["letter_number"] = _kept_number(name, case, objection)
    return letter_filename(name, case, objection), render_letter(name, case, **extra), "application/pdf"


# ------------------------------------------------------------------------------------------ letters handed over


def delivery_letter_pdf(delivery) -> tuple[str, bytes]:
    """(file name, PDF) of a letter waiting in the list of letters to deliver, to print and hand over: the kept copy
    exactly as issued and e-mailed (numbered letters), or the receipt rebuilt from the case as its e-mail is."""
    if delivery.attachment_id is not None:
        attachment = delivery.attachment
        with attachment.file.open("rb") as fh:
            return attachment.filename, fh.read()
    objection = delivery.objection if delivery.letter.startswith("objection_") else None
    if delivery.letter == "receipt":
        return letter_filename("receipt", delivery.case), receipt_issued(delivery.case)[1]
    extra = {"objection": objection} if objection is not None else {}
    return (letter_filename(delivery.letter, delivery.case, objection),
            render_letter(delivery.letter, delivery.case, **extra))


def delivery_receipt_filename(delivery) -> str:
    number = (delivery.objection.objection_number if delivery.objection_id and
              delivery.letter.startswith("objection_") else delivery.case.registration_number)
    return f"tanda-bukti-penyerahan-{LETTER_FILE_NAMES[delivery.letter]}-{number}.pdf"


def issue_delivery_receipt(delivery):
    """The receipt of delivery as issued: (IssuedLetter, PDF), kept with its verification link."""
    from requests_app.services.issued_letters import letter_issue

    objection = delivery.objection if delivery.letter.startswith("objection_") else None
    reference = objection.objection_number if objection is not None else delivery.case.registration_number
    return letter_issue(kind="delivery_receipt", reference=reference, opd=delivery.opd, date=delivery.delivered_at,
                        case=delivery.case, objection=objection, filename=delivery_receipt_filename(delivery),
                        render=lambda meta: render_delivery_receipt(delivery, archive=meta))


def render_delivery_receipt(delivery, *, archive=None) -> bytes:
    """The receipt of delivery (tanda bukti penyerahan) of a letter handed over: which letter (its number), of which
    request, handed over when, how and to whom, by whom; on the issuing OPD's letterhead, signed by both sides."""
    from ppid_portal.clock import WITA

    case = delivery.case
    letter_number = delivery.attachment.letter_number if delivery.attachment_id else ""
    return render_pdf("letters/delivery_receipt.html", {
        "delivery": delivery, "case": case, "opd": delivery.opd, "letter_number": letter_number,
        "objection": delivery.objection if delivery.letter.startswith("objection_") else None,
        "delivered_local": delivery.delivered_at.astimezone(WITA),
        "issued_local": delivery.issued_at.astimezone(WITA),
        "officer_name": (delivery.delivered_by.get_full_name() or delivery.delivered_by.username)
        if delivery.delivered_by else "",
    }, language="id", archive=archive)
