"""The submission's fair floor does the work every submission needs: it reads the citizen's multipart form and the
identity scan, stores the scan, and commits one row with the form's fields."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from bench.floors_sql import SUBMISSION_FLOOR_TABLE, submission_floor_ddl
from bench.pages import multipart, png_bytes, request_fields


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fair_floor_stores_the_scan_and_one_row(client, tmp_path, settings):
    # Both through the `settings` fixture, which undoes them in order (an override_settings decorator around it
    # would leave the bench URLconf behind when the fixture restores what it saw inside the decorator).
    settings.ROOT_URLCONF = "bench.urls"
    settings.MEDIA_ROOT = str(tmp_path)
    with connection.cursor() as cur:
        for statement in submission_floor_ddl():
            cur.execute(statement)
    try:
        body, ctype = multipart(request_fields("DINKES"), {"identity_document": ("ktp.png", png_bytes(),
                                                                                 "image/png")})
        resp = client.generic("POST", "/_bench/submit/", body, content_type=ctype)
        assert resp.status_code == 201, resp.content
        with connection.cursor() as cur:
            cur.execute(f"SELECT opd, name, publish_consent, identity_document FROM {SUBMISSION_FLOOR_TABLE}")
            rows = cur.fetchall()
        assert len(rows) == 1
        opd, name, consent, stored = rows[0]
        assert (opd, name, consent) == ("DINKES", "Siti Rahmawati", "true")
        with default_storage.open(stored) as fh:
            assert fh.read() == png_bytes()
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {SUBMISSION_FLOOR_TABLE}")
