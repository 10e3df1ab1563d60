"""PPID Utama dashboard: compliance figures, charts, drill-down case lists, exports and the annual report."""

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from compliance_app import reports
from compliance_app.charts import bar_chart, line_chart
from compliance_app.models import BuildState, ReportNarrative
from compliance_app.report_build import annual_report_status, report_build_request
from compliance_app.rules import annual_report_reminder
from compliance_app.selectors import (
    DECISIONS,
    LETTERS,
    archive_figures,
    cases_for_metric,
    compliance_figures,
    league_table,
    metric_is_valid,
    monthly_trends,
    period_from_params,
    published_report,
)
from compliance_app.services import report_narrative_update, report_publish
from opd_app.decorators import utama_required
from opd_app.models import OPD
from ppid_portal.clock import today_wita
from ppid_portal.errors import DomainError
from ppid_portal.tabular_export import to_csv, to_xlsx
from requests_app.models import Decision, Exemption

EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _bad_request(request, exc: ValueError):
    """A 400 page in the portal's layout. The message may quote the query (an unknown OPD code or metric), so it goes
    through the template's escaping, never into the body as raw HTML."""
    return render(request, "compliance_app/dashboard_bad_request.html", {"message": str(exc)}, status=400)


def _period(request):
    return period_from_params(request.GET, today_wita())


def _opd_code(request) -> str:
    code = (request.GET.get("opd") or "").strip().upper()
    if code and not OPD.objects.filter(code=code).exists():
        raise ValueError(_("OPD tidak dikenal: %(c)s.") % {"c": code})
    return code


def _period_query(period) -> str:
    params = {"year": period.year}
    if not period.is_full_year:
        params.update(start=period.start.isoformat(), end=period.end.isoformat())
    return urlencode(params)


def _metric_label(metric: str) -> str:
    return reports.metric_label(metric)


@utama_required
def dashboard(request):
    try:
        period, code = _period(request), _opd_code(request)
    except ValueError as exc:
        return _bad_request(request, exc)
    codes = [code] if code else None
    figures = compliance_figures(period=period, opd_codes=codes)
    trends = monthly_trends(period=period, opd_codes=codes)
    league = league_table(figures["opds"])
    ranked = [r for r in league if r["on_time_rate"] is not None]
    rate_chart = bar_chart([(r["opd"], [r["on_time_rate"]]) for r in ranked],
                           title=_("Persentase dijawab tepat waktu per OPD"), series=[_("Tepat waktu")], unit="%",
                           max_value=100, chart_id="rate") if ranked else ""
    trend_chart = line_chart([t["month"].strftime("%m") for t in trends],
                             [(_("Diterima"), [t["received"] for t in trends]),
                              (_("Dijawab"), [t["answered"] for t in trends])],
                             title=_("Permohonan per bulan"), chart_id="trend")
    total = figures["total"]
    today = today_wita()
    report = annual_report_status(period.year)
    publication = published_report(period.year)
    return render(request, "compliance_app/dashboard.html", {
        # Last year's report whatever year the dashboard shows: it is the one due by 31 March.
        "reminder": annual_report_reminder(today=today, published=published_report(today.year - 1) is not None),
        "publication": publication, "can_publish": _can_publish(report, publication),
        "period": period, "opd_code": code, "figures": figures, "total": total, "league": league,
        "trends": trends, "rate_chart": rate_chart, "trend_chart": trend_chart,
        "decisions": [(d, Decision(d).label, total["decisions"][d]) for d in DECISIONS],
        "refusals": [(x, Exemption(x).label, total["refusals_by_letter"][x]) for x in LETTERS],
        "objection_rows": [r for r in figures["opds"] if r["objections"]],
        "delivery_rows": [r for r in figures["opds"] if r["letter_deliveries"]["issued"]],
        "pq": _period_query(period), "opds": OPD.objects.all(), "report": report,
        "archive": archive_figures(period, codes, today),
    })


def _can_publish(report: dict, publication) -> bool:
    """A stored report, no build under way, and not the build already published."""
    build = report["build"]
    if not report["ready"] or report["pending"]:
        return False
    return publication is None or build is None or publication.build_id != build.pk


@utama_required
def figures_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    try:
        period, code = _period(request), _opd_code(request)
    except ValueError as exc:
        return _bad_request(request, exc)
    codes = [code] if code else None
    headers, rows = reports.figures_table(compliance_figures(period=period, opd_codes=codes))
    name = f"kepatuhan-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "csv":
        body = to_csv(headers, rows)
    else:
        t_headers, t_rows = reports.trends_table(monthly_trends(period=period, opd_codes=codes))
        body = to_xlsx([(_("Kepatuhan"), headers, rows), (_("Per bulan"), t_headers, t_rows)])
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _drill_down(request):
    period, code = _period(request), _opd_code(request)
    metric = request.GET.get("metric") or "received"
    if not metric_is_valid(metric):
        raise ValueError(_("Ukuran tidak dikenal: %(m)s.") % {"m": metric})
    return period, code, metric, cases_for_metric(period=period, metric=metric, opd_code=code)


@utama_required
def case_list(request):
    """The cases behind one figure (no requester identity on this page)."""
    try:
        period, code, metric, cases = _drill_down(request)
    except ValueError as exc:
        return _bad_request(request, exc)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    return render(request, "compliance_app/dashboard_cases.html", {
        "period": period, "opd_code": code, "metric": metric, "metric_label": _metric_label(metric), "page": page,
        "query": query, "pq": _period_query(period),
    })


@utama_required
def case_list_export(request, fmt):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    try:
        period, code, metric, cases = _drill_down(request)
    except ValueError as exc:
        return _bad_request(request, exc)
    headers, rows = reports.case_table(cases)
    body = to_csv(headers, rows) if fmt == "csv" else to_xlsx([(_("Kasus"), headers, rows)])
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    name = f"kasus-{reports.metric_slug(metric)}-{(code or 'semua').lower()}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@utama_required
def report_pdf(request):
    """The annual report rendered now (fine for ordinary years; large ones use report_build)."""
    try:
        year = _period(request).year
    except ValueError as exc:
        return _bad_request(request, exc)
    response = HttpResponse(reports.annual_report_pdf(year), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-layanan-informasi-publik-{year}.pdf"'
    return response


@utama_required
@require_POST
def report_build(request):
    try:
        year = period_from_params(request.POST, today_wita()).year
    except ValueError as exc:
        return _bad_request(request, exc)
    build, queued = report_build_request(year=year, actor=request.user)
    build.refresh_from_db()  # outside a transaction the queueing has already run: a broker down failed it
    if not queued:
        messages.info(request, _("Laporan tahun %(y)s sudah sedang disusun.") % {"y": year})
    elif build.state != BuildState.FAILED:  # a failure is told by the dashboard's notice, with "Coba lagi"
        messages.success(request, _("Laporan tahun %(y)s sedang disusun; kemajuannya tampil di sini.")
                         % {"y": year})
    # The build's state shows at the top of the dashboard (no #fragment: the page reloads itself there).
    return redirect(f"{reverse('dashboard')}?year={year}")


@utama_required
def report_download(request):
    try:
        year = _period(request).year
    except ValueError as exc:
        return _bad_request(request, exc)
    path = reports.report_path(year)
    if not default_storage.exists(path):
        raise Http404
    return FileResponse(default_storage.open(path, "rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"laporan-layanan-informasi-publik-{year}.pdf")


class NarrativeForm(forms.Form):
    """The narrative parts of the annual report, one text per Perki SLIP heading."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in reports.NARRATIVE_SECTIONS:
            self.fields[key] = forms.CharField(label=title, required=False, max_length=10_000,
                                               widget=forms.Textarea(attrs={"rows": 5}))


@utama_required
@require_http_methods(["GET", "POST"])
def report_narrative(request):
    """PPID Utama writes the narrative sections of a year's report (policy, facilities, staff, budget, …)."""
    try:
        year = period_from_params(request.GET if request.method == "GET" else request.POST, today_wita()).year
    except ValueError as exc:
        return _bad_request(request, exc)
    narrative = ReportNarrative.objects.filter(year=year).first()
    form = NarrativeForm(request.POST or None, initial=narrative.sections if narrative else None)
    if request.method == "POST" and form.is_valid():
        report_narrative_update(year=year, sections=form.cleaned_data, actor=request.user)
        messages.success(request, _("Bagian naratif laporan %(y)s disimpan.") % {"y": year})
        return redirect(f"{reverse('dashboard')}?year={year}#laporan")
    return render(request, "compliance_app/dashboard_narrative.html", {"form": form, "year": year,
                                                                      "narrative": narrative},
                  status=400 if form.errors else 200)


@utama_required
@require_http_methods(["GET", "POST"])
def report_publish_view(request):
    """Publishing the year's built report asks first: the GET (or a POST without confirm=1) shows what will be
    published, and what it replaces; only the confirmed POST publishes."""
    try:
        year = period_from_params(request.GET if request.method == "GET" else request.POST, today_wita()).year
    except ValueError as exc:
        return _bad_request(request, exc)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            report_publish(year=year, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Laporan tahun %(y)s diterbitkan; masyarakat dapat mengunduhnya di halaman "
                                        "statistik.") % {"y": year})
        return redirect(f"{reverse('dashboard')}?year={year}")
    report = annual_report_status(year)
    publication = published_report(year)
    return render(request, "compliance_app/dashboard_publish.html", {
        "year": year, "report": report, "publication": publication,
        "can_publish": _can_publish(report, publication)})
