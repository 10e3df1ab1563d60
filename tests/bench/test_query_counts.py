"""The officer queue (page and API) and the compliance figures run a constant number of SQL queries,
whatever the number of cases: the bench's targets at 200,000 and 1,000,000 cases depend on it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from ppid_portal.clock import WITA
from tests.requests_app.queue_cases import TODAY, make_cases

MAX_QUERIES = 10
MAX_SUBMISSION_QUERIES = 15  # as the test counts them: two of its savepoints and their releases included


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    return len(ctx.captured_queries), response


@pytest.fixture
def frozen():
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=WITA), tick=False):
        yield


def test_queue_page_queries_do_not_grow_with_cases(client, opds, calendar, officer, other_officer, frozen):
    client.force_login(officer)
    make_cases(opds["DINKES"], 5, officer=officer)
    make_cases(opds["DPUPR"], 30, officer=other_officer)  # another OPD's cases: never shown, never counted
    few, resp = count_queries(lambda: client.get("/petugas/"))
    assert resp.status_code == 200
    assert resp.content.count(b'<tr class="row-') == 5

    make_cases(opds["DINKES"], 55, officer=officer, start=5)
    many, resp = count_queries(lambda: client.get("/petugas/"))
    assert resp.status_code == 200
    assert resp.content.count(b'<tr class="row-') == 50  # one page of 50 out of 60
    many_page2, resp2 = count_queries(lambda: client.get("/petugas/?page=2"))
    assert resp2.content.count(b'<tr class="row-') == 10
    assert few == many == many_page2
    assert many <= MAX_QUERIES


def test_queue_api_queries_do_not_grow_with_cases(client, opds, calendar, officer, frozen):
    token = Token.objects.create(user=officer)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    make_cases(opds["DINKES"], 5, officer=officer)
    few, resp = count_queries(lambda: client.get("/api/v1/cases/", **headers))
    assert resp.status_code == 200 and resp.json()["count"] == 5

    make_cases(opds["DINKES"], 55, officer=officer, start=5)
    many, resp = count_queries(lambda: client.get("/api/v1/cases/", **headers))
    body = resp.json()
    assert body["count"] == 60 and len(body["results"]) == 50
    # Ordered by statutory deadline, most urgent first.
    dues = [r["due_date"] for r in body["results"]]
    assert dues == sorted(dues)
    assert few == many
    assert many <= MAX_QUERIES


def test_compliance_figures_queries_do_not_grow_with_cases_or_opds(opds, calendar, officer, other_officer, frozen):
    from compliance_app.selectors import Period, compliance_figures

    period = Period.for_year(2026)
    make_cases(opds["DINKES"], 3, officer=officer)
    few, figures = count_queries(lambda: compliance_figures(period=period, today=TODAY))
    assert figures["total"]["received"] == 3

    make_cases(opds["DINKES"], 60, officer=officer, start=3)
    make_cases(opds["DPUPR"], 40, officer=other_officer)
    make_cases(opds["BAPPEDA"], 7)
    many, figures = count_queries(lambda: compliance_figures(period=period, today=TODAY))
    assert figures["total"]["received"] == 110
    by_code = {row["opd"]: row["received"] for row in figures["opds"]}
    assert (by_code["DINKES"], by_code["DPUPR"], by_code["BAPPEDA"]) == (63, 40, 7)
    assert few == many
    assert many <= MAX_QUERIES


def test_dashboard_api_queries_do_not_grow_with_cases(client, opds, calendar, officer, other_officer, admin_utama,
                                                      frozen):
    client.force_login(admin_utama)
    make_cases(opds["DINKES"], 2, officer=officer)
    few, resp = count_queries(lambda: client.get("/api/v1/compliance/?year=2026"))
    assert resp.status_code == 200 and resp.json()["total"]["received"] == 2

    make_cases(opds["DINKES"], 58, officer=officer, start=2)
    make_cases(opds["DPUPR"], 25, officer=other_officer)
    many, resp = count_queries(lambda: client.get("/api/v1/compliance/?year=2026"))
    body = resp.json()
    assert body["total"]["received"] == 85
    assert {row["opd"]: row["received"] for row in body["opds"]}["DPUPR"] == 25
    assert few == many
    assert many <= MAX_QUERIES


@pytest.mark.parametrize("contact", [
    {},  # e-mail and phone: the receipt by e-mail and by text message
    {"email": "", "delivery_method": "pickup"},  # phone only: the receipt also waits in the letters to deliver
], ids=["email-and-phone", "phone-only-pickup"])
def test_a_submission_runs_a_fixed_set_of_statements_and_two_broker_messages(client, opds, calendar, officer,
                                                                             officer2, frozen, settings, tmp_path,
                                                                             contact,
                                                                             django_capture_on_commit_callbacks):
    """The citizen's form: no savepoint around the outbox rows (a duplicate is skipped by the INSERT itself), one
    INSERT for the requester's receipt (e-mail and text message) and all officers' notices, and at commit two
    messages: the receipt's e-mail (the only one with the tracking code) and one batch for all the others."""
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile

    from requests_app.models import LetterDelivery, Notification
    from requests_app.tasks import send_notifications_task, send_receipt_task
    from tests.conftest import png_bytes, request_data

    settings.PPID_SMS_BACKEND, settings.PPID_SMS_FILE_PATH = "file", str(tmp_path)

    def post():
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return client.post("/permohonan/baru/", {**request_data(**contact), "identity_document": upload})

    post()  # the OPD's counter for the year exists from now on, as it does for all but one submission a year
    with mock.patch.object(send_receipt_task, "apply_async") as receipt, \
            mock.patch.object(send_notifications_task, "apply_async") as batch, \
            django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as ctx:
        response = post()
    assert response.status_code == 302
    statements = [q["sql"] for q in ctx.captured_queries]
    # The request's own transaction and the session's save only (savepoints here, as the test runs inside a
    # transaction; BEGIN in production): none around the outbox rows or the counter.
    assert sum(s.startswith("SAVEPOINT") for s in statements) == 2, statements
    assert sum('INSERT INTO "requests_app_notification"' in s for s in statements) == 1  # receipt, text, officers
    handed_over = bool(contact)
    assert sum('INSERT INTO "requests_app_letterdelivery"' in s for s in statements) == int(handed_over)
    assert len(statements) <= MAX_SUBMISSION_QUERIES + handed_over, "\n".join(statements)
    # While the OPD's counter is locked (its other submitters wait) the request only writes: the officers, the
    # requester's session and the holidays are read before.
    locked = next(i for i, s in enumerate(statements) if '"requests_app_registrationcounter"' in s)
    assert "ON CONFLICT" in statements[locked]  # the counter is taken and advanced by one statement
    committed = next(i for i, s in enumerate(statements) if i > locked and s.startswith("RELEASE SAVEPOINT"))
    assert all(s.startswith(("INSERT", "UPDATE")) for s in statements[locked + 1:committed]), statements
    case_rows = Notification.objects.filter(case__registration_number__endswith="-00002")
    officers = case_rows.filter(kind="new_case")
    text = case_rows.get(kind="receipt", channel="sms")
    assert officers.count() == 2
    assert case_rows.filter(kind="receipt", channel="email").count() == (0 if handed_over else 1)
    assert LetterDelivery.objects.filter(case__registration_number__endswith="-00002").count() == int(handed_over)
    if handed_over:  # no e-mail: nothing carries the code, and the one message is the batch
        assert receipt.call_count == 0
    else:
        assert receipt.call_count == 1 and receipt.call_args.args[1]["tracking_code"]
    assert batch.call_count == 1
    assert sorted(batch.call_args.args[0][0]) == sorted([*(r.pk for r in officers), text.pk])
