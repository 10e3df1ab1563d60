"""Loading the bench's rows fast: COPY of generated rows, the secondary indexes dropped during the load and
re-created after it, the id sequences moved past the explicit ids the seed wrote."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.db import connection, models

# Asia/Makassar as a fixed +08:00 (it keeps no daylight saving): the same instants, cheap in the per-row loops.
WITA = dt.timezone(dt.timedelta(hours=8))

_REQUIRED = object()


class Table:
    """COPY rows of one model: values by column name, defaults filled from the model so schema additions by
    other features (a new column with a default) do not break the seed.

    CSV with every string quoted, so the writer needs no per-value conversion: JSON values are passed as
    JSON text, dates and datetimes as objects (their str() is what PostgreSQL reads)."""

    def __init__(self, model, fixed: dict | None = None):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        fixed = fixed or {}
        spec = []
        for f in self.fields:
            if f.column in fixed:
                d = fixed[f.column]
            elif f.has_default():
                d = f.default() if callable(f.default) else f.default
            elif f.null:
                d = None
            elif isinstance(f, (models.CharField, models.TextField)) and not f.primary_key:
                d = ""
            else:
                d = _REQUIRED
            if isinstance(d, (dict, list)):
                d = json.dumps(d)
            spec.append((f.column, d))
        self.spec = spec
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, quoting=csv.QUOTE_NONNUMERIC)
        self.count = 0

    def add(self, **values):
        row = [values.get(c, d) for c, d in self.spec]
        if self.count == 0:  # the first row proves every required column is given
            missing = [c for (c, _), v in zip(self.spec, row, strict=True) if v is _REQUIRED]
            if missing:
                raise KeyError(f"{self.model._meta.db_table}: the bench seed gives no value for {missing}")
        self.writer.writerow(row)
        self.count += 1

    def flush(self):
        if not self.buf.tell():
            return
        self.buf.seek(0)
        with connection.cursor() as cur:
            cols = ", ".join(f'"{c}"' for c in self.columns)
            # The csv module quotes None as "" under QUOTE_NONNUMERIC: FORCE_NULL reads it as NULL in the
            # nullable columns (the seed never means an empty string there).
            nullable = ", ".join(f'"{f.column}"' for f in self.fields if f.null)
            force = f", FORCE_NULL ({nullable})" if nullable else ""
            cur.cursor.copy_expert(
                f'COPY "{self.model._meta.db_table}" ({cols}) FROM STDIN WITH (FORMAT csv{force})', self.buf)
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, quoting=csv.QUOTE_NONNUMERIC)


def drop_secondary_indexes(tables: list[str]) -> list[str]:
    """Drop indexes that back no constraint (re-created after the load: much faster than keeping them)."""
    with connection.cursor() as cur:
        cur.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [tables],
        )
        rows = cur.fetchall()
        for name, _ in rows:
            cur.execute(f'DROP INDEX "{name}"')
    return [d for _, d in rows]


def create_indexes(defs: list[str]) -> None:
    """Re-create the indexes drop_secondary_indexes dropped, once the rows are loaded."""
    with connection.cursor() as cur:
        # Django's foreign keys are deferred: check them now (CREATE INDEX refuses pending trigger events).
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET maintenance_work_mem = '256MB'")
        for d in defs:
            cur.execute(d)


def reset_sequence(cur, table: str) -> None:
    """The id sequence continues after the highest id written (rows were copied with explicit ids)."""
    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
