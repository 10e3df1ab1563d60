"""The citizen's tracking page leads with the answer: the decision in words, the officer's note, the letter and the
material as the first downloads; before an answer, where the request stands and what comes next. Objecting is
offered only inside its filing window and never while a keberatan is pending; withdrawing takes a confirmation."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app.models import Case, CaseAttachment, EventKind
from requests_app.services.actions import case_acknowledge, case_answer
from requests_app.services.objections import objection_answer, objection_file
from tests.conftest import dik_entry_make, pdf_bytes

WITA = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 9):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def submission(submit):
    with at(dt.date(2026, 3, 13), 10):
        return submit()


@pytest.fixture
def requester(submission):
    client = Client()
    response = client.post("/lacak/", {"registration_number": submission.case.registration_number,
                                       "tracking_code": submission.tracking_code})
    assert response.status_code == 302
    return client


def page_of(client, case, day=dt.date(2026, 4, 2)) -> str:
    with at(day):
        response = client.get(f"/lacak/{case.registration_number}/")
    assert response.status_code == 200
    return response.content.decode()


def answer_panel(page: str) -> str:
    match = re.search(r'<section class="card answer-panel" id="answer".*?</section>', page, re.S)
    assert match, "no answer panel"
    return match.group(0)


def answer(case, officer, decision, **extra):
    if decision in ("rejected_exempt", "partially_granted"):  # they rest on a DIK entry valid that day
        extra.setdefault("dik", dik_entry_make(case.opd, consequence="Rahasia pribadi pasien."))
    if decision == "partially_granted":
        extra.setdefault("withheld", "Nama pasien.")
    with at(dt.date(2026, 4, 1), 14):
        case_answer(case=case, actor=officer, decision=decision, **extra)


ANSWERS = {
    "granted": ({}, "Dikabulkan seluruhnya", "seluruh informasi yang Anda minta diberikan"),
    "partially_granted": ({}, "Dikabulkan sebagian", "sebagian informasi diberikan"),
    "rejected_exempt": ({},
                        "Ditolak (informasi dikecualikan, Pasal 17)", "termasuk informasi yang dikecualikan"),
    "not_held": ({"holder": "RSUD Aji Muhammad Parikesit"}, "Informasi tidak dikuasai",
                 "OPD ini tidak menguasai informasi"),
    "not_documented": ({}, "Informasi belum didokumentasikan", "belum ada dalam bentuk dokumen"),
}


@pytest.mark.parametrize("decision", list(ANSWERS))
def test_the_answer_leads_the_page(requester, submission, officer, decision):
    extra, label, explanation = ANSWERS[decision]
    case = submission.case
    material = SimpleUploadedFile("data-puskesmas.pdf", pdf_bytes("Data"), content_type="application/pdf")
    answer(case, officer, decision, note="Data per kecamatan ada di lampiran.", cost_note="Tanpa biaya.",
           files=[material], **extra)
    page = page_of(requester, case)
    panel = answer_panel(page)
    # The panel is the first thing after the heading: nothing but whitespace between them.
    assert re.search(r"</h1>\s*<section class=\"card answer-panel\"", page)
    assert ">Jawaban</h2>" in panel
    assert f'<strong id="case-decision">{label}</strong>' in panel
    assert explanation in panel
    assert "Data per kecamatan ada di lampiran." in panel
    assert "Tanpa biaya." in panel
    # The notice letter, then the material: the first downloads, inside the panel.
    notice = case.attachments.get(kind=CaseAttachment.Kind.NOTICE)
    data = case.attachments.get(kind=CaseAttachment.Kind.MATERIAL)
    links = re.findall(r'href="(/lacak/[^"]+/lampiran/\d+/)"', page)
    prefix = f"/lacak/{case.registration_number}/lampiran/"
    assert links[:2] == [f"{prefix}{notice.pk}/", f"{prefix}{data.pk}/"]
    assert f"{prefix}{notice.pk}/" in panel and f"{prefix}{data.pk}/" in panel
    # The receipt is not among them (it has its own link, to the PDF built from the case).
    receipt = case.attachments.filter(kind=CaseAttachment.Kind.RECEIPT).first()
    if receipt is not None:
        assert f"{prefix}{receipt.pk}/" not in page
    assert page.index('id="answer"') < page.index('id="timeline"')
    if decision == "rejected_exempt":
        assert "Pasal 17 huruf h — mengungkap rahasia pribadi" in panel
        assert "Rahasia pribadi pasien." in panel
    else:
        assert "Pasal 17 huruf" not in panel
    if decision == "not_held":
        assert "RSUD Aji Muhammad Parikesit" in panel
    # A partial grant says what was withheld.
    assert ('id="answer-withheld"' in panel) is (decision == "partially_granted")
    if decision == "partially_granted":
        assert "Informasi yang tidak diberikan:</strong> Nama pasien." in panel


def test_the_answer_in_english(requester, submission, officer):
    case = submission.case
    answer(case, officer, "partially_granted")
    requester.post("/i18n/setlang/", {"language": "en", "next": "/"})
    panel = answer_panel(page_of(requester, case))
    assert ">Answer</h2>" in panel
    assert "Partly granted" in panel and "some of the information is given" in panel


def test_before_the_answer_the_status_due_date_and_next_step(requester, submission, officer):
    case = submission.case
    panel = answer_panel(page_of(requester, case, dt.date(2026, 3, 16)))
    assert '<strong id="case-status">Diterima</strong>' in panel
    assert "Batas waktu jawaban: 6 April 2026" in panel
    assert "9 hari kerja lagi" in panel
    assert "menunggu diproses petugas PPID" in panel
    with at(dt.date(2026, 3, 17)):
        case_acknowledge(case=case, actor=officer)
    panel = answer_panel(page_of(requester, case, dt.date(2026, 4, 6)))
    assert '<strong id="case-status">Diproses</strong>' in panel
    assert "hari ini hari terakhir" in panel and "sedang memproses" in panel
    # Past its due date with no answer: the page says so, and the keberatan is open (grounds c and g).
    page = page_of(requester, case, dt.date(2026, 4, 7))
    panel = answer_panel(page)
    assert "Melewati batas waktu" in panel and "Anda berhak mengajukan keberatan" in panel
    assert f'href="/lacak/{case.registration_number}/keberatan/"' in page


def test_objecting_is_offered_only_inside_its_window(requester, submission, officer):
    case = submission.case
    link = f'href="/lacak/{case.registration_number}/keberatan/"'
    # Before the answer and before the due date: nothing to object to yet.
    assert link not in page_of(requester, case, dt.date(2026, 3, 16))
    answer(case, officer, "rejected_exempt")
    page = page_of(requester, case, dt.date(2026, 4, 2))
    assert link in page
    assert "sampai 19 Mei 2026" in page
    # The window's grounds as their labels, one per item (never a row of letters).
    grounds = re.search(r'<ul class="objection-grounds">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", grounds) == [
        "a. penolakan berdasarkan alasan pengecualian Pasal 17",
        "b. tidak disediakannya informasi berkala",
        "d. permintaan ditanggapi tidak sebagaimana yang diminta",
        "e. tidak dipenuhinya permintaan informasi",
        "f. pengenaan biaya yang tidak wajar",
    ]
    # After the 30 working days the action is gone.
    assert link not in page_of(requester, case, dt.date(2026, 5, 20))


def test_a_pending_objection_replaces_the_action_with_its_status(requester, submission, officer, atasan):
    case = submission.case
    answer(case, officer, "partially_granted")
    with at(dt.date(2026, 4, 2)):
        objection = objection_file(case=case, ground="d", reason="Data per kecamatan tidak diberikan.")
    page = page_of(requester, case, dt.date(2026, 4, 6))
    assert f'href="/lacak/{case.registration_number}/keberatan/"' not in page
    pending = re.search(r'<p class="msg" id="objection-pending">(.*?)</p>', page, re.S).group(1)
    assert objection.objection_number in pending and "Diajukan" in pending
    assert objection.due_date.strftime("%-d") + " Mei 2026" in pending
    assert page.index('id="answer"') < page.index('id="objection-pending"') < page.index('id="timeline"')
    # The objection's ground is its label in a list.
    assert "<li>d. permintaan ditanggapi tidak sebagaimana yang diminta</li>" in page
    # Upheld: the page says "dikabulkan", not "diterima".
    with at(dt.date(2026, 4, 10)):
        objection_answer(objection=objection, actor=atasan, outcome="upheld", answer="Berikan data per kecamatan.")
    page = page_of(requester, case, dt.date(2026, 4, 13))
    status = re.search(r'<dd class="objection-status">(.*?)</dd>', page, re.S).group(1)
    assert status == "Ditanggapi — Keberatan dikabulkan"
    assert "Keberatan diterima" not in page
    assert 'id="objection-pending"' not in page


def test_staff_see_no_objection_action(submission, officer):
    case = submission.case
    answer(case, officer, "granted")
    client = Client()
    client.force_login(officer)
    page = page_of(client, case)
    assert 'id="answer"' in page
    assert 'id="objection-action"' not in page and f"/lacak/{case.registration_number}/cabut/" not in page


def test_withdrawing_needs_a_confirmation(requester, submission):
    case = submission.case
    url = f"/lacak/{case.registration_number}/cabut/"
    page = page_of(requester, case, dt.date(2026, 3, 16))
    assert f'href="{url}"' in page  # a link to the confirmation, not a form that withdraws
    assert f'action="{url}"' not in page
    with at(dt.date(2026, 3, 16)):
        confirm = requester.get(url)
        assert confirm.status_code == 200
        html = confirm.content.decode()
        assert "tidak dapat dibatalkan" in html and 'name="confirm" value="1"' in html
        # A post without the confirmation asks again and changes nothing.
        again = requester.post(url, {"note": "Sudah dapat di tempat lain"})
        assert again.status_code == 200 and "Sudah dapat di tempat lain</textarea>" in again.content.decode()
        assert Case.objects.get(pk=case.pk).status == "submitted"
        done = requester.post(url, {"note": "Sudah dapat di tempat lain", "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == f"/lacak/{case.registration_number}/"
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert case.events.get(kind=EventKind.WITHDRAWN).note == "Sudah dapat di tempat lain"
    page = page_of(requester, case, dt.date(2026, 3, 16))
    assert '<strong id="case-status">Dicabut</strong>' in page and f'href="{url}"' not in page
    # A closed request has nothing to confirm.
    with at(dt.date(2026, 3, 16)):
        assert requester.get(url)["Location"] == f"/lacak/{case.registration_number}/"


def test_without_a_session_the_link_lands_on_the_prefilled_form(submission):
    number = submission.case.registration_number
    response = Client().get(f"/lacak/{number}/")
    assert response.status_code == 302 and response["Location"] == f"/lacak/?registration_number={number}"
    form = Client().get(response["Location"])
    assert form.status_code == 200
    html = form.content.decode()
    assert re.search(rf'name="registration_number"[^>]*value="{number}"', html)
    assert "tidak cocok" not in html and "field-error" not in html and 'role="alert"' not in html
