"""The officer's case page keeps the officer's work: an invalid action re-renders the page (400) with its panel
open, the typed values kept and each error beside its field; the answer asks only for what its decision needs;
what cannot be undone (the answer, the extension, the forwarding) is shown for review first and happens only
when confirmed."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.utils import translation
from django.utils.formats import date_format

from requests_app.models import Case, CaseAttachment, CaseEvent, EventKind, LetterCounter, Notification, Status
from tests.conftest import dik_entry_make, pdf_bytes, pdf_text

WITA = dt.timezone(dt.timedelta(hours=8))
SUBMIT_AT = dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA)  # due Mon 6 Apr 2026
WORK_AT = dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA)

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def case(submit):
    with time_machine.travel(SUBMIT_AT, tick=False):
        return submit().case


@pytest.fixture
def page(officer):
    client = Client()
    client.force_login(officer)
    return client


@pytest.fixture(autouse=True)
def _working_day():
    with time_machine.travel(WORK_AT, tick=False):
        yield


def post(client, case, **body):
    # What an action schedules on commit (e-mails) runs, as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/petugas/kasus/{case.registration_number}/aksi/", body)


def html(response) -> str:
    return response.content.decode()


def field_error(page: str, field_id: str) -> str:
    """The error shown beside a field: its <p id="<id>_error">, which the widget names in aria-describedby."""
    match = re.search(rf'<p class="field-error" id="{field_id}_error">(.*?)</p>', page, re.S)
    assert match, f"no error beside #{field_id}"
    widget = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', page)
    assert widget, f"no widget #{field_id}"
    assert 'aria-invalid="true"' in widget.group(0)
    assert f'aria-describedby="{field_id}_error"' in widget.group(0)
    # Beside its field: the error comes right before the widget, after the field's label.
    assert page.index(f'id="{field_id}_error"') < page.index(widget.group(0))
    return match.group(1)


def state(case) -> tuple:
    """Everything an action would change or leave behind."""
    case.refresh_from_db()
    return (case.status, case.decision, case.extended_due_date, case.opd_id, CaseEvent.objects.count(),
            CaseAttachment.objects.count(), LetterCounter.objects.count(), Notification.objects.count(),
            len(mail.outbox))


# ---------------------------------------------------------------------------------------- errors keep the work

def test_a_refusal_without_a_dik_entry_keeps_everything_typed(page, case, opds, dik_entry):
    response = post(page, case, action="answer", decision="rejected_exempt", fields_for="rejected_exempt",
                    dik="", note="Data pasien tidak dapat dibuka.", cost_note="")
    assert response.status_code == 400
    body = html(response)
    assert re.search(r'<details id="panel-answer" open>', body)
    assert not re.search(r'<details id="panel-acknowledge" open>', body)  # only the action's panel is open
    assert re.search(r'<option value="rejected_exempt" selected>', body)
    assert "Data pasien tidak dapat dibuka.</textarea>" in body
    assert "Daftar Informasi yang Dikecualikan" in field_error(body, "answer-dik")
    # The select offers the OPD's entries valid today, by their letter and information.
    assert re.search(rf'<option value="{dik_entry.pk}">Pasal 17 huruf h — Rekam medis pasien', body)
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED

    # An entry of another OPD is refused in words, the note kept.
    foreign = dik_entry_make(opds["DPUPR"])
    body = html(post(page, case, action="answer", decision="rejected_exempt", fields_for="rejected_exempt",
                     dik=str(foreign.pk), note="Catatan"))
    assert "tidak ditemukan di daftar OPD ini" in field_error(body, "answer-dik")
    assert "Catatan</textarea>" in body


def test_a_partial_grant_without_what_was_withheld_is_refused_beside_the_field(page, case, dik_entry):
    response = post(page, case, action="answer", decision="partially_granted", fields_for="partially_granted",
                    withheld=" ", dik=str(dik_entry.pk), note="Sebagian data terlampir.")
    assert response.status_code == 400
    body = html(response)
    assert "informasi yang tidak diberikan" in field_error(body, "answer-withheld")
    assert re.search(rf'<option value="{dik_entry.pk}" selected>', body)
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_not_held_without_holder_and_an_empty_decision_say_so_in_words(page, case):
    response = post(page, case, action="answer", decision="not_held", fields_for="not_held", holder="",
                    note="Bukan kewenangan kami.")
    assert response.status_code == 400
    body = html(response)
    assert "badan publik yang menguasai" in field_error(body, "answer-holder")
    assert "Bukan kewenangan kami.</textarea>" in body

    response = post(page, case, action="answer", decision="", note="Sudah saya tulis")
    assert response.status_code == 400
    body = html(response)
    assert field_error(body, "answer-decision") == "Pilih keputusan."
    for code in ("granted", "partially_granted", "rejected_exempt", "not_held", "not_documented"):
        assert not re.search(rf">[^<]*\b{code}\b[^<]*<", body), code  # codes only as option values, never as text


def test_extension_and_forward_errors_keep_their_panels_and_values(page, case):
    response = post(page, case, action="extend", reason="   ")
    assert response.status_code == 400
    body = html(response)
    assert '<details id="panel-extend" open>' in body
    assert "Alasan perpanjangan wajib diisi." in field_error(body, "extend-reason")

    response = post(page, case, action="forward", to_opd="DINKES", note="Salah alamat, mohon dicek.")
    assert response.status_code == 400
    body = html(response)
    assert '<details id="panel-forward" open>' in body
    assert "sama dengan OPD saat ini" in field_error(body, "forward-to_opd")
    assert "Salah alamat, mohon dicek.</textarea>" in body
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_the_answer_asks_only_for_what_its_decision_needs(page, case):
    first = html(page.get(f"/petugas/kasus/{case.registration_number}/"))
    panel = first[first.index('id="panel-answer"'):first.index('id="panel-forward"')]
    assert 'name="decision"' in panel and "Lanjut" in panel
    for name in ("exemption", "consequence_test", "holder", "cost_note", "files"):
        assert f'name="{name}"' not in panel

    def step(decision):
        response = post(page, case, action="answer", decision=decision, step="decision")
        assert response.status_code == 200
        body = html(response)
        assert '<details id="panel-answer" open>' in body
        panel = body[body.index('id="panel-answer"'):body.index('id="panel-forward"')]
        assert 'class="field-error"' not in panel  # choosing is not yet sending: no errors
        return {n for n in ("dik", "withheld", "dik_information", "exemption", "consequence_test", "holder", "note",
                            "cost_note")
                if f'name="{n}"' in panel}, panel

    # A PPID Pelaksana refuses on an existing DIK entry (a new one is its Atasan PPID's to decide).
    assert step("rejected_exempt")[0] == {"dik", "note"}
    assert step("not_held")[0] == {"holder", "note"}
    fields, panel = step("granted")
    assert fields == {"note", "cost_note"}
    assert "dipilih pada langkah berikutnya" in panel  # the files come with the review
    assert step("partially_granted")[0] == {"withheld", "dik", "note", "cost_note"}
    # A decision changed on the second step shows the new decision's fields, keeping what was typed.
    body = html(post(page, case, action="answer", decision="not_held", fields_for="granted", note="Tetap ada"))
    assert 'name="holder"' in body and 'name="cost_note"' not in body and "Tetap ada</textarea>" in body


# ------------------------------------------------------------------------------------ review before sending

def answer_body(**more):
    return {"action": "answer", "decision": "granted", "fields_for": "granted",
            "note": "Data jumlah puskesmas per kecamatan terlampir.", "cost_note": "Gratis", **more}


def test_the_answer_is_reviewed_with_its_letter_and_nothing_happens_before_confirm(page, case):
    before = state(case)
    response = post(page, case, **answer_body())
    assert response.status_code == 200
    body = html(response)
    assert "Periksa sebelum mengirim" in body
    assert "Pemberitahuan Tertulis" in body and "Data jumlah puskesmas per kecamatan terlampir." in body
    assert "Dikabulkan seluruhnya" in body and case.registration_number in body
    assert "(diberikan saat dikirim)" in body  # no number before it is sent
    assert 'name="confirm" value="1"' in body and 'name="edit" value="1"' in body
    assert 'name="preview" value="pdf"' in body
    assert 'type="file" name="files"' in body  # the material is chosen here, just before sending
    assert state(case) == before

    # "Ubah": back to the form, the values kept, nothing checked or saved.
    response = post(page, case, **answer_body(edit="1"))
    assert response.status_code == 200
    body = html(response)
    assert '<details id="panel-answer" open>' in body
    assert "Data jumlah puskesmas per kecamatan terlampir.</textarea>" in body and 'value="Gratis"' in body
    assert state(case) == before


def test_confirm_sends_the_answer_once_with_the_files_chosen_on_the_review(page, case):
    material = SimpleUploadedFile("puskesmas.pdf", pdf_bytes("Jumlah puskesmas: 32"), content_type="application/pdf")
    response = post(page, case, **answer_body(confirm="1", files=material))
    assert response.status_code == 302 and response["Location"].endswith(f"/petugas/kasus/{case.registration_number}/")
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.decision == "granted"
    assert case.events.filter(kind=EventKind.ANSWERED).count() == 1
    assert case.attachments.filter(kind=CaseAttachment.Kind.NOTICE).count() == 1
    assert case.attachments.filter(kind=CaseAttachment.Kind.MATERIAL, filename="puskesmas.pdf").exists()
    assert LetterCounter.objects.get().last_value == 1
    assert any(m.to == ["siti@example.org"] for m in mail.outbox)
    page_after = html(page.get(response["Location"]))
    assert "Tersimpan: Pemberitahuan tertulis." in page_after

    # The same confirmation posted again (a double click, the back button) sends nothing more.
    post(page, case, **answer_body(confirm="1"))
    assert case.events.filter(kind=EventKind.ANSWERED).count() == 1
    assert LetterCounter.objects.get().last_value == 1


def test_the_refusal_review_offers_no_files(page, case, dik_entry):
    body = html(post(page, case, action="answer", decision="rejected_exempt", fields_for="rejected_exempt",
                     dik=str(dik_entry.pk)))
    assert "Pasal 17 huruf h" in body and dik_entry.consequence in body and dik_entry.legal_basis in body
    assert 'name="files"' not in body


def test_the_letter_preview_is_a_pdf_of_the_same_letter_and_keeps_nothing(page, case):
    before = state(case)
    response = post(page, case, **answer_body(preview="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    text = pdf_text(response.content)
    assert "Data jumlah puskesmas per kecamatan terlampir." in text
    assert case.registration_number in text and "Dikabulkan seluruhnya" in text
    assert "Nomor: (diberikan saat dikirim)" in text and "DRAF" in text
    assert state(case) == before


def test_the_extension_is_reviewed_with_its_dated_letter_then_confirmed(page, case):
    before = state(case)
    reason = "Data tersebar di 18 puskesmas dan perlu dihimpun."
    response = post(page, case, action="extend", reason=reason)
    assert response.status_code == 200
    body = html(response)
    assert "Pemberitahuan Perpanjangan Jangka Waktu" in body and reason in body
    assert "Tenggarong, 16 Maret 2026" in body  # dated as the sent letter will be
    assert state(case) == before

    pdf = post(page, case, action="extend", reason=reason, preview="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert reason in text and "Tenggarong, 16 Maret 2026" in text
    assert state(case) == before

    response = post(page, case, action="extend", reason=reason, confirm="1")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.EXTENDED and case.extension_reason == reason
    with translation.override("id"):
        assert f"Batas waktu baru</td><td>: <strong>{date_format(case.extended_due_date, 'j F Y')}" in body
    assert case.attachments.filter(kind=CaseAttachment.Kind.EXTENSION).count() == 1
    assert "Tersimpan: Perpanjangan jangka waktu." in html(page.get(response["Location"]))


def test_forwarding_is_confirmed_then_lands_on_the_read_only_page(page, case, other_officer):
    before = state(case)
    response = post(page, case, action="forward", to_opd="DPUPR", note="Jalan kabupaten dikelola DPUPR.")
    assert response.status_code == 200
    body = html(response)
    assert "Dinas Pekerjaan Umum" in body and "Jalan kabupaten dikelola DPUPR." in body
    assert 'name="confirm" value="1"' in body and 'name="preview"' not in body  # no letter to preview
    assert state(case) == before

    response = post(page, case, action="forward", to_opd="DPUPR", note="Jalan kabupaten dikelola DPUPR.",
                    confirm="1")
    assert response.status_code == 302
    assert response["Location"] == f"/petugas/kasus/{case.registration_number}/diteruskan/"
    case.refresh_from_db()
    assert case.status == Status.FORWARDED and case.opd.code == "DPUPR"
    assert "Tersimpan: Penerusan ke OPD lain." in html(page.get(response["Location"]))


# ------------------------------------------------------------------------------------------- words, not codes

def test_acting_at_once_and_the_timeline_use_words(page, case):
    response = post(page, case, action="acknowledge", note="")
    assert response.status_code == 302
    body = html(page.get(response["Location"]))
    assert "Tersimpan: Penerimaan kasus untuk diproses." in body
    post(page, case, action="assign", officer="petugas.dinkes")
    body = html(page.get(f"/petugas/kasus/{case.registration_number}/"))
    assert "Hanya untuk petugas" in body  # the assignment is not shown to the requester
    assert not re.search(r">[^<]*\b(acknowledge|assign|internal)\b[^<]*<", body)


def test_the_english_page_shows_english_labels(page, case):
    page.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = html(post(page, case, action="answer", decision="rejected_exempt", fields_for="rejected_exempt", dik=""))
    assert '<html lang="en">' in body
    assert "Choose the entry of the list of exempted information" in field_error(body, "answer-dik")
    assert "DIK entry valid today" in body and "Check the letter" in body
    review = html(post(page, case, **answer_body()))
    assert "Check before sending" in review and "Send" in review and "Edit" in review
    assert "Pemberitahuan Tertulis" in review  # the letter itself is Indonesian, as the PDF is
    response = post(page, case, action="extend", reason="Data tersebar.", confirm="1")
    assert "Saved: Extension of the time limit." in html(page.get(response["Location"]))
