"""Public statistics page: citizens compare how OPDs answer requests (no personal data)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from compliance_app.charts import bar_chart
from compliance_app.selectors import on_time_rate, period_from_params, public_stats
from ppid_portal.clock import today_wita


def public_statistics(request):
    today = today_wita()
    error = ""
    try:
        year = period_from_params({"year": request.GET.get("year", "")}, today).year
    except ValueError as exc:
        error, year = str(exc), today.year
    stats = public_stats(year=year, today=today)
    rows = [dict(r) for r in stats["opds"]]
    for row in rows:
        row["on_time_rate"] = on_time_rate(row)
    active = sorted((r for r in rows if r["received"]), key=lambda r: (-r["received"], r["opd"]))
    chart = bar_chart(
        [(r["opd"], [r["received"], r["answered_on_time"]]) for r in active],
        title=_("Permohonan diterima dan dijawab tepat waktu per OPD, %(y)s") % {"y": year},
        series=[_("Diterima"), _("Dijawab tepat waktu")], chart_id="stats-opd",
    ) if active else ""
    return render(request, "compliance_app/stats.html", {
        "year": year, "rows": rows, "active": active, "total": stats["total"], "chart": chart, "error": error,
        "years": list(range(today.year, today.year - 5, -1)),
    }, status=400 if error else 200)
