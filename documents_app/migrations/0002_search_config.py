"""PostgreSQL only: the `ppid_indonesian` text search configuration and the GIN index on search_vector.

PostgreSQL 12+ ships a Snowball `indonesian` configuration (stems me-/ber-/di-/-kan/-an...); older
servers get a copy of `simple`. Where the `unaccent` extension can be created, accents are folded
first (e.g. "Kutai Kartanegara" matches "Kartanégara" in scanned text). Each step runs in a savepoint,
so a database user that may not create extensions still gets a working configuration.
"""

from django.db import migrations, transaction

# The name documents_app.search.SEARCH_CONFIG searches with; written out, as a migration does not follow app code.
CONFIG = "ppid_indonesian"
TOKENS = "asciiword, word, hword, hword_part, hword_asciipart, asciihword, numword, numhword"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
        if cursor.fetchone() is None:
            cursor.execute("SELECT 1 FROM pg_ts_dict WHERE dictname = 'indonesian_stem'")
            stem = "indonesian_stem" if cursor.fetchone() else "simple"
            source = "pg_catalog.indonesian" if stem != "simple" else "pg_catalog.simple"
            cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = {source})")
            has_unaccent = False
            try:
                with transaction.atomic(using=schema_editor.connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
                has_unaccent = True
            except Exception:  # noqa: BLE001 - no right to create extensions: go on without accent folding
                has_unaccent = False
            if has_unaccent:
                cursor.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {TOKENS} "
                               f"WITH unaccent, {stem}")
        table = apps.get_model("documents_app", "Document")._meta.db_table
        cursor.execute(f"CREATE INDEX IF NOT EXISTS document_search_gin ON {table} USING gin (search_vector)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS document_search_gin")
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("documents_app", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
