from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ppid_portal.errors import DomainError

from .decorators import atasan_required
from .models import OPD
from .permissions import can_edit_signatory
from .services import opd_signatory_update


def home(request):
    opds = OPD.objects.all()
    return render(request, "opd_app/home.html", {"opds": opds, "notice_url": reverse("service-notice")})


def directory(request):
    return render(request, "opd_app/directory.html", {"opds": OPD.objects.all()})


def service_notice(request):
    """The maklumat pelayanan: legal basis, procedure, time limits and fees, as a public page."""
    return render(request, "opd_app/service_notice.html", {
        "regency": settings.PPID_REGENCY_NAME,
        "request_url": reverse("request-create"),
        "track_url": reverse("track"),
    })


def _cap(name: str) -> int:
    return OPD._meta.get_field(name).max_length


class SignatoryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Jabatan penanda tangan"), max_length=_cap("signatory_title"),
                            required=False)
    name = forms.CharField(label=gettext_lazy("Nama penanda tangan (dengan gelar)"), max_length=_cap("signatory_name"),
                           required=False)
    nip = forms.CharField(label=gettext_lazy("NIP (boleh kosong)"), max_length=_cap("signatory_nip"), required=False)


@atasan_required
@require_http_methods(["GET", "POST"])
def opd_signatory(request, code):
    """Who signs the OPD's letters (the name and NIP under the title); a preview shows the block as printed."""
    opd = get_object_or_404(OPD, code=code)
    if not can_edit_signatory(request.user, opd.pk):
        raise Http404
    form = SignatoryForm(request.POST or None, initial={
        "title": opd.signatory_title, "name": opd.signatory_name, "nip": opd.signatory_nip})
    form.fields["title"].help_text = _("Kosongkan untuk memakai “%(default)s”.") % {
        "default": " ".join(opd.default_signature_lines())}
    if request.method == "POST" and form.is_valid():
        try:
            opd_signatory_update(opd=opd, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Penanda tangan surat %(opd)s disimpan.") % {"opd": opd.name})
            return redirect(request.path)
    return render(request, "opd_app/signatory_form.html", {"opd": opd, "form": form},
                  status=400 if form.errors else 200)
