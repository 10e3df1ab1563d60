"""Library pages: public search, document page and download, the DIP (page, CSV, PDF); officer upload,
review (findings, confirm, redacted replacement), publish, unpublish; publishing a case's material."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents_app import search, selectors
from documents_app.forms import (
    DocumentMetaForm,
    DocumentUploadForm,
    PublishAnywayForm,
    ReplaceForm,
    SearchForm,
    UnpublishForm,
)
from documents_app.models import Category, DocumentStatus
from documents_app.permissions import upload_opds
from documents_app.services import intake, ocr, publication, scanning
from opd_app.decorators import staff_required
from opd_app.models import OPD
from ppid_portal.clock import now
from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from ppid_portal.pdf import render_pdf


def _file_response(document, *, inline: bool = False) -> FileResponse:
    """The file as uploaded (for the officers: the original scan)."""
    return stored_file_response(document.file.open("rb"), inline=inline, filename=document.original_filename,
                                content_type=document.content_type)


def _public_file_response(document) -> FileResponse:
    """What the public downloads: an OCR'd scan's searchable PDF, any other document as uploaded."""
    return stored_file_response(document.public_file.open("rb"), inline=False, filename=document.public_filename,
                                content_type=document.public_content_type)


LIBRARY_PAGE_SIZE = 20


# Public -------------------------------------------------------------------------------------------------
def library(request):
    form = SearchForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    q = params.get("q") or ""
    opd = params.get("opd")
    category = params.get("category") or ""
    qs = search.document_search(q=q, opd=opd.code if opd else "", category=category)
    page = Paginator(qs, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents_app/library.html", {
        "form": form, "page": page, "q": q, "query": query.urlencode(),
    })


def document_detail(request, pk):
    document = selectors.document_get_public(pk)
    return render(request, "documents_app/detail.html", {"document": document})


def document_download(request, pk):
    return _public_file_response(selectors.document_get_public(pk))


def _dip_filters(request, opd_code: str = ""):
    code = (opd_code or request.GET.get("opd") or "").strip().upper()
    opd = get_object_or_404(OPD, code=code) if code else None
    category = request.GET.get("category") or ""
    if category not in Category.values:
        category = ""
    return opd, category


def dip(request, opd_code: str = ""):
    """Daftar Informasi Publik, for the regency or one OPD; printable (print stylesheet), CSV, PDF."""
    opd, category = _dip_filters(request, opd_code)
    rows = selectors.dip_rows(opd=opd.code if opd else "", category=category)
    query = f"?opd={opd.code if opd else ''}&category={category}"
    return render(request, "documents_app/dip.html", {
        "rows": rows, "opd": opd, "category": category, "opds": OPD.objects.all(), "categories": Category.choices,
        "query": query,
    })


# The register's columns, headed in the reader's language (Bahasa Indonesia unless English was chosen).
DIP_COLUMNS = [
    ("no", "No"), ("title", gettext_lazy("Ringkasan isi informasi")), ("opd", "OPD"),
    ("category", gettext_lazy("Kategori")),
    ("responsible", gettext_lazy("Pejabat/unit yang menguasai informasi")),
    ("made", gettext_lazy("Waktu dan tempat pembuatan")), ("form", gettext_lazy("Bentuk informasi")),
    ("retention", gettext_lazy("Jangka waktu penyimpanan")), ("registration", gettext_lazy("Nomor registrasi")),
    ("url", gettext_lazy("Tautan")),
]


def _dip_table(request, rows):
    for n, d in enumerate(rows, start=1):
        made = ", ".join(p for p in [d.made_place, d.made_on.strftime("%d-%m-%Y") if d.made_on else ""] if p)
        yield {
            "no": n, "title": d.title + (f" — {d.summary}" if d.summary else ""), "opd": d.opd.name,
            "category": d.get_category_display(), "responsible": d.responsible_official or d.opd.name,
            "made": made, "form": d.get_info_form_display(), "retention": d.retention,
            "registration": d.registration_number,
            "url": request.build_absolute_uri(reverse("document-detail", args=[d.pk])),
        }


def dip_csv(request):
    opd, category = _dip_filters(request)
    rows = selectors.dip_rows(opd=opd.code if opd else "", category=category)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dip-{(opd.code if opd else "kukar").lower()}.csv"'
    response.write("\ufeff")  # spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([label for _key, label in DIP_COLUMNS])
    for row in _dip_table(request, rows):
        # A cell that starts with = + - @ would be a formula in a spreadsheet: neutralise it.
        writer.writerow([_csv_safe(row[key]) for key, _label in DIP_COLUMNS])
    return response


def _csv_safe(value):
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def dip_pdf(request):
    opd, category = _dip_filters(request)
    rows = list(_dip_table(request, selectors.dip_rows(opd=opd.code if opd else "", category=category)))
    pdf = render_pdf("documents_app/dip_pdf.html", {
        # The letterhead is the OPD's own, or PPID Utama's for the regency-wide list.
        "rows": rows, "filter_opd": opd, "opd": opd or OPD.objects.filter(is_ppid_utama=True).first(),
        "category_label": dict(Category.choices).get(category, ""), "generated_at": now(),
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dip-{(opd.code if opd else "kukar").lower()}.pdf"'
    return response


# Officers -----------------------------------------------------------------------------------------------


def _form_errors(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@staff_required
def officer_list(request):
    qs = selectors.documents_for(request.user)
    status = request.GET.get("status", "")
    if status in DocumentStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "documents_app/officer_list.html", {
        "page": page, "status": status, "statuses": DocumentStatus.choices,
    })


@staff_required
def officer_upload(request):
    opds = upload_opds(request.user)
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, opds=opds)
        if form.is_valid():
            data = dict(form.cleaned_data)
            opd, upload = data.pop("opd"), data.pop("file")
            registration_number = data.pop("registration_number", "")
            try:
                document = intake.document_create(actor=request.user, opd=opd, upload=upload, meta=data,
                                                    registration_number=registration_number)
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Draf tersimpan. Teks sedang dibaca dan diperiksa untuk data pribadi."))
                return redirect("document-review", pk=document.pk)
    else:
        form = DocumentUploadForm(opds=opds, initial={"registration_number": request.GET.get("permohonan", "")})
    return render(request, "documents_app/officer_upload.html", {"form": form})


def _publish_form(document, data=None) -> PublishAnywayForm:
    return PublishAnywayForm(data, needs_reason=bool(document.personal_data_findings))


def _review_page(request, document, *, publish_form=None, status: int = 200):
    meta_form = DocumentMetaForm(initial={
        f: getattr(document, f) for f in DocumentMetaForm.base_fields
    })
    return render(request, "documents_app/officer_review.html", {
        "document": document, "events": selectors.document_history(document),
        "findings_summary": scanning.describe_findings(document.personal_data_findings),
        "replace_form": ReplaceForm(), "unpublish_form": UnpublishForm(), "meta_form": meta_form,
        "publish_form": publish_form or _publish_form(document),
    }, status=status)


@staff_required
def officer_review(request, pk):
    return _review_page(request, selectors.document_get_for(request.user, pk))


def _publish(request, document):
    """Publish; a document that needs the officer's confirmation goes through the "publish anyway" form (the
    box, and the reason over findings): a missing or refused field re-renders the page (400) with the text kept
    and the error beside the field."""
    if not document.needs_confirmation:
        publication.document_publish(document=document, actor=request.user)
        messages.success(request, _("Dokumen dipublikasikan."))
        return redirect("document-review", pk=document.pk)
    form = _publish_form(document, request.POST)
    if form.is_valid():
        try:
            publication.document_publish(
                document=document, actor=request.user, confirm_personal_data=True,
                override_reason=form.cleaned_data.get("publish_override_reason", ""))
        except DomainError as exc:
            if exc.field not in form.fields:
                raise
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Dokumen dipublikasikan."))
            return redirect("document-review", pk=document.pk)
    return _review_page(request, document, publish_form=form, status=400)


@staff_required
@require_POST
def officer_action(request, pk):
    document = selectors.document_get_for(request.user, pk)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "confirm":
            publication.document_confirm_personal_data(document=document, actor=user, note=request.POST.get("note", ""))
            messages.success(request, _("Konfirmasi tercatat."))
        elif action == "publish":
            return _publish(request, document)
        elif action == "unpublish":
            publication.document_unpublish(document=document, actor=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Dokumen ditarik dari publikasi."))
        elif action == "replace":
            form = ReplaceForm(request.POST, request.FILES)
            upload = request.FILES.get("file") if form.is_valid() else None
            intake.document_replace_file(document=document, actor=user, upload=upload)
            messages.success(request, _("Berkas diganti dan diperiksa ulang."))
        elif action == "ocr_retry":
            ocr.document_ocr_retry(document=document, actor=user)
            messages.success(request, _("OCR diulang; hasilnya tampil di sini setelah selesai."))
        elif action == "rescan":
            scanning.document_scan_now_or_later(document_id=document.pk)
            messages.success(request, _("Pemeriksaan diulang."))
        elif action == "edit":
            form = DocumentMetaForm(request.POST)
            if not form.is_valid():
                messages.error(request, "; ".join(f"{form.fields[f].label if f in form.fields else f}: {' '.join(e)}"
                                                  for f, e in form.errors.items()))
            else:
                intake.document_update(document=document, actor=user, meta=form.cleaned_data)
                messages.success(request, _("Metadata tersimpan."))
        else:
            messages.error(request, _("Aksi tidak dikenal."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("document-review", pk=pk)


@staff_required
def officer_download(request, pk):
    document = selectors.document_get_for(request.user, pk)
    # ?versi=ocr: the searchable PDF the public gets; otherwise the original as uploaded.
    if request.GET.get("versi") == "ocr" and document.searchable_file:
        return _public_file_response(document)
    return _file_response(document)


@staff_required
@require_POST
def case_attachment_publish(request, registration_number, attachment_id):
    """From the case page: turn an answer's material into a library draft linked to the case."""
    from requests_app.models import CaseAttachment
    from requests_app.permissions import case_for_officer_or_404

    case = case_for_officer_or_404(request.user, registration_number)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_id, case=case)
    try:
        document = intake.document_from_attachment(attachment=attachment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("case-detail", registration_number=registration_number)
    messages.success(request, _("Draf dibuat. Periksa temuan data pribadi sebelum mempublikasikan."))
    return redirect("document-review", pk=document.pk)
