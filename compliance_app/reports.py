"""The annual report (Laporan Layanan Informasi Publik, UU 14/2008 Pasal 12, Perki SLIP Pasal 56) and the
CSV/XLSX exports of the compliance figures and of the case lists behind them.

The report is rendered by ppid_portal.pdf.render_pdf. Small years are rendered in the request; for large years an
admin asks the Celery task to build it (compliance_app.report_build, which records each build's progress) and store
it with default_storage (private media, served only through the admin views), then downloads it when ready.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from compliance_app.charts import bar_chart, line_chart
from compliance_app.models import ReportNarrative
from compliance_app.selectors import (
    DECISIONS,
    LETTERS,
    Period,
    compliance_figures,
    dik_entries_used,
    league_table,
    monthly_trends,
)
from opd_app.models import OPD
from ppid_portal.clock import now, today_wita
from ppid_portal.pdf import render_pdf
from requests_app.models import Decision, Exemption, Status

REPORT_TEMPLATE = "reports/annual_report.html"
BUILD_REPORT_TASK = "requests_app.tasks.build_annual_report_task"
# Perki SLIP's narrative parts; PPID Utama writes them on the dashboard (ReportNarrative). A section left
# empty prints a placeholder under its heading.
NARRATIVE_SECTIONS = (
    ("kebijakan", gettext_lazy("Kebijakan pelayanan informasi publik")),
    ("sarana", gettext_lazy("Sarana dan prasarana pelayanan informasi publik")),
    ("sdm", gettext_lazy("Sumber daya manusia yang menangani pelayanan informasi publik")),
    ("anggaran", gettext_lazy("Anggaran pelayanan informasi publik")),
    ("kendala", gettext_lazy("Kendala dalam pelaksanaan pelayanan informasi publik")),
    ("rekomendasi", gettext_lazy("Rekomendasi dan rencana tindak lanjut")),
)
NARRATIVE_PLACEHOLDER = "(diisi oleh PPID Utama)"
# The report is in Bahasa Indonesia whatever the reader's language (as its template): the charts' words too.
REPORT_LANGUAGE = "id"


def months_chart_title(year: int) -> str:
    with translation.override(REPORT_LANGUAGE):
        return _("Permohonan diterima dan dijawab per bulan, %(y)s") % {"y": year}


def refusals_chart_title(year: int) -> str:
    with translation.override(REPORT_LANGUAGE):
        return _("Penolakan menurut huruf Pasal 17, %(y)s") % {"y": year}


def report_figures_part(year: int) -> dict:
    """The report's figures: per OPD and overall, the league, decisions, refusals with their reasons."""
    figures = compliance_figures(period=Period.for_year(year))
    active = [r for r in figures["opds"] if r["received"] or r["objections"] or r["forwarded"]]
    refusals = [
        {"letter": letter, "label": Exemption(letter).label, "count": figures["total"]["refusals_by_letter"][letter],
         "opds": [(r["opd"], r["refusals_by_letter"][letter]) for r in active if r["refusals_by_letter"][letter]]}
        for letter in LETTERS
    ]
    with translation.override(REPORT_LANGUAGE):
        # One bar per Pasal 17 letter, every letter shown (a zero is a finding too).
        refusals_chart = bar_chart([(_("huruf %(x)s") % {"x": x["letter"]}, [x["count"]]) for x in refusals],
                                   title=refusals_chart_title(year), series=[_("Penolakan")],
                                   chart_id="report-refusals")
    return {
        "opd": OPD.objects.filter(is_ppid_utama=True).first(),
        "figures": figures,
        "refusals_chart": refusals_chart,
        "refusals_chart_title": refusals_chart_title(year),
        "rows": active,
        "league": [r for r in league_table(active) if r["on_time_rate"] is not None],
        "total": figures["total"],
        "decisions": [(Decision(d).label, figures["total"]["decisions"][d]) for d in DECISIONS],
        "refusals": refusals,
        "refusals_total": figures["total"]["decisions"][Decision.REJECTED_EXEMPT],
        "dik_used": dik_entries_used(Period.for_year(year)),
    }


def report_narrative_part(year: int) -> dict:
    """PPID Utama's narrative sections, a placeholder under each heading left empty."""
    narrative = ReportNarrative.objects.filter(year=year).first()
    written = narrative.sections if narrative else {}
    return {"narrative": [(title, written.get(key) or NARRATIVE_PLACEHOLDER) for key, title in NARRATIVE_SECTIONS]}


def report_trends_part(year: int) -> dict:
    """The month-by-month series (received, answered): the report's months chart and the table under it."""
    from django.utils.dateformat import format as date_format

    trends = monthly_trends(period=Period.for_year(year))
    with translation.override(REPORT_LANGUAGE):
        chart = line_chart([date_format(t["month"], "M") for t in trends],
                           [(_("Diterima"), [t["received"] for t in trends]),
                            (_("Dijawab"), [t["answered"] for t in trends])],
                           title=months_chart_title(year), chart_id="report-months")
    return {"trends": trends, "months_chart": chart, "months_chart_title": months_chart_title(year)}


def annual_report_context(year: int) -> dict:
    return {
        "year": year,
        **report_figures_part(year),
        **report_narrative_part(year),
        **report_trends_part(year),
        "generated_at": now(),
        "as_of": today_wita(),
    }


def annual_report_render(context: dict) -> bytes:
    """The yearly report as issued: PDF/A with its archival metadata and verification link, recorded (and kept)
    as an issued letter of the regency's PPID Utama."""
    from opd_app.models import OPD
    from requests_app.services.issued_letters import letter_issue

    year = context["year"]
    utama = OPD.objects.filter(is_ppid_utama=True).order_by("pk").first()
    _record, pdf = letter_issue(
        kind="annual_report", reference=str(year), opd=utama, year=year,
        filename=f"laporan-tahunan-ppid-{year}.pdf",
        render=lambda meta: render_pdf(REPORT_TEMPLATE, context, language="id", archive=meta))
    return pdf


def annual_report_pdf(year: int) -> bytes:
    return annual_report_render(annual_report_context(year))


# Built on demand by the Celery task (compliance_app.report_build keeps the record of each build) ---------------

def report_path(year: int) -> str:
    return f"private/reports/laporan-layanan-informasi-publik-{year}.pdf"


def annual_report_store(*, year: int, pdf: bytes) -> str:
    """(Re)place the year's report in default_storage; returns the stored name. Idempotent."""
    path = report_path(year)
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(pdf))


def annual_report_file(year: int) -> dict:
    """The stored report of the year, if one was built: whether it is there and when it was written."""
    path = report_path(year)
    ready = default_storage.exists(path)
    return {"ready": ready, "built_at": default_storage.get_modified_time(path) if ready else None, "path": path}


# Exports ------------------------------------------------------------------------------------------------------
# One header row in the reader's language (the request's: Indonesian, or English when chosen); the values stay
# plain numbers, ISO dates and codes where they are identifiers (the OPD code, the registration number), and the
# status, decision and exemption as their labels.


def metric_label(metric: str) -> str:
    """A figure of the dashboard in words (drill-down heading, export column, file name)."""
    kind, _sep, value = metric.partition(":")
    if kind == "decision":
        return _("Keputusan: %(d)s") % {"d": Decision(value).label}
    if kind == "refusal":
        return _("Ditolak, Pasal 17 huruf %(x)s") % {"x": value}
    return {
        "received": _("Permohonan diterima"), "answered": _("Permohonan dijawab"),
        "answered_on_time": _("Dijawab tepat waktu"), "answered_late": _("Dijawab terlambat"),
        "overdue_open": _("Belum dijawab, lewat batas waktu"), "forwarded": _("Diteruskan ke OPD lain"),
        "objections": _("Keberatan diajukan"), "objections_upheld": _("Keberatan dikabulkan"),
        "objections_dismissed": _("Keberatan ditolak"), "objections_overdue": _("Keberatan lewat batas waktu"),
        "disputes": _("Sengketa ke Komisi Informasi"),
    }[metric]


def metric_slug(metric: str) -> str:
    """The figure's name for an export's file name: Indonesian whatever the reader's language."""
    with translation.override("id"):
        return slugify(metric_label(metric))


# Every export column's heading, in one place, marked for translation with its context (a column heading may be
# worded apart from the same words elsewhere).
EXPORT_COLUMNS = {
    "Kode OPD": pgettext_lazy("export column", "Kode OPD"),
    "Nama OPD": pgettext_lazy("export column", "Nama OPD"),
    "Permohonan diterima": pgettext_lazy("export column", "Permohonan diterima"),
    "Permohonan dijawab": pgettext_lazy("export column", "Permohonan dijawab"),
    "Dijawab tepat waktu": pgettext_lazy("export column", "Dijawab tepat waktu"),
    "Dijawab terlambat": pgettext_lazy("export column", "Dijawab terlambat"),
    "Belum dijawab, lewat batas waktu": pgettext_lazy("export column", "Belum dijawab, lewat batas waktu"),
    "Dijawab tepat waktu (%)": pgettext_lazy("export column", "Dijawab tepat waktu (%)"),
    "Median lama menjawab (hari kerja)": pgettext_lazy("export column", "Median lama menjawab (hari kerja)"),
    "Persentil 90 lama menjawab (hari kerja)":
        pgettext_lazy("export column", "Persentil 90 lama menjawab (hari kerja)"),
    "Diteruskan ke OPD lain": pgettext_lazy("export column", "Diteruskan ke OPD lain"),
    "Keberatan diajukan": pgettext_lazy("export column", "Keberatan diajukan"),
    "Keberatan dikabulkan": pgettext_lazy("export column", "Keberatan dikabulkan"),
    "Keberatan ditolak": pgettext_lazy("export column", "Keberatan ditolak"),
    "Keberatan lewat batas waktu": pgettext_lazy("export column", "Keberatan lewat batas waktu"),
    "Sengketa ke Komisi Informasi": pgettext_lazy("export column", "Sengketa ke Komisi Informasi"),
    "Nomor registrasi": pgettext_lazy("export column", "Nomor registrasi"),
    "Tanggal diterima": pgettext_lazy("export column", "Tanggal diterima"),
    "Batas waktu": pgettext_lazy("export column", "Batas waktu"),
    "Batas waktu setelah perpanjangan": pgettext_lazy("export column", "Batas waktu setelah perpanjangan"),
    "Status": pgettext_lazy("export column", "Status"),
    "Keputusan": pgettext_lazy("export column", "Keputusan"),
    "Pengecualian (Pasal 17)": pgettext_lazy("export column", "Pengecualian (Pasal 17)"),
    "Tanggal dijawab": pgettext_lazy("export column", "Tanggal dijawab"),
    "Lama menjawab (hari kerja)": pgettext_lazy("export column", "Lama menjawab (hari kerja)"),
    "Berapa kali diteruskan": pgettext_lazy("export column", "Berapa kali diteruskan"),
    "Bulan": pgettext_lazy("export column", "Bulan"),
    "Surat diserahkan terlambat": pgettext_lazy("export column", "Surat diserahkan terlambat"),
    "Surat menunggu diserahkan": pgettext_lazy("export column", "Surat menunggu diserahkan"),
    "Surat menunggu diserahkan, lewat batas": pgettext_lazy("export column", "Surat menunggu diserahkan, lewat batas"),
}


def _column(text: str) -> str:
    return str(EXPORT_COLUMNS[text])


def figures_table(figures: dict) -> tuple[list[str], list[list]]:
    """The figures flattened to one row per OPD plus the regency total (for CSV/XLSX)."""
    keys = ["received", "answered", "answered_on_time", "answered_late", "overdue_open", "on_time_rate",
            "median_working_days", "p90_working_days"]
    headers = ([_column("Kode OPD"), _column("Nama OPD"), _column("Permohonan diterima"),
                _column("Permohonan dijawab"), _column("Dijawab tepat waktu"), _column("Dijawab terlambat"),
                _column("Belum dijawab, lewat batas waktu"), _column("Dijawab tepat waktu (%)"),
                _column("Median lama menjawab (hari kerja)"), _column("Persentil 90 lama menjawab (hari kerja)")]
               + [metric_label(f"decision:{d}") for d in DECISIONS]
               + [metric_label(f"refusal:{x}") for x in LETTERS]
               + [_column("Diteruskan ke OPD lain"), _column("Keberatan diajukan"), _column("Keberatan dikabulkan"),
                  _column("Keberatan ditolak"), _column("Keberatan lewat batas waktu"),
                  _column("Sengketa ke Komisi Informasi"), _column("Surat diserahkan terlambat"),
                  _column("Surat menunggu diserahkan"), _column("Surat menunggu diserahkan, lewat batas")])

    def flat(row, code, name):
        return ([code, name] + [row[k] for k in keys]
                + [row["decisions"][d] for d in DECISIONS] + [row["refusals_by_letter"][x] for x in LETTERS]
                + [row["forwarded"]] + [row["objections_detail"][k] for k in ("filed", "upheld", "dismissed",
                                                                                "overdue")]
                + [row["disputes"]]
                + [row["letter_deliveries"][k] for k in ("delivered_late", "waiting", "waiting_overdue")])

    rows = [flat(r, r["opd"], r["name"]) for r in figures["opds"]]
    rows.append(flat(figures["total"], "TOTAL", _("Seluruh OPD")))
    return headers, rows


def case_headers() -> list[str]:
    return [_column("Nomor registrasi"), _column("Kode OPD"), _column("Tanggal diterima"), _column("Batas waktu"),
            _column("Batas waktu setelah perpanjangan"), _column("Status"), _column("Keputusan"),
            _column("Pengecualian (Pasal 17)"), _column("Tanggal dijawab"), _column("Lama menjawab (hari kerja)"),
            _column("Berapa kali diteruskan")]


def case_table(cases) -> tuple[list[str], list[list]]:
    """Cases for export: numbers, dates, status, decision — never the requester's identity."""
    from ppid_portal.clock import wita_date

    statuses, decisions, exemptions = dict(Status.choices), dict(Decision.choices), dict(Exemption.choices)
    rows = []
    for c in cases.values_list("registration_number", "opd__code", "received_on", "due_date", "extended_due_date",
                               "status", "decision", "exemption", "answered_at", "answer_working_days",
                               "forward_count").iterator():
        c = list(c)
        c[5] = str(statuses.get(c[5], c[5]))
        c[6] = str(decisions.get(c[6], c[6] or ""))
        c[7] = str(exemptions.get(c[7], c[7] or ""))
        c[8] = wita_date(c[8]) if c[8] else None
        rows.append(c)
    return case_headers(), rows


def trends_table(trends: list[dict]) -> tuple[list[str], list[list]]:
    headers = [_column("Bulan"), _column("Permohonan diterima"), _column("Permohonan dijawab")]
    return headers, [[t["month"].strftime("%Y-%m"), t["received"], t["answered"]] for t in trends]
