"""The letters the portal sends: their number (nomor surat) per OPD and year, who signs them, their file names,
and a signature that stays on the page with the text before it."""

import copy
import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from pypdf import PdfReader

from requests_app import letters
from requests_app.models import CaseAttachment, LetterCounter, Notification
from requests_app.services.actions import case_answer, case_extend
from requests_app.services.letter_numbers import letter_number_next
from requests_app.services.objections import objection_answer, objection_file
from tests.conftest import dik_entry_make, pdf_text

WITA = dt.timezone(dt.timedelta(hours=8))

CONSEQUENCE = (
    "Informasi yang diminta memuat riwayat, kondisi dan perawatan kesehatan fisik dan psikis pasien yang dirawat "
    "di puskesmas dan rumah sakit daerah. Membuka informasi ini akan mengungkap rahasia pribadi pasien dan "
    "keluarganya, yang dilindungi Pasal 17 huruf h UU No. 14 Tahun 2008 dan Pasal 57 UU Kesehatan. "
)
NOTE = (
    "Data agregat jumlah kunjungan pasien per puskesmas tanpa identitas pasien tersedia dalam Daftar Informasi "
    "Publik dan dapat Anda minta dengan permohonan baru melalui portal LOBIKU. "
)


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=WITA), tick=False)


def pages_text(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def kept_text(attachment: CaseAttachment) -> str:
    with attachment.file.open("rb") as fh:
        return pdf_text(fh.read())


@pytest.fixture
def dinkes(opds):
    opd = opds["DINKES"]
    opd.signatory_name = "dr. Sri Wahyuni, M.Kes."
    opd.signatory_title = "PPID Pelaksana Dinas Kesehatan"
    opd.signatory_nip = "19750812 200212 2 004"
    opd.save()
    return opd


def refuse(case, officer):
    entry = dik_entry_make(case.opd, consequence="Membuka rekam medis pasien melanggar rahasia pribadi.")
    return case_answer(case=case, actor=officer, decision="rejected_exempt", dik=entry.pk, note="Ditolak.")


# ---------------------------------------------------------------------------------------------------------------
# The number


def test_numbers_run_per_opd_and_year_and_restart_in_january(opds):
    dinkes, dpupr = opds["DINKES"], opds["DPUPR"]
    with transaction.atomic():
        with at(2026, 12, 31, 23):
            first = [letter_number_next(dinkes) for _ in range(3)]
            other = letter_number_next(dpupr)
        # 16:30 UTC on 31 December is 00:30 WITA on 1 January: the register's year is the WITA day's.
        with time_machine.travel(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False):
            next_year = [letter_number_next(dinkes), letter_number_next(dinkes)]
    assert first == ["001/PPID-DINKES/2026", "002/PPID-DINKES/2026", "003/PPID-DINKES/2026"]
    assert other == "001/PPID-DPUPR/2026"  # another OPD keeps its own register
    assert next_year == ["001/PPID-DINKES/2027", "002/PPID-DINKES/2027"]
    assert LetterCounter.objects.get(opd=dinkes, year=2026).last_value == 3


def test_sent_letters_are_numbered_in_order_and_print_their_number(submit, officer, atasan, dinkes):
    with at(2026, 3, 13):
        case = submit().case
    with at(2026, 3, 26):
        case_extend(case=case, actor=officer, reason="Data masih dihimpun dari 18 puskesmas.")
    with at(2026, 4, 1):
        refuse(case, officer)
    with at(2026, 4, 6):
        objection = objection_file(case=case, ground="a", reason="Saya membutuhkan data ini untuk penelitian.")
    with at(2026, 4, 20):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Alasan penolakan tepat.")
    kept = {a.kind: a for a in case.attachments.exclude(kind=CaseAttachment.Kind.MATERIAL)}
    assert {k: a.letter_number for k, a in kept.items()} == {
        "extension": "001/PPID-DINKES/2026", "notice": "002/PPID-DINKES/2026",
        "objection_receipt": "003/PPID-DINKES/2026", "objection_answer": "004/PPID-DINKES/2026",
    }
    for attachment in kept.values():
        assert f"Nomor: {attachment.letter_number}" in kept_text(attachment)


def test_a_letter_sent_again_by_e_mail_keeps_its_number(submit, officer, dinkes):
    with at(2026, 3, 13):
        case = submit().case
    with at(2026, 4, 1):
        refuse(case, officer)
    kept = case.attachments.get(kind="notice")
    notification = Notification.objects.filter(case=case, kind="answered").get()
    name, pdf, mime = letters.render_named("notice", notification)
    assert name == "pemberitahuan-tertulis-DINKES-2026-00001.pdf" and mime == "application/pdf"
    assert f"Nomor: {kept.letter_number}" in pdf_text(pdf)
    assert LetterCounter.objects.get(opd=dinkes, year=2026).last_value == 1  # nothing new was taken


def test_a_preview_takes_no_number_and_is_marked_as_a_draft(submit, dinkes):
    with at(2026, 3, 13):
        case = submit().case
    draft = copy.copy(case)
    draft.decision, draft.exemption, draft.consequence_test = "rejected_exempt", "h", "Rahasia pribadi pasien."
    with transaction.atomic():
        text = pdf_text(letters.render_letter("notice", draft, preview=True))
    assert "Nomor: (diberikan saat dikirim)" in text
    assert "DRAF —" in text and "DIKIRIM" in text
    assert not LetterCounter.objects.exists() and not case.attachments.filter(kind="notice").exists()


def test_a_failed_sending_gives_its_number_back(submit, officer, dinkes, monkeypatch):
    from requests_app.services import attachments

    with at(2026, 3, 13):
        case = submit().case

    def broken_storage(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(attachments, "letter_attach", broken_storage)
    with at(2026, 4, 1), pytest.raises(OSError):
        refuse(case, officer)
    monkeypatch.undo()
    with at(2026, 4, 1):
        refuse(case, officer)
    assert case.attachments.get(kind="notice").letter_number == "001/PPID-DINKES/2026"


THREADS = 6
PER_THREAD = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_letters_get_unique_gap_free_numbers(opds):
    opd = opds["DINKES"]
    barrier = threading.Barrier(THREADS)
    taken: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            for _ in range(PER_THREAD):
                with transaction.atomic():
                    taken.append(letter_number_next(opd))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    with at(2026, 5, 4):
        threads = [threading.Thread(target=worker) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sorted(taken) == [f"{n:03d}/PPID-DINKES/2026" for n in range(1, THREADS * PER_THREAD + 1)]


# ---------------------------------------------------------------------------------------------------------------
# Who signs


def test_the_named_official_signs_with_title_and_nip(submit, officer, dinkes):
    with at(2026, 3, 13):
        case = submit().case
    with at(2026, 4, 1):
        refuse(case, officer)
    text = kept_text(case.attachments.get(kind="notice"))
    assert ("Tenggarong, 1 April 2026 PPID Pelaksana Dinas Kesehatan dr. Sri Wahyuni, M.Kes. "
            "NIP. 19750812 200212 2 004") in text


def test_without_a_named_official_the_title_alone_signs(submit, officer, opds):
    with at(2026, 3, 13):
        case = submit().case
    with at(2026, 4, 1):
        refuse(case, officer)
    text = kept_text(case.attachments.get(kind="notice"))
    assert "Tenggarong, 1 April 2026 PPID Pelaksana Dinas Kesehatan (Pemberitahuan ini dibuat" in text
    assert "NIP" not in text


def objection_answered(submit, officer, answerer, outcome, answer):
    """A refused case whose keberatan `answerer` answered on 20 April 2026; returns the case."""
    with at(2026, 3, 13):
        case = submit().case
    with at(2026, 4, 1):
        refuse(case, officer)
    with at(2026, 4, 6):
        objection = objection_file(case=case, ground="a", reason="Saya membutuhkan data ini untuk penelitian.")
    with at(2026, 4, 20):
        objection_answer(objection=objection, actor=answerer, outcome=outcome, answer=answer)
    return case


def test_the_objection_answer_is_signed_by_the_head_as_atasan_ppid(submit, officer, atasan, dinkes):
    atasan.first_name, atasan.last_name = "Hendra", "Gunawan"
    atasan.save()
    case = objection_answered(submit, officer, atasan, "upheld", "Berikan data agregat.")
    text = kept_text(case.attachments.get(kind="objection_answer"))
    assert "Tenggarong, 20 April 2026 Kepala Dinas Kesehatan selaku Atasan PPID Hendra Gunawan" in text
    assert "dikabulkannya keberatan" in text and dinkes.signatory_name not in text


# ---------------------------------------------------------------------------------------------------------------
# File names


def test_letters_carry_indonesian_file_names(submit, officer, atasan, dinkes, django_capture_on_commit_callbacks):
    with at(2026, 3, 13), django_capture_on_commit_callbacks(execute=True):
        case = submit().case
    with at(2026, 3, 26), django_capture_on_commit_callbacks(execute=True):
        case_extend(case=case, actor=officer, reason="Data masih dihimpun dari 18 puskesmas.")
    with at(2026, 4, 1), django_capture_on_commit_callbacks(execute=True):
        refuse(case, officer)
    with at(2026, 4, 6), django_capture_on_commit_callbacks(execute=True):
        objection = objection_file(case=case, ground="a", reason="Saya membutuhkan data ini untuk penelitian.")
    with at(2026, 4, 20), django_capture_on_commit_callbacks(execute=True):
        objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Alasan penolakan tepat.")
    assert set(case.attachments.values_list("filename", flat=True)) == {
        "perpanjangan-jangka-waktu-DINKES-2026-00001.pdf", "pemberitahuan-tertulis-DINKES-2026-00001.pdf",
        "tanda-terima-keberatan-KEB-DINKES-2026-00001.pdf", "tanggapan-keberatan-KEB-DINKES-2026-00001.pdf",
    }
    sent = {name for m in mail.outbox if m.to == [case.email] for name, _, _ in m.attachments}
    assert sent == {
        "tanda-bukti-DINKES-2026-00001.pdf", "perpanjangan-jangka-waktu-DINKES-2026-00001.pdf",
        "pemberitahuan-tertulis-DINKES-2026-00001.pdf", "tanda-terima-keberatan-KEB-DINKES-2026-00001.pdf",
        "tanggapan-keberatan-KEB-DINKES-2026-00001.pdf",
    }


# ---------------------------------------------------------------------------------------------------------------
# Pages


def test_the_signature_never_stands_alone_on_a_page(submit, dinkes):
    """The longest realistic refusal: a consequence test and a note of several paragraphs. Whatever their length,
    the page that carries the signature also carries the closing note before it."""
    with at(2026, 3, 13):
        case = submit(information_requested="Rekam medis dan data pasien rawat inap 2025. " * 4).case
    case.decision, case.exemption, case.answered_at = "rejected_exempt", "h", case.received_at
    seen_pages = set()
    # Each step adds about three lines, so over the steps the page break crosses the whole closing block.
    for extra in range(0, 12):
        case.consequence_test = (CONSEQUENCE * 3) + "Pertimbangan tambahan. " * (extra * 4)
        case.answer_note = NOTE * 2
        pages = pages_text(letters.render_letter("notice", case, letter_number="012/PPID-DINKES/2026"))
        seen_pages.add(len(pages))
        signed = [page for page in pages if "dr. Sri Wahyuni" in page]
        assert len(signed) == 1
        assert "Apabila Anda tidak puas dengan tanggapan ini" in signed[0], (extra, signed[0][:200])
        assert "Tenggarong, 13 Maret 2026 PPID Pelaksana Dinas Kesehatan dr. Sri Wahyuni" in signed[0]
    assert {2, 3} <= seen_pages  # the letter grew over a page break: the steps crossed it


def test_ppid_utama_answering_for_an_opd_signs_on_the_atasans_behalf(submit, officer, admin_utama, dinkes):
    admin_utama.first_name, admin_utama.last_name = "Rina", "Marlina"
    admin_utama.save()
    case = objection_answered(submit, officer, admin_utama, "dismissed", "Alasan tepat.")
    text = kept_text(case.attachments.get(kind="objection_answer"))
    assert "Tenggarong, 20 April 2026 a.n. Atasan PPID Dinas Kesehatan PPID Utama Rina Marlina" in text
    assert "selaku Atasan PPID" not in text
