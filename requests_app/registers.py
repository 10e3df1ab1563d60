"""The printed register: the rows of selectors.registers as CSV, XLSX or a landscape A4 PDF on the OPD's letterhead,
with a signature block for the PPID. Headings come from the register's columns (REQUEST_COLUMNS,
OBJECTION_COLUMNS), in the reader's language for the spreadsheets; the PDF is the PPID's record and is Indonesian,
as its letters are."""

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opd_app.models import OPD
from ppid_portal.clock import now, today_wita
from ppid_portal.pdf import render_pdf
from ppid_portal.tabular_export import to_csv, to_xlsx
from requests_app.selectors.registers import (
    OBJECTIONS,
    REGISTER_COLUMNS,
    RegisterFilters,
    register_cells,
    register_rows,
)

REGISTER_TEMPLATE = "registers/register.html"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def register_title(kind: str) -> str:
    return _("Register Keberatan") if kind == OBJECTIONS else _("Register Permohonan Informasi Publik")


def register_period(filters: RegisterFilters) -> str:
    """The register's period in words in the active language: "2026", or "Maret 2026"."""
    if filters.month:
        return date_format(dt.date(filters.year, filters.month, 1), "F Y")
    return str(filters.year)


def register_filename(kind: str, filters: RegisterFilters, fmt: str) -> str:
    """Indonesian whatever the reader's language: register-permohonan-dinkes-2026-03.csv."""
    stem = "register-keberatan" if kind == OBJECTIONS else "register-permohonan"
    opd = filters.opd.code.lower() if filters.opd is not None else "semua-opd"
    month = f"-{filters.month:02d}" if filters.month else ""
    return f"{stem}-{opd}-{filters.year}{month}.{fmt}"


def register_table(kind: str, rows: list[dict]) -> tuple[list[str], list[list]]:
    """Headings and cells of the register, the headings in the active language."""
    columns = REGISTER_COLUMNS[kind]
    return [str(col.heading) for col in columns], [register_cells(row, columns) for row in rows]


def register_letterhead_opd(user, filters: RegisterFilters) -> tuple[OPD | None, bool]:
    """Whose letterhead heads the printed register, and whether the register is that one OPD's: the OPD asked for,
    else the reader's one OPD, else PPID Utama's over every OPD the reader sees."""
    if filters.opd is not None:
        return filters.opd, True
    from opd_app.permissions import visible_opd_ids

    ids = visible_opd_ids(user)
    if ids is not None and len(ids) == 1:
        return OPD.objects.filter(pk__in=ids).first(), True
    return OPD.objects.filter(is_ppid_utama=True).first(), False


def register_file(user, kind: str, filters: RegisterFilters, records, fmt: str) -> bytes:
    """The register as a file: `records` is the register's queryset (every row of the year, not a page)."""
    if fmt == "pdf":
        with translation.override("id"):
            rows = register_rows(user, kind, records)
            headers, cells = register_table(kind, rows)
            opd, one_opd = register_letterhead_opd(user, filters)
            context = {
                "opd": opd, "title": register_title(kind), "period": register_period(filters),
                "scope": opd.name if one_opd and opd is not None else _("Seluruh OPD"),
                "headers": list(zip((col.key for col in REGISTER_COLUMNS[kind]), headers, strict=True)),
                "rows": cells, "generated_at": now(), "sign_date": today_wita(),
                "signatory": {"lines": opd.signature_lines(), "name": opd.signatory_name,
                              "nip": opd.signatory_nip if opd.signatory_name else ""} if opd else {"lines": ["PPID"]},
            }
        return render_pdf(REGISTER_TEMPLATE, context, language="id")
    headers, cells = register_table(kind, register_rows(user, kind, records))
    if fmt == "csv":
        return to_csv(headers, cells)
    return to_xlsx([(register_title(kind), headers, cells)])
