"""The OPD's letters to deliver: the list, one letter's handover form, the letter to print and the receipt of
delivery (officers of the issuing OPD and PPID Utama; 404 for anyone else)."""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opd_app.decorators import staff_required
from opd_app.models import OPD
from opd_app.permissions import opd_filter_ids_for
from ppid_portal.clock import now, today_wita
from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from requests_app import letters
from requests_app.forms import HandoverForm
from requests_app.models import HandoverMethod, LetterDelivery
from requests_app.permissions import delivery_for_officer_or_404
from requests_app.selectors.deliveries import (
    DELIVERED,
    DELIVERY_STATUSES,
    WAITING,
    delivery_counts_for,
    delivery_list_for,
)
from requests_app.services.deliveries import letter_handover

# How a letter is most likely handed over, from how the requester asked to get it: the form's first choice.
LIKELY_METHOD = {"pickup": HandoverMethod.IN_PERSON, "post": HandoverMethod.POST, "courier": HandoverMethod.COURIER}


def _delivery_or_404(request, pk: int) -> LetterDelivery:
    return delivery_for_officer_or_404(
        request.user, pk,
        LetterDelivery.objects.select_related("case", "case__opd", "objection", "opd", "attachment", "delivered_by"))


@staff_required
def delivery_list(request):
    p = request.GET
    status = p.get("status") if p.get("status") in DELIVERY_STATUSES else WAITING
    today = today_wita()
    opd_ids = opd_filter_ids_for(request.user)
    if opd_ids is None:
        opds = OPD.objects.only("code", "name")
    else:
        opds = OPD.objects.filter(pk__in=opd_ids).only("code", "name") if opd_ids else []
    opd_code = (p.get("opd") or "").strip().upper()[:16] if opds else ""
    page = Paginator(delivery_list_for(request.user, status=status, opd=opd_code, today=today), 50).get_page(
        p.get("page"))
    return render(request, "requests_app/delivery_list.html", {
        "page": page, "rows": [(d, d.is_overdue(today)) for d in page.object_list], "status": status,
        "statuses": ((WAITING, _("Menunggu diserahkan")), (DELIVERED, _("Sudah diserahkan"))),
        "opds": opds, "opd_code": opd_code, "counts": delivery_counts_for(request.user, opd=opd_code, today=today),
        "today": today,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def delivery_detail(request, pk):
    """One letter: what it is, for whom and where to; while it waits, the handover form (when, how, to whom)."""
    delivery = _delivery_or_404(request, pk)
    initial = {"delivered_at": now().replace(second=0, microsecond=0),
               "method": LIKELY_METHOD.get(delivery.case.delivery_method, HandoverMethod.IN_PERSON)}
    form = HandoverForm(request.POST or None, initial=initial, delivery=delivery)
    status = 200
    if request.method == "POST":
        if delivery.is_delivered:
            messages.error(request, _("Penyerahan surat ini sudah dicatat."))
            return redirect("delivery-detail", pk=delivery.pk)
        if form.is_valid():
            try:
                letter_handover(delivery=delivery, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Penyerahan dicatat; tanda bukti penyerahan tersimpan bersama berkas "
                                            "permohonan %(n)s.") % {"n": delivery.case.registration_number})
                return redirect("delivery-detail", pk=delivery.pk)
        status = 400
    return render(request, "requests_app/delivery_detail.html", {
        "delivery": delivery, "case": delivery.case, "form": form, "overdue": delivery.is_overdue(),
        "letter_number": delivery.attachment.letter_number if delivery.attachment_id else "",
    }, status=status)


@staff_required
def delivery_letter(request, pk):
    """The letter to print and hand over: the same letter as e-mailed (its kept copy, or the receipt rebuilt from
    the case), shown in the browser."""
    delivery = _delivery_or_404(request, pk)
    filename, pdf = letters.delivery_letter_pdf(delivery)
    return stored_file_response(io.BytesIO(pdf), filename=filename, content_type="application/pdf", inline=True)


@staff_required
def delivery_receipt(request, pk):
    """The receipt of delivery (tanda bukti penyerahan) kept when the handover was recorded."""
    delivery = _delivery_or_404(request, pk)
    if not delivery.receipt_file:
        raise Http404
    return stored_file_response(delivery.receipt_file.open("rb"), filename=letters.delivery_receipt_filename(delivery),
                                content_type="application/pdf")
