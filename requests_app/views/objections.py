"""Keberatan pages: the requester (tracking-code session or own account, never a staff role) files one from the
tracking page and reports a dispute; the Atasan PPID (PPID Utama: all OPDs) sees the queue and answers."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opd_app.decorators import atasan_required
from ppid_portal.clock import today_wita
from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from ppid_portal.ratelimit import rate_limited
from requests_app import rules
from requests_app.models import Case, CaseAttachment, Objection, ObjectionOutcome, ObjectionStatus
from requests_app.permissions import (
    can_answer_now,
    is_requester,
    objection_for_atasan_or_404,
    objection_material_or_404,
    objections_visible_to,
)
from requests_app.services.objections import (
    objection_answer,
    objection_file,
    objection_refer,
    objection_window,
)

OBJECTION_KINDS = (CaseAttachment.Kind.OBJECTION_RECEIPT, CaseAttachment.Kind.OBJECTION_ANSWER)
MATERIAL_KINDS = (CaseAttachment.Kind.NOTICE, CaseAttachment.Kind.EXTENSION, CaseAttachment.Kind.MATERIAL)


class ObjectionForm(forms.Form):
    ground = forms.ChoiceField(label=gettext_lazy("Alasan keberatan (UU 14/2008 Pasal 35 ayat (1))"),
                               widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Uraian keberatan"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = list(grounds)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Putusan"), choices=ObjectionOutcome.choices,
                                widget=forms.RadioSelect)
    answer = forms.CharField(
        label=gettext_lazy("Tanggapan"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Bila dikabulkan: perintah kepada PPID Pelaksana. Bila ditolak: alasan penolakan."),
    )


def _add_domain_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# ---------------------------------------------------------------------------------------------------- requester


@require_http_methods(["GET", "POST"])
def objection_create(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not is_requester(request, case):
        # Staff who handle the case are sent to the tracking form like a stranger: a keberatan is the requester's.
        return redirect("track")
    window = objection_window(case, today_wita())
    form = ObjectionForm(request.POST or None, grounds=window["grounds"])
    status = 200
    if request.method == "POST":
        if rate_limited(request, "ppid_submit"):
            return render(request, "requests_app/throttled.html", status=429)
        if form.is_valid():
            try:
                objection = objection_file(case=case, ground=form.cleaned_data["ground"],
                                           reason=form.cleaned_data["reason"])
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, _("Keberatan Anda diterima dengan nomor %(n)s. Tanda bukti ada di bawah.")
                                 % {"n": objection.objection_number})
                return redirect("track-case", registration_number=case.registration_number)
        status = 400
    return render(request, "requests_app/objection_form.html",
                  {"case": case, "form": form, "window": window}, status=status)


@require_POST
def objection_refer_view(request, registration_number, objection_number):
    case = get_object_or_404(Case, registration_number=registration_number)
    if not is_requester(request, case):
        raise Http404
    objection = get_object_or_404(case.objections, objection_number=objection_number)
    try:
        objection_refer(objection=objection, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengajuan sengketa ke Komisi Informasi telah dicatat."))
    return redirect("track-case", registration_number=case.registration_number)


# ---------------------------------------------------------------------------------------------------- Atasan PPID




@atasan_required
def objection_queue(request):
    status = request.GET.get("status", ObjectionStatus.FILED)
    qs = objections_visible_to(request.user).select_related("case", "opd")
    if status in ObjectionStatus.values:
        qs = qs.filter(status=status)
    today = today_wita()
    rows = [(o, rules.objection_urgency(o.status, o.due_date, today)) for o in qs.order_by("due_date", "filed_at")]
    return render(request, "requests_app/objection_queue.html", {
        "rows": rows, "statuses": ObjectionStatus.choices, "status": status, "today": today,
    })


@atasan_required
@require_http_methods(["GET", "POST"])
def objection_detail(request, objection_number):
    objection = objection_for_atasan_or_404(
        request.user, objection_number,
        Objection.objects.select_related("case", "case__opd", "opd", "answered_by"))
    case = objection.case
    may_answer = can_answer_now(request.user, objection)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_answer:
            messages.error(request, _("Keberatan ini tidak dapat ditanggapi lagi."))
            return redirect("objection-detail", objection_number=objection_number)
        if form.is_valid():
            try:
                objection_answer(objection=objection, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                _add_domain_error(form, exc)
            else:
                messages.success(request, _("Tanggapan tersimpan; surat tanggapan dikirim kepada pemohon."))
                return redirect("objection-detail", objection_number=objection_number)
        status = 400
    return render(request, "requests_app/objection_detail.html", {
        "objection": objection, "case": case, "form": form, "may_answer": may_answer,
        "letters": case.attachments.filter(kind__in=OBJECTION_KINDS, filename__contains=objection.objection_number),
        # What the requester objects to: the written notice and the material sent with it, as the requester got
        # them (public attachments only).
        "material": case.attachments.filter(kind__in=MATERIAL_KINDS, public=True),
        "overdue": objection.is_overdue(),
    }, status=status)


@atasan_required
def objection_material(request, objection_number, attachment_id):
    """One file the requester received with the case (the notice, its material, the objection's letters), for the
    Atasan PPID weighing the keberatan: a sandboxed download."""
    _objection, attachment = objection_material_or_404(request.user, objection_number, attachment_id)
    return stored_file_response(attachment.file.open("rb"), filename=attachment.filename,
                                content_type=attachment.content_type)
