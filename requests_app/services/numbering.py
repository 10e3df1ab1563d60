"""Gap-free yearly sequences per OPD (registration numbers, objection numbers)."""

from django.db import connection, models


def sequence_next(*, counter_model: type[models.Model], opd, year: int) -> int:
    """Take the OPD's next number for the year. Must run inside a transaction: the counter row stays locked
    until it ends and a rollback gives the number back, so numbers have no gaps. `counter_model` has opd, year,
    last_value and a unique (opd, year) constraint.

    One statement: the year's first number creates the row, every later one adds to it, and the row lock is
    taken by that same statement, so the OPD's other submitters wait for one round trip less."""
    meta = counter_model._meta
    table = connection.ops.quote_name(meta.db_table)
    opd_col = meta.get_field("opd").column
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} ({opd_col}, year, last_value) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({opd_col}, year) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [opd.pk, year],
        )
        return cur.fetchone()[0]
