"""POST /api/v1/cases/: a request received at the desk, by letter, phone, e-mail or fax, recorded by an officer for
its requester. The clock runs from when it was received, the number is taken when it is recorded (in the year it was
received), the case is the requester's and its history names the officer and the channel."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from requests_app.models import Case, EventKind, Notification
from requests_app.tracking import check_tracking_code, display
from tests.conftest import png_bytes, request_data

WITA = dt.timezone(dt.timedelta(hours=8))
# Tuesday 17 March 2026, 10:00 WITA: "last Friday" is 13 March 2026, whose 10th working day (skipping Nyepi, Idul
# Fitri with its cuti bersama, and Good Friday) is Monday 6 April 2026.
TUESDAY = dt.datetime(2026, 3, 17, 10, 0, tzinfo=WITA)
LAST_FRIDAY = dt.datetime(2026, 3, 13, 14, 30, tzinfo=WITA)


def desk_data(**overrides) -> dict:
    data = request_data()
    data.update(channel="desk")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def clock():
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def api(opds, calendar, officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def record(client, **overrides):
    return client.post("/api/v1/cases/", desk_data(**overrides), format="multipart")


def test_a_request_received_last_friday_is_due_counted_from_that_friday(api, officer, clock):
    response = record(api, received_at=LAST_FRIDAY.isoformat(), received_note="Surat diterima Jumat sore.")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registration_number"] == "DINKES-2026-00001"
    assert body["channel"] == "desk" and body["status"] == "submitted" and body["opd"] == "DINKES"
    assert body["due_date"] == "2026-04-06"
    assert dt.datetime.fromisoformat(body["received_at"]) == LAST_FRIDAY
    case = Case.objects.get()
    assert case.received_on == dt.date(2026, 3, 13) and case.due_date == dt.date(2026, 4, 6)
    assert case.received_note == "Surat diterima Jumat sore."
    # The tracking code is in the answer only, stored hashed.
    assert check_tracking_code(body["tracking_code"], case.tracking_code_hash)


def test_a_weekend_receipt_counts_from_the_next_working_day(opds, calendar, officer):
    api = APIClient()
    api.force_authenticate(officer)
    with time_machine.travel(dt.datetime(2026, 2, 9, 10, 0, tzinfo=WITA), tick=False):
        response = record(api, received_at="2026-02-07T11:00:00+08:00", received_note="Dititipkan ke satpam Sabtu.")
    assert response.status_code == 201, response.content
    assert response.json()["due_date"] == "2026-02-25"  # as a web submission on Saturday 7 February
    assert Case.objects.get().received_on == dt.date(2026, 2, 9)


def test_the_number_is_taken_in_the_year_received_and_stays_gap_free(opds, calendar, officer, submit):
    api = APIClient()
    api.force_authenticate(officer)
    with time_machine.travel(dt.datetime(2026, 1, 2, 9, 0, tzinfo=WITA), tick=False):
        late = record(api, received_at="2025-12-31T15:00:00+08:00", received_note="Surat akhir tahun.").json()
        web = submit().case
        later = record(api, received_at="2025-12-30T08:00:00Z", received_note="Faks akhir tahun.",
                       channel="fax").json()
    assert late["registration_number"] == "DINKES-2025-00001"
    assert web.registration_number == "DINKES-2026-00001"
    assert later["registration_number"] == "DINKES-2025-00002"


def test_received_at_defaults_to_now_and_channel_to_desk(api, clock):
    data = desk_data()
    data.pop("channel")
    response = api.post("/api/v1/cases/", data, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "desk"
    assert Case.objects.get().received_at == TUESDAY


@pytest.mark.parametrize(("received_at", "note", "field", "fragment"), [
    ("2026-03-17T10:05:00+08:00", "", "received_at", "masa depan"),  # five minutes ahead
    ("2026-02-14T09:00:00+08:00", "Surat lama.", "received_at", "30 hari"),  # 31 days back
    ("2026-03-16T09:00:00+08:00", "", "received_note", "Jelaskan"),  # yesterday, no note
    ("2026-03-16T09:00:00", "Kemarin.", "received_at", "zona waktu"),  # no offset
])
def test_received_at_rules_are_400_on_their_field(api, clock, received_at, note, field, fragment):
    response = record(api, received_at=received_at, received_note=note)
    assert response.status_code == 400
    assert fragment in " ".join(response.json()[field])
    assert not Case.objects.exists()


def test_thirty_days_back_with_a_note_and_a_moment_ago_without_one_are_accepted(api, clock):
    assert record(api, received_at="2026-02-15T09:00:00+08:00", received_note="Surat tertumpuk.").status_code == 201
    assert record(api, received_at="2026-03-17T09:30:00+08:00").status_code == 201  # within the hour: "now"


def test_the_web_channel_is_not_for_the_desk(api, clock):
    response = record(api, channel="web")
    assert response.status_code == 400 and "channel" in response.json()


@pytest.mark.parametrize(("field", "length"), [("received_note", 501), ("on_behalf_of", 201), ("name", 201),
                                               ("address", 10_001)])
def test_length_limits(api, clock, field, length):
    overrides = {field: "x" * length, "received_at": "2026-03-16T09:00:00+08:00", "received_note": "Kemarin."}
    if field == "received_note":
        overrides["received_note"] = "x" * length
    response = record(api, **overrides)
    assert response.status_code == 400 and field in response.json()
    assert not Case.objects.exists()


def test_an_officer_of_another_opd_gets_404_and_nothing_is_recorded(opds, calendar, other_officer, clock):
    api = APIClient()
    api.force_authenticate(other_officer)
    assert record(api).status_code == 404
    assert record(api, opd="NOPE").status_code == 404  # an unknown code answers alike
    assert not Case.objects.exists()
    # Its own OPD is fine.
    assert record(api, opd="DPUPR").json()["registration_number"] == "DPUPR-2026-00001"


def test_who_may_record(opds, calendar, atasan, admin_utama, clock):
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.create_user(username="warga", password="pw-Secret-1")
    answers = {}
    for name, user in (("anonymous", None), ("citizen", citizen), ("atasan", atasan), ("utama", admin_utama)):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        answers[name] = record(client, opd="BAPPEDA" if name == "utama" else "DINKES").status_code
    assert answers == {"anonymous": 401, "citizen": 403, "atasan": 201, "utama": 201}


def test_a_missing_opd_is_a_field_error(api, clock):
    response = record(api, opd="")
    assert response.status_code == 400 and "opd" in response.json()


def test_the_case_is_the_requesters_and_the_event_names_the_officer_and_the_channel(
        api, officer, officer2, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = record(api, channel="phone").json()
    case = Case.objects.get()
    assert case.requester_user is None  # never the officer's account
    assert case.channel == "phone" and case.identity_owed is True
    event = case.events.get()
    assert event.kind == EventKind.SUBMITTED and event.actor == officer and event.public
    assert event.data["channel"] == "phone" and event.data["recorded_by"] == "petugas.dinkes"
    assert "melalui telepon" in event.note and "dicatat oleh petugas" in event.note
    # The officer's own account is no proof of being the requester.
    assert Case.objects.filter(requester_user=officer).count() == 0
    # The requester gets the receipt with the code; the other officer of the OPD hears of the new case, the one who
    # recorded it does not.
    receipt = next(m for m in mail.outbox if m.to == ["siti@example.org"])
    assert display(body["tracking_code"]) in receipt.body
    notices = Notification.objects.filter(kind="new_case")
    assert [n.recipient_user for n in notices] == [officer2]


def test_the_event_note_shows_in_english_for_an_english_reader(api, clock):
    record(api, channel="letter")
    from django.utils import translation

    with translation.override("en"):
        assert "letter" in Case.objects.get().events.get().note_display.lower()


def test_without_identity_document_the_case_shows_it_is_owed(api, clock):
    body = record(api).json()
    case = Case.objects.get()
    assert case.identity_owed and not case.identity_document
    detail = api.get(f"/api/v1/cases/{body['registration_number']}/").json()
    assert detail["identity_owed"] is True and detail["channel"] == "desk"


def test_an_identity_document_given_at_the_desk_is_checked_by_content(api, clock):
    good = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    assert record(api, identity_document=good).status_code == 201
    case = Case.objects.get()
    assert not case.identity_owed and case.identity_document_type == "image/png"
    fake = SimpleUploadedFile("ktp.png", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    response = record(api, identity_document=fake)
    assert response.status_code == 400 and "identity_document" in response.json()


def test_json_works_too_without_files(api, clock):
    response = api.post("/api/v1/cases/", desk_data(channel="email"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "email"


def test_the_public_path_still_refuses_a_request_without_identity_document(opds, calendar):
    response = APIClient().post("/api/v1/requests/", request_data(), format="multipart")
    assert response.status_code == 400 and "identity_document" in response.json()


def test_the_service_refuses_a_caller_that_skipped_the_checks(opds, calendar, officer, other_officer, clock):
    from ppid_portal.errors import MissingField, NotPermitted
    from requests_app.services.intake import request_record

    data = request_data()
    data.pop("opd")
    with pytest.raises(NotPermitted):
        request_record(opd=opds["DINKES"], data=data, recorded_by=other_officer)
    with pytest.raises(MissingField) as future:
        request_record(opd=opds["DINKES"], data=data, recorded_by=officer,
                       received_at=TUESDAY + dt.timedelta(hours=1))
    assert future.value.field == "received_at"
    with pytest.raises(MissingField) as web:
        request_record(opd=opds["DINKES"], data=data, recorded_by=officer, channel="web")
    assert web.value.field == "channel"
    assert not Case.objects.exists()


def test_the_openapi_schema_describes_the_desk_intake(db):
    import io

    import yaml
    from django.core.management import call_command

    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    post = schema["paths"]["/api/v1/cases/"]["post"]
    body = post["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][body]["properties"]
    assert {"channel", "received_at", "received_note", "identity_document", "authority_document",
            "on_behalf_of"} <= set(fields)
    assert "identity_document" not in schema["components"]["schemas"][body].get("required", [])
    created = post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "channel" in schema["components"]["schemas"][created]["properties"]
