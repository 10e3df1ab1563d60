"""Desk intake: an officer records a request received at the desk, by letter, phone, e-mail or fax for its
requester, and hands over (or posts) the receipt, the new tracking code on it shown once."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opd_app.decorators import staff_required
from ppid_portal.errors import DomainError
from requests_app import letters
from requests_app.forms import DeskRequestForm
from requests_app.permissions import case_for_officer_or_404, intake_opd_or_404, intake_opds_for
from requests_app.services.intake import request_record
from requests_app.tracking import display
from requests_app.views.new_code import new_code_carried, new_code_carry, new_code_shown, receipt_code_carried


def _desk_pages_path(registration_number: str) -> str:
    """/petugas/permohonan/<number>/: the receipt page and its PDF both lie under it (the new code's cookie path)."""
    return reverse("desk-receipt", args=[registration_number]).rsplit("/", 2)[0] + "/"


@staff_required
@require_http_methods(["GET", "POST"])
def desk_intake(request):
    """The request form for the officer: the requester's answers, the OPD among the officer's own (all for PPID
    Utama), how and when it came in. Another OPD's code in a POST is 404, as for any object of another OPD."""
    opds = intake_opds_for(request.user).order_by("name")
    if request.method == "POST" and request.POST.get("opd", "").strip():
        intake_opd_or_404(request.user, request.POST["opd"])
    form = DeskRequestForm(request.POST or None, request.FILES or None, opds=opds,
                           initial={"opd": opds[0].code} if len(opds) == 1 else {})
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                submission = request_record(
                    opd=data.pop("opd"), data=data, recorded_by=request.user, channel=data.pop("channel"),
                    received_at=data.pop("received_at"), received_note=data.pop("received_note"),
                    identity_document=data.pop("identity_document"),
                    authority_document=data.pop("authority_document"))
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                number = submission.case.registration_number
                response = redirect("desk-receipt", registration_number=number)
                new_code_carry(response, number, submission.tracking_code, path=_desk_pages_path(number))
                return response
        messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "requests_app/desk_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def desk_receipt(request, registration_number):
    """The receipt to print and hand over (or post), with the tracking code shown once: a reload, or coming back
    later, shows it no more (the receipt's PDF downloaded in the next minutes still prints it)."""
    case = case_for_officer_or_404(request.user, registration_number)
    code = new_code_carried(request, registration_number)
    shown = display(code) if code else ""
    response = render(request, "requests_app/desk_receipt.html", {
        "case": case, "tracking_code": shown,
        "letter": letters.letter_html("receipt", case, draft=False, tracking_code=shown)})
    response["Cache-Control"] = "no-store"
    if code:
        new_code_shown(request, response, path=_desk_pages_path(registration_number),
                       receipt_path=reverse("desk-receipt-pdf", args=[registration_number]))
    return response


@staff_required
def desk_receipt_pdf(request, registration_number):
    """The receipt letter (tanda bukti penerimaan) as PDF, with the new code while the browser still carries it."""
    case = case_for_officer_or_404(request.user, registration_number)
    code = receipt_code_carried(request, registration_number)
    pdf = letters.receipt_copy_pdf(case, tracking_code=display(code) if code else "")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letters.letter_filename("receipt", case)}"'
    response["Cache-Control"] = "no-store"
    return response
