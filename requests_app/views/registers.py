"""The PPID's registers on the officers' side: /petugas/register/?kind=requests|objections with the year, month and
OPD filters, 100 rows a page, and the printed register to download (?format=csv|xlsx|pdf)."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from opd_app.decorators import staff_required
from ppid_portal.clock import today_wita
from requests_app.registers import CONTENT_TYPES, register_file, register_filename, register_title
from requests_app.selectors.registers import (
    OBJECTIONS,
    REGISTER_COLUMNS,
    REGISTER_FORMATS,
    REGISTER_PAGE_SIZE,
    REQUESTS,
    RegisterFilterError,
    register_cells,
    register_filters,
    register_format,
    register_opds_for,
    register_queryset,
    register_rows,
)


@staff_required
def register(request):
    p = request.GET
    kind = OBJECTIONS if p.get("kind") == OBJECTIONS else REQUESTS
    today = today_wita()
    opds = list(register_opds_for(request.user))
    try:
        filters = register_filters(request.user, p, today=today)
        fmt = register_format(p)
    except RegisterFilterError as exc:
        return render(request, "requests_app/register.html", {
            "kind": kind, "error": exc.message, "opds": opds, "years": _years(today), "months": _months(),
            "title": register_title(kind), "params": {}, "kinds": _kinds(),
        }, status=400)
    records = register_queryset(request.user, kind, filters)
    if fmt:
        response = HttpResponse(register_file(request.user, kind, filters, records, fmt),
                                content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{register_filename(kind, filters, fmt)}"'
        return response
    page = Paginator(records, REGISTER_PAGE_SIZE).get_page(p.get("page"))
    columns = REGISTER_COLUMNS[kind]
    rows = register_rows(request.user, kind, page.object_list)
    params = {"kind": kind, "year": filters.year}
    if filters.month:
        params["month"] = filters.month
    if filters.opd is not None:
        params["opd"] = filters.opd.code
    return render(request, "requests_app/register.html", {
        "kind": kind, "kinds": _kinds(), "title": register_title(kind), "filters": filters, "opds": opds,
        "years": _years(today), "months": _months(), "page": page, "columns": columns,
        "rows": [(row, [(col.heading, value, col.identity and not row["identity_shown"])
                        for col, value in zip(columns, register_cells(row, columns), strict=True)])
                 for row in rows], "query": urlencode(params), "params": params,
        "downloads": [(fmt.upper(), urlencode({**params, "format": fmt})) for fmt in REGISTER_FORMATS],
    })


def _kinds():
    return ((REQUESTS, _("Register permohonan")), (OBJECTIONS, _("Register keberatan")))


def _years(today):
    return list(range(today.year, today.year - 6, -1))


def _months():
    """(number, name) of the months in the reader's language."""
    return [(m, date_format(dt.date(2000, m, 1), "F")) for m in range(1, 13)]
