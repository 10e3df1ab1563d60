"""Registration numbers stay unique and gap-free when many requests arrive at once (PostgreSQL row locks)."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from opd_app.models import OPD
from requests_app.models import Case
from requests_app.services.intake import request_submit
from tests.conftest import png_bytes, request_data

THREADS = 8
PER_THREAD = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_unique_gap_free_numbers(opds, calendar):
    opd = OPD.objects.get(code="DINKES")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                data = request_data()
                data.pop("opd")
                request_submit(opd=opd, data=data,
                               identity_document=SimpleUploadedFile("k.png", png_bytes(), content_type="image/png"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    sequences = sorted(Case.objects.filter(registered_opd=opd).values_list("sequence", flat=True))
    assert sequences == list(range(1, THREADS * PER_THREAD + 1))
    numbers = set(Case.objects.values_list("registration_number", flat=True))
    assert len(numbers) == THREADS * PER_THREAD
    assert all(n.startswith("DINKES-") and len(n.split("-")[-1]) == 5 for n in numbers)


@pytest.mark.django_db(transaction=True)
def test_a_failed_submission_gives_its_number_back(opds, calendar, monkeypatch):
    from requests_app.services import intake

    opd = OPD.objects.get(code="DINKES")
    data = request_data()
    data.pop("opd")

    def boom(**kwargs):
        raise RuntimeError("event store down")

    monkeypatch.setattr(intake, "event_record", boom)
    with pytest.raises(RuntimeError):
        request_submit(opd=opd, data=dict(data), identity_document=SimpleUploadedFile("k.png", png_bytes()))
    monkeypatch.undo()
    case = request_submit(opd=opd, data=dict(data), identity_document=SimpleUploadedFile("k.png", png_bytes())).case
    assert case.sequence == 1
