"""The written notice (Pasal 22(7)) for each decision and the extension notice (Pasal 22(8)): the PDFs that are
attached to the case and e-mailed carry the right text."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import dateformat, translation

from requests_app import workdays
from requests_app.models import CaseAttachment, DikEntry
from requests_app.services.actions import case_answer, case_extend
from tests.documents_app.helpers import pdf_text

WITA = dt.timezone(dt.timedelta(hours=8))


def letter(case, kind) -> str:
    attachment = case.attachments.get(kind=kind)
    with attachment.file.open("rb") as fh:
        return pdf_text(fh.read())


@pytest.fixture
def case(submit):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        return submit().case


@time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=WITA), tick=False)
def test_granted_notice_names_material_form_delivery_cost_and_time(case, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_answer(case=case, actor=officer, decision="granted", note="Tabel jumlah puskesmas per kecamatan.")
    text = letter(case, CaseAttachment.Kind.NOTICE)
    assert "Pemberitahuan Tertulis".upper() in text.upper()
    assert case.registration_number in text
    assert "Siti Rahmawati" in text
    assert "berada di bawah penguasaan" in text
    assert "dikabulkan seluruhnya" in text
    assert "Tabel jumlah puskesmas per kecamatan." in text
    assert "Mendapatkan salinan (Softcopy)" in text  # form
    assert "E-mail ke alamat e-mail pemohon" in text  # way of delivery
    assert "Tidak dipungut biaya" in text  # cost
    assert "disampaikan bersama pemberitahuan ini" in text  # time to provide
    assert "Tenggarong, 25 Maret 2026" in text
    # The objection window: 30 working days after the notice (Pasal 36(1)), on the calendar.
    deadline = workdays.add_working_days(dt.date(2026, 3, 25), 30)
    with translation.override("id"):
        assert f"sampai {dateformat.format(deadline, 'j F Y')}" in text
    # It went out by e-mail with the same PDF attached.
    sent = [m for m in mail.outbox if m.to == ["siti@example.org"]]
    assert any(name.startswith("pemberitahuan-tertulis-") and mime == "application/pdf"
               for m in sent for name, _c, mime in m.attachments)


@time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=WITA), tick=False)
def test_refusal_notice_carries_pasal_17_letter_and_consequence_test(case, officer, dik_entry):
    DikEntry.objects.filter(pk=dik_entry.pk).update(
        consequence="Membuka data rekam medis akan mengungkap rahasia pribadi pasien.")
    case_answer(case=case, actor=officer, decision="rejected_exempt", dik=dik_entry.pk)
    text = letter(case, CaseAttachment.Kind.NOTICE)
    assert "ditolak" in text
    assert "Pasal 17 huruf h" in text
    assert "mengungkap rahasia pribadi" in text
    assert "Uji konsekuensi" in text
    assert "Membuka data rekam medis akan mengungkap rahasia pribadi pasien." in text
    assert "dikabulkan" not in text


@time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=WITA), tick=False)
def test_not_held_notice_names_the_holder(case, officer):
    case_answer(case=case, actor=officer, decision="not_held",
                holder="Badan Pusat Statistik Kabupaten Kutai Kartanegara")
    text = letter(case, CaseAttachment.Kind.NOTICE)
    assert "tidak berada di bawah penguasaan" in text
    assert "dikuasai oleh Badan Pusat Statistik Kabupaten Kutai Kartanegara" in text
    assert "Pasal 17" not in text


@time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=WITA), tick=False)
def test_partial_grant_notice_states_cost_and_pickup(submit, officer, dik_entry):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        case = submit(copy_format="hardcopy", delivery_method="pickup").case
    case_answer(case=case, actor=officer, decision="partially_granted", cost_note="Rp 5.000 (fotokopi 50 lembar)",
                note="Nama pasien dihitamkan (Pasal 17 huruf h).", withheld="Nama pasien.", dik=dik_entry)
    text = letter(case, CaseAttachment.Kind.NOTICE)
    assert "dikabulkan sebagian" in text
    assert "dihitamkan" in text
    assert "Rp 5.000 (fotokopi 50 lembar)" in text
    assert "Mengambil langsung di kantor" in text
    assert "dapat diambil sejak tanggal pemberitahuan ini" in text


@time_machine.travel(dt.datetime(2026, 3, 25, 9, 0, tzinfo=WITA), tick=False)
def test_not_documented_notice(case, officer):
    case_answer(case=case, actor=officer, decision="not_documented", note="Data 2025 masih direkap.")
    text = letter(case, CaseAttachment.Kind.NOTICE)
    assert "belum didokumentasikan" in text
    assert "Data 2025 masih direkap." in text


def test_extension_notice_gives_reason_and_both_dates(case, officer):
    with time_machine.travel(dt.datetime(2026, 3, 30, 9, 0, tzinfo=WITA), tick=False):
        case_extend(case=case, actor=officer, reason="Data tersebar di 18 puskesmas dan perlu dihimpun.")
    text = letter(case, CaseAttachment.Kind.EXTENSION)
    assert "Perpanjangan Jangka Waktu".upper() in text.upper()
    assert "Pasal 22 ayat (8)" in text
    assert "Data tersebar di 18 puskesmas dan perlu dihimpun." in text
    assert "6 April 2026" in text  # first due date
    assert "15 April 2026" in text  # + 7 working days
    assert "Tenggarong, 30 Maret 2026" in text
