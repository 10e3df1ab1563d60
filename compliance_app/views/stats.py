"""Public statistics page: citizens compare how OPDs answer requests (no personal data)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from compliance_app.charts import bar_chart
from compliance_app.selectors import LETTERS, on_time_rate, period_from_params, public_stats, published_reports
from ppid_portal.clock import today_wita
from requests_app.models import Exemption


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
    total = stats["total"]
    # Refusals per Pasal 17 letter: every letter with its reason, the OPDs that refused on it.
    refusals = [{"letter": x, "label": Exemption(x).label, "count": total["refusals_by_letter"][x],
                 "opds": [(r["opd"], r["refusals_by_letter"][x]) for r in active if r["refusals_by_letter"][x]]}
                for x in LETTERS]
    return render(request, "compliance_app/stats.html", {
        "year": year, "rows": rows, "active": active, "total": total, "chart": chart, "error": error,
        "refusals": refusals, "published": published_reports(),
        "years": list(range(today.year, today.year - 5, -1)),
    }, status=400 if error else 200)
