"""The list of exempted information (DIK): the public list (every OPD, or one), and the officers' pages to read,
add and revise entries (adding and revising: the OPD's Atasan PPID and PPID Utama)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opd_app.decorators import staff_required
from opd_app.models import OPD
from opd_app.permissions import can_decide_any_dik, can_decide_dik
from ppid_portal.clock import today_wita
from ppid_portal.errors import DomainError
from requests_app.forms import DikEntryForm
from requests_app.models.dik import DIK_REVISED_FIELDS
from requests_app.permissions import dik_entry_for_staff_or_404, dik_opd_or_404, dik_opds_for
from requests_app.selectors.dik import ALL, DIK_VALIDITY, EXPIRED, VALID, dik_public_list, dik_staff_list
from requests_app.services.dik import dik_create, dik_revise

PAGE_SIZE = 50


def _validity_choices():
    return ((VALID, _("Berlaku")), (EXPIRED, _("Sudah tidak berlaku")), (ALL, _("Semua")))


def _list_context(request, rows_for):
    p = request.GET
    today = today_wita()
    validity = p.get("validity") if p.get("validity") in DIK_VALIDITY else VALID
    opd_code = (p.get("opd") or "").strip().upper()[:16]
    page = Paginator(rows_for(opd=opd_code, validity=validity, today=today), PAGE_SIZE).get_page(p.get("page"))
    return {"page": page, "validity": validity, "validities": _validity_choices(), "opd_code": opd_code,
            "today": today, "opd": OPD.objects.filter(code=opd_code).first() if opd_code else None}


def dik_public(request):
    """Every OPD's exempted information in force (or one OPD's, `?opd=`), with its Pasal 17 letter, legal basis,
    consequence test and validity; expired entries under `?validity=expired`."""
    context = _list_context(request, dik_public_list)
    context["opds"] = OPD.objects.only("code", "name").order_by("code")
    return render(request, "requests_app/dik_public.html", context)


@staff_required
def dik_officer_list(request):
    """The entries of the user's OPDs, with the way to add and revise them for those who decide them."""
    context = _list_context(request, lambda **kw: dik_staff_list(request.user, **kw))
    context["may_decide"] = can_decide_any_dik(request.user)
    return render(request, "requests_app/dik_officer_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def dik_new(request):
    """A new entry for one of the OPDs whose DIK the user decides. Posting for an OPD the user does not work for is
    404, as any object of another OPD."""
    if not can_decide_any_dik(request.user):
        raise PermissionDenied
    opds = dik_opds_for(request.user).order_by("code")
    form = DikEntryForm(request.POST or None, opds=opds, initial={"decided_on": today_wita()})
    status = 200
    if request.method == "POST":
        opd = dik_opd_or_404(request.user, request.POST.get("opd", ""))
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in DIK_REVISED_FIELDS}
            try:
                entry = dik_create(actor=request.user, opd=opd, **data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Entri DIK dicatat."))
                return redirect("dik-detail", pk=entry.pk)
        status = 400
    return render(request, "requests_app/dik_form.html", {"form": form, "entry": None}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def dik_detail(request, pk):
    """One entry of the user's OPDs with its history (the values before each revision, who and when); the revision
    form for its Atasan PPID and PPID Utama (403 for its PPID Pelaksana)."""
    entry = dik_entry_for_staff_or_404(request.user, pk)
    may_decide = can_decide_dik(request.user, entry.opd_id)
    if request.method == "POST" and not may_decide:
        raise PermissionDenied
    form = None
    status = 200
    if may_decide:
        form = DikEntryForm(request.POST or None, initial={f: getattr(entry, f) for f in DIK_REVISED_FIELDS})
        if request.method == "POST":
            if form.is_valid():
                try:
                    dik_revise(entry=entry, actor=request.user,
                               **{f: form.cleaned_data[f] for f in DIK_REVISED_FIELDS})
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, _("Entri DIK diperbarui; nilai sebelumnya tersimpan di riwayat."))
                    return redirect("dik-detail", pk=entry.pk)
            status = 400
    return render(request, "requests_app/dik_form.html", {
        "form": form, "entry": entry, "today": today_wita(),
        "history": entry.revisions.select_related("revised_by", "decided_by").order_by("-number"),
        "cases": entry.cases.count(),
    }, status=status)
