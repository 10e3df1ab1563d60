"""The holiday calendar page (PPID Utama admins only): list a year, add, edit, delete. Every change
re-derives the due dates of open cases and objections (services.holidays)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from opd_app.decorators import utama_required
from ppid_portal.clock import today_wita
from ppid_portal.errors import DomainError
from requests_app.models import Holiday, HolidayKind
from requests_app.selectors.holidays import holiday_delete_preview
from requests_app.services.holidays import holiday_add, holiday_delete, holiday_update


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=HolidayKind.choices, initial=HolidayKind.LOCAL)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or today_wita().year)
    except ValueError:
        return today_wita().year
    return year if 1900 <= year <= 2200 else today_wita().year


def _save(request, form, holiday=None) -> bool:
    if not form.is_valid():
        return False
    try:
        if holiday is None:
            holiday_add(actor=request.user, **form.cleaned_data)
        else:
            holiday_update(holiday=holiday, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    return True


@utama_required
@require_http_methods(["GET", "POST"])
def holiday_list(request):
    year = _year(request)
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if _save(request, form):
            day = form.cleaned_data["date"]
            messages.success(request, _("Hari libur %(d)s ditambahkan; batas waktu yang terkena telah dihitung ulang.")
                             % {"d": day.strftime("%d-%m-%Y")})
            return redirect(f"{request.path}?year={day.year}")
    return render(request, "requests_app/holiday_list.html", {
        "year": year, "form": form, "holidays": Holiday.objects.filter(date__year=year).order_by("date"),
        "years": range(year - 2, year + 3),
    }, status=400 if form.errors else 200)


@utama_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request, pk):
    holiday = get_object_or_404(Holiday, pk=pk)
    form = HolidayForm(request.POST or None,
                       initial={"date": holiday.date, "name": holiday.name, "kind": holiday.kind})
    if request.method == "POST" and _save(request, form, holiday):
        messages.success(request, _("Hari libur diperbarui; batas waktu yang terkena telah dihitung ulang."))
        return redirect(f"{_list_url()}?year={form.cleaned_data['date'].year}")
    return render(request, "requests_app/holiday_form.html", {"holiday": holiday, "form": form},
                  status=400 if form.errors else 200)


@utama_required
@require_http_methods(["GET", "POST"])
def holiday_delete_view(request, pk):
    """Deleting a day moves due dates: a GET (or a POST without confirm=1) shows what would change and asks;
    only the confirmed POST deletes."""
    holiday = get_object_or_404(Holiday, pk=pk)
    year = holiday.date.year
    if request.method == "POST" and request.POST.get("confirm") == "1":
        holiday_delete(holiday=holiday, actor=request.user)
        messages.success(request, _("Hari libur dihapus; batas waktu yang terkena telah dihitung ulang."))
        return redirect(f"{_list_url()}?year={year}")
    return render(request, "requests_app/holiday_delete.html", {"preview": holiday_delete_preview(holiday)})


def _list_url() -> str:
    from django.urls import reverse

    return reverse("holiday-list")
