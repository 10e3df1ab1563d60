"""The published documents the bench's search runs over: 10% as many as the cases, with extracted text, once the
documents app exists."""

from __future__ import annotations

import datetime as dt
from bisect import bisect

from django.apps import apps
from django.db import connection, models

from bench.bulk import WITA, Table, reset_sequence
from bench.floors_sql import fts_config
from bench.words import COMMON_WORD, DOC_WORDS, RARE_WORD


def documents_model():
    """The published-document model, once the documents app has one (else None)."""
    try:
        return apps.get_model("documents_app", "Document")
    except LookupError:
        return None


def seed_documents(n: int, *, today, officers, rnd, opds, cum) -> int | str:
    """`n` published documents with extracted text (a common word in many, a rare word in one), spread over the
    OPD as the cases are; their search vectors as the app writes them."""
    model = documents_model()
    if model is None:
        return "not available"
    cols = {f.column: f for f in model._meta.concrete_fields}
    t = Table(model)
    fixed = {}
    for col, f in cols.items():
        if col in ("id",):
            continue
        if isinstance(f, models.ForeignKey) and col.endswith("opd_id"):
            continue
        if isinstance(f, models.FileField):
            fixed[col] = "documents/bench.pdf"
    ids = []
    for i in range(n):
        opd = opds[bisect(cum, rnd.random() * cum[-1])]
        words = rnd.choices(DOC_WORDS, k=300)
        if i % 10 == 0:
            words.append(COMMON_WORD)
        else:
            words.insert(5, COMMON_WORD) if rnd.random() < 0.3 else None
        if i == n // 2:
            words.append(RARE_WORD)
        text = " ".join(words)
        when = dt.datetime.combine(today - dt.timedelta(days=rnd.randint(0, 3 * 365)), dt.time(9, 0), WITA)
        values = {"id": i + 1, **fixed}
        for col, f in cols.items():
            name = f.name
            if col in values:
                continue
            if isinstance(f, models.ForeignKey):
                target = f.related_model._meta.label_lower
                if target == "opd_app.opd":
                    values[col] = opd.pk
                elif target == "auth.user":
                    values[col] = officers[opd.pk][0]
                elif not f.null:
                    raise KeyError(f"documents seed: no value for {col}")
                continue
            if name == "title":
                values[col] = f"Dokumen {' '.join(words[:4]).title()} {i + 1}"
            elif name in ("summary", "description"):
                values[col] = " ".join(words[:20])
            elif name in ("extracted_text", "text", "body", "content"):
                values[col] = text
            elif name == "scan_state":
                values[col] = "done"
            elif name == "original_filename":
                values[col] = f"dokumen-{i + 1}.pdf"
            elif name == "status":
                values[col] = "published"
            elif name == "category":
                values[col] = rnd.choice(["berkala", "serta_merta", "setiap_saat"])
            elif name in ("sha256", "checksum"):
                values[col] = f"{i:064x}"
            elif name in ("size", "file_size"):
                values[col] = 100_000 + i
            elif name == "filename":
                values[col] = f"dokumen-{i + 1}.pdf"
            elif name == "content_type":
                values[col] = "application/pdf"
            elif isinstance(f, models.DateTimeField):
                values[col] = when
            elif isinstance(f, models.DateField):
                values[col] = when.date()
            elif f.get_internal_type() == "SearchVectorField" or type(f).__name__ == "SearchVectorField":
                values[col] = None  # filled below with the app's own configuration
        t.add(**values)
        ids.append(i + 1)
    t.flush()
    with connection.cursor() as cur:
        tbl = model._meta.db_table
        if "search_vector" in cols:
            # What documents_app.services.records.document_index writes, set-based.
            cfg = fts_config()
            cur.execute(f"""UPDATE {tbl} SET search_vector =
                setweight(to_tsvector('{cfg}', coalesce(title, '')), 'A')
                || setweight(to_tsvector('{cfg}', coalesce(summary, '')), 'B')
                || setweight(to_tsvector('{cfg}', coalesce(extracted_text, '')), 'C')""")
        reset_sequence(cur, tbl)
    return n
