"""Every write to the library, by concept: intake.py (upload, metadata, replacement file, a case's material),
scanning.py (text extraction and the personal-data scan), publication.py (confirm, publish, unpublish),
stale.py (scans that never finished), records.py (events, the search index, the row lock). Keyword-only,
atomic, events in the same transaction, work for Celery scheduled on commit."""
