"""Timeline notes the portal writes are kept in Bahasa Indonesia and shown in the reader's language."""

import datetime as dt

import time_machine
from django.test import Client
from rest_framework.test import APIClient

from requests_app.event_notes import note_display
from requests_app.models import CaseEvent, EventKind
from requests_app.services.actions import case_acknowledge, case_forward

WITA = dt.timezone(dt.timedelta(hours=8))


def test_system_notes_are_stored_in_indonesian_and_shown_in_english_to_an_english_reader(submit, officer, opds):
    submission = submit()
    case = submission.case
    case_acknowledge(case=case, actor=officer)
    case_forward(case=case, actor=officer, to_opd=opds["DPUPR"])
    received = case.events.get(kind=EventKind.SUBMITTED)
    assert received.note.startswith("Permohonan diterima oleh")  # the record itself never changes
    client = Client()
    ok = client.post("/lacak/", {"registration_number": case.registration_number,
                                 "tracking_code": submission.tracking_code})
    page = client.get(ok["Location"]).content.decode()
    assert "Permohonan diterima oleh" in page and "Permohonan sedang diproses." in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(ok["Location"]).content.decode()
    assert "Request received by the" in page and "Dinas Kesehatan" in page
    assert "The request is being processed." in page
    assert "Forwarded from Dinas Kesehatan to" in page
    assert "Permohonan diterima oleh" not in page and "Permohonan sedang diproses" not in page


def test_api_timeline_note_follows_the_requests_language(submit, officer):
    case = submit().case
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/cases/{case.registration_number}/"
    notes = lambda lang: [e["note"] for e in api.get(url, HTTP_ACCEPT_LANGUAGE=lang).json()["events"]]  # noqa: E731
    assert notes("id")[0].startswith("Permohonan diterima oleh")
    assert notes("en")[0].startswith("Request received by the")


def test_notes_written_by_people_and_old_system_notes_show_as_stored(submit, officer):
    from django.utils import translation

    case = submit().case
    case_acknowledge(case=case, actor=officer, note="Sedang dicari di arsip bidang P2P.")
    with translation.override("en"):
        assert note_display(case.events.get(kind=EventKind.ACKNOWLEDGED)) == "Sedang dicari di arsip bidang P2P."
        old = CaseEvent(case=case, kind=EventKind.CLOSED, note="Permohonan selesai.", data={})
        assert note_display(old) == "Permohonan selesai."
        # The sweep's first-overdue event (written in SQL) is recognised by its kind and due date.
        overdue = CaseEvent(case=case, kind=EventKind.OVERDUE, data={"due_date": "2026-04-06"},
                            note="Batas waktu 06-04-2026 terlewati tanpa pemberitahuan tertulis.")
        assert note_display(overdue) == "The deadline of 06-04-2026 passed without a written notice."


def test_holiday_edit_note_is_translated(submit, admin_utama):
    from django.utils import translation

    from requests_app.services.holidays import holiday_add

    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        case = submit().case
        holiday_add(date=dt.date(2026, 3, 25), name="Hari jadi (contoh)", kind="local", actor=admin_utama)
    moved = case.events.get(kind=EventKind.DUE_DATE_CHANGED)
    assert moved.note.startswith("Batas waktu berubah dari 06-04-2026 menjadi 07-04-2026")
    with translation.override("en"):
        assert note_display(moved).startswith("The deadline moved from 06-04-2026 to 07-04-2026 because the holiday")
