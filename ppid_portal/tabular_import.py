"""What every spreadsheet import shares: an error that names its line and field, and the reading of the header row
(names matched case- and spacing-insensitively, aliases, unknown or repeated columns, required ones missing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    line: int | None  # the file's line (the header is line 1); None for the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}, {self.field}: {self.message}"


def header_columns(names: Iterable[str], *, columns: Iterable[str], aliases: Mapping[str, str],
                   required: Iterable[str], errors: list[RowError]) -> list[str]:
    """The header's column keys in file order ("Nama OPD" and "nama-opd" both read "nama_opd", then its alias);
    what is wrong with the header goes into `errors` as line 1."""
    known = list(columns)
    keys: list[str] = []
    for name in names:
        name = (name or "").strip()
        key = re.sub(r"[\s\-]+", "_", name.lower())
        key = aliases.get(key, key)
        if key not in known:
            errors.append(RowError(1, name or "-", f"unknown column; the columns are {', '.join(known)}"))
        elif key in keys:
            errors.append(RowError(1, name, "column given twice"))
        keys.append(key)
    for column in required:
        if column not in keys:
            errors.append(RowError(1, column, "required column is missing"))
    return keys
