"""Loading another regency's or city's OPD directory from a CSV file (`manage.py import_opd`).

Every row is checked before anything is written, and all problems are reported at once with their line and
column; the file is imported in one transaction, or not at all. Codes already in the directory are left as they
are unless `update` is asked for. After the import exactly one OPD is the PPID Utama.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from ppid_portal.tabular_import import RowError, header_columns

from .models import OPD, Membership, OPDKind, Role
from .services import _head_title

# The code is the registration number's prefix (`<code>-<YYYY>-<NNNNN>`) and part of URLs (/dip/<code>/):
# upper-case letters and digits, no hyphen.
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,16}$")
COLUMNS = ("code", "name", "kind", "is_ppid_utama", "address", "phone", "email", "website", "head_title",
           "ppid_title", "signatory_name", "signatory_title", "signatory_nip")
REQUIRED = ("code", "name")
# Column names as a regency's own spreadsheet may have them (Bahasa Indonesia), lower case, "_" for spaces.
ALIASES = {
    "kode": "code", "nama": "name", "nama_opd": "name", "jenis": "kind", "ppid_utama": "is_ppid_utama",
    "utama": "is_ppid_utama", "alamat": "address", "telepon": "phone", "telp": "phone", "e_mail": "email",
    "situs_web": "website", "situs": "website", "jabatan_pimpinan": "head_title", "sebutan_ppid": "ppid_title",
    "nama_penanda_tangan": "signatory_name", "jabatan_penanda_tangan": "signatory_title",
    "nip_penanda_tangan": "signatory_nip",
}
TRUE_WORDS = {"1", "y", "ya", "yes", "true", "x", "benar"}
FALSE_WORDS = {"", "0", "n", "tidak", "no", "false", "salah"}


@dataclass
class OPDImport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # existing codes left untouched (no --update)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict  # column -> cleaned value, only the file's columns
    kind: str  # given, or told by the name's first word ("Dinas …" -> dinas), as seed_opd's directory has it


def _max_length(column: str) -> int | None:
    return OPD._meta.get_field(column).max_length


def _header(raw: list[str], errors: list[RowError]) -> list[str]:
    return header_columns(raw, columns=COLUMNS, aliases=ALIASES, required=REQUIRED, errors=errors)


def _kind_from_name(name: str) -> str:
    first = name.split(" ", 1)[0].lower()
    return first if first in OPDKind.values else ""


def _clean_row(line: int, raw: dict, errors: list[RowError]) -> _Row:
    values: dict = {}
    for column, value in raw.items():
        value = " ".join((value or "").split())  # stray spaces and line breaks from spreadsheets
        if column == "code":
            value = value.upper()
            if not value:
                errors.append(RowError(line, column, "required"))
            elif not CODE_PATTERN.match(value):
                errors.append(RowError(line, column, f"{value!r}: 2 to 16 letters A-Z or digits, no spaces or "
                                                     f"hyphens (it prefixes registration numbers)"))
        elif column == "name" and not value:
            errors.append(RowError(line, column, "required"))
        elif column == "kind":
            value = value.lower()
            if value and value not in OPDKind.values:
                errors.append(RowError(line, column, f"{value!r}: one of {', '.join(OPDKind.values)}"))
        elif column == "is_ppid_utama":
            if value.lower() in TRUE_WORDS:
                value = True
            elif value.lower() in FALSE_WORDS:
                value = False
            else:
                errors.append(RowError(line, column, f"{value!r}: write ya/1 or tidak/0"))
        elif column == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors.append(RowError(line, column, f"{value!r} is not an e-mail address"))
        elif column == "website" and value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                errors.append(RowError(line, column, f"{value!r} is not a web address (start with https://)"))
        elif column == "signatory_nip" and value:
            digits = value.replace(" ", "")
            if not (digits.isdigit() and len(digits) == 18):
                errors.append(RowError(line, column, "a NIP is 18 digits"))
        if isinstance(value, str) and column in COLUMNS and (limit := _max_length(column)) and len(value) > limit:
            errors.append(RowError(line, column, f"at most {limit} characters ({len(value)} given)"))
        values[column] = value
    if values.get("signatory_nip") and not values.get("signatory_name"):
        errors.append(RowError(line, "signatory_name", "name the official whose NIP is given"))
    kind = values.get("kind") or _kind_from_name(values.get("name", ""))
    if not kind and values.get("name"):
        errors.append(RowError(line, "kind", f"cannot tell from the name; give one of {', '.join(OPDKind.values)}"))
    if "kind" in values:
        values["kind"] = kind
    return _Row(line=line, values=values, kind=kind)


def _read(text: str, errors: list[RowError]) -> list[_Row]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        errors.append(RowError(None, "-", "the file is empty"))
        return []
    columns = _header(header, errors)
    if errors:
        return []
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and not any(cell.strip() for cell in cells[len(columns):]):
            cells = cells[:len(columns)]  # a spreadsheet's trailing empty cells
        if len(cells) != len(columns):
            errors.append(RowError(line, "-", f"{len(cells)} values for {len(columns)} columns"))
            continue
        rows.append(_clean_row(line, dict(zip(columns, cells, strict=True)), errors))
    if not rows and not errors:
        errors.append(RowError(None, "-", "no OPD rows under the header"))
    return rows


def _check_codes_and_utama(rows: list[_Row], update: bool, errors: list[RowError]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        code = row.values.get("code")
        if not code:
            continue
        if code in first_line:
            errors.append(RowError(row.line, "code", f"{code} is already on line {first_line[code]}"))
        else:
            first_line[code] = row.line
    existing = dict(OPD.objects.values_list("code", "is_ppid_utama"))
    final = dict(existing)
    for row in rows:
        code = row.values.get("code")
        if code and (code not in existing or update):
            final[code] = row.values.get("is_ppid_utama", existing.get(code, False))
    utama = sorted(code for code, is_utama in final.items() if is_utama)
    if len(utama) == 1:
        pass
    elif not utama:
        errors.append(RowError(None, "is_ppid_utama", "no OPD is the PPID Utama: mark exactly one row (ya/1)"))
    else:
        marked = [row for row in rows if row.values.get("is_ppid_utama") is True]
        for row in marked or [None]:
            errors.append(RowError(row.line if row else None, "is_ppid_utama",
                                   f"exactly one PPID Utama is allowed; after this import it would be "
                                   f"{', '.join(utama)}"))
    # An OPD that stops being the PPID Utama must not keep Admin PPID Utama accounts (the role reaches every OPD).
    for row in rows:
        code = row.values.get("code")
        if (update and existing.get(code) and final.get(code) is False
                and Membership.objects.filter(opd__code=code, role=Role.UTAMA).exists()):
            errors.append(RowError(row.line, "is_ppid_utama", f"{code} has Admin PPID Utama accounts; move them "
                                                              f"to the new PPID Utama first"))


def _defaults(row: _Row) -> dict:
    """A new OPD's fields, with what seed_opd derives when the file leaves it blank."""
    values = row.values
    data = {column: values.get(column, "") for column in COLUMNS if column not in ("code", "is_ppid_utama")}
    data["kind"] = row.kind
    data["is_ppid_utama"] = bool(values.get("is_ppid_utama", False))
    data["head_title"] = data["head_title"] or _head_title(data["name"], data["kind"])
    data["ppid_title"] = data["ppid_title"] or ("PPID Utama" if data["is_ppid_utama"] else "PPID Pelaksana")
    return data


def opd_import(text: str, *, update: bool = False, dry_run: bool = False) -> OPDImport:
    """Check and import the OPD rows of a CSV text. With any error nothing is written (result.errors)."""
    result = OPDImport()
    rows = _read(text, result.errors)
    if result.errors:
        return result
    _check_codes_and_utama(rows, update, result.errors)
    if result.errors:
        return result
    existing = {opd.code: opd for opd in OPD.objects.all()}
    with transaction.atomic():
        for row in rows:
            code, values = row.values["code"], row.values
            opd = existing.get(code)
            if opd is None:
                result.created.append(code)
                if not dry_run:
                    OPD.objects.create(code=code, **_defaults(row))
            elif not update:
                result.skipped.append(code)
            else:
                result.updated.append(code)
                changed = [column for column in values if column != "code"]
                for column in changed:
                    setattr(opd, column, values[column])
                if "head_title" in values and not opd.head_title:
                    opd.head_title = _head_title(opd.name, opd.kind)
                if "ppid_title" in values and not opd.ppid_title:
                    opd.ppid_title = "PPID Utama" if opd.is_ppid_utama else "PPID Pelaksana"
                if not dry_run:
                    opd.save(update_fields=changed)
    return result

