"""Archive packages for the records office: a finished case past every remedy window is written once as a BagIt
package holding its letters, receipts of handover, material, events and summary, and never the requester's papers
or NIK."""

import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path

import bagit
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from requests_app import rules, workdays
from requests_app.models import ArchiveExport, Case, CaseEvent, LetterDelivery
from requests_app.services.actions import case_answer, case_close, case_withdraw
from requests_app.services.archive import TEMP_PREFIX, archivable_case_ids, archive_counts, cases_received_in
from requests_app.services.deliveries import letter_handover
from requests_app.services.objections import objection_answer, objection_file, objection_refer
from tests.conftest import pdf_bytes, pdf_text, png_bytes

WITA = dt.timezone(dt.timedelta(hours=8))
# Answered on 1 April 2026: the objection filing window ends on 19 May 2026 (see test_retention).
ANSWERED_ON = dt.date(2026, 4, 1)
FILING_ENDS = dt.date(2026, 5, 19)
NIK = "6403012345678901"


def at(day: dt.date, hour: int = 9, minute: int = 0):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA), tick=False)


def export(dest, *args, day=FILING_ENDS + dt.timedelta(days=1)) -> str:
    out = io.StringIO()
    with at(day, 8):
        call_command("archive_export", str(dest), "--year", "2026", *args, stdout=out)
    return out.getvalue()


def answered_case(submit, officer, *, opd="DINKES", **overrides):
    with at(dt.date(2026, 3, 13), 10):
        case = submit(opd=opd, **overrides).case
    material = SimpleUploadedFile("data-puskesmas.pdf", pdf_bytes("Data puskesmas"), content_type="application/pdf")
    with at(ANSWERED_ON, 14):
        return case_answer(case=case, actor=officer, decision="granted", note="Data terlampir.", files=[material])


@pytest.fixture
def closed(submit, officer, django_capture_on_commit_callbacks):
    """Answered with material on 1 April 2026 to a requester who picks the letters up; the notice handed over on
    2 April, the case closed on 3 April."""
    with django_capture_on_commit_callbacks(execute=True):
        case = answered_case(submit, officer, delivery_method="pickup")
    delivery = LetterDelivery.objects.get(case=case, letter="notice")
    with at(dt.date(2026, 4, 2), 11):
        letter_handover(delivery=delivery, actor=officer, delivered_at=dt.datetime(2026, 4, 2, 10, tzinfo=WITA),
                        method="in_person", recipient_name="Siti Rahmawati")
    with at(dt.date(2026, 4, 3)):
        return case_close(case=case, actor=officer)


def bag_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------------ the rule, at its bounds
def test_archivable_the_day_after_the_objection_filing_window(closed):
    cases = Case.objects.filter(pk=closed.pk)
    assert archivable_case_ids(cases, FILING_ENDS) == []
    assert archivable_case_ids(cases, FILING_ENDS + dt.timedelta(days=1)) == [closed.pk]


def test_the_rule_needs_a_finished_case_and_no_objection_pending():
    cal = workdays.Calendar([])
    answered = ("answered", dt.date(2026, 6, 1), None)
    common = {"closed_on": dt.date(2026, 4, 3), "arose": dt.date(2026, 4, 1)}
    assert rules.archivable_on(cal, status="answered", objections=[], **common) is None
    assert rules.archivable_on(cal, status="closed", objections=[("filed", None, None)], **common) is None
    assert rules.archivable_on(cal, status="closed", objections=[("referred_to_commission", dt.date(2026, 5, 4),
                                                                  None)], **common) is None
    # The dispute window: 14 working days after the answer (no holidays here: 1 June 2026 + 14 = 19 June).
    assert rules.archivable_on(cal, status="closed", objections=[answered], **common) == dt.date(2026, 6, 20)
    # The recorded commission deadline wins when there is one.
    assert rules.archivable_on(cal, status="closed", objections=[("answered", dt.date(2026, 6, 1),
                                                                  dt.date(2026, 6, 22))], **common) == \
        dt.date(2026, 6, 23)
    # A withdrawal takes no objection: archivable the day after it.
    assert rules.archivable_on(cal, status="withdrawn", objections=[], **common) == dt.date(2026, 4, 4)


def test_an_answered_objection_holds_the_case_through_its_dispute_window(submit, officer, atasan):
    case = answered_case(submit, officer)
    with at(FILING_ENDS):
        objection = objection_file(case=case, ground="d", reason="Data tidak sesuai permintaan.")
    with at(dt.date(2026, 6, 10)):
        objection = objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Sudah sesuai.")
        case_close(case=case, actor=officer)
    cases = Case.objects.filter(pk=case.pk)
    dispute_ends = objection.commission_deadline
    assert dispute_ends > FILING_ENDS
    assert archivable_case_ids(cases, dispute_ends) == []
    assert archivable_case_ids(cases, dispute_ends + dt.timedelta(days=1)) == [case.pk]


def test_a_pending_dispute_or_an_open_case_is_never_archivable(submit, officer, atasan):
    case = answered_case(submit, officer)
    with at(dt.date(2026, 4, 10)):
        objection = objection_file(case=case, ground="d", reason="Data tidak sesuai permintaan.")
    with at(dt.date(2026, 4, 20)):
        objection = objection_answer(objection=objection, actor=atasan, outcome="dismissed", answer="Sudah sesuai.")
    with at(dt.date(2026, 4, 21)):
        objection_refer(objection=objection)
        case_close(case=case, actor=officer)
    answered_only = answered_case(submit, officer)
    assert archivable_case_ids(Case.objects.filter(pk__in=[case.pk, answered_only.pk]), dt.date(2028, 1, 5)) == []


# ------------------------------------------------------------------------------------------ the package
def test_a_closed_case_past_its_windows_is_exported_as_a_valid_bag(closed, tmp_path):
    output = export(tmp_path)
    assert "[1/1] DINKES-2026-00001" in output
    assert "1 written, 0 already exported (skipped), 0 not yet archivable." in output

    path = tmp_path / "DINKES-2026-00001"
    bag = bagit.Bag(str(path))
    bag.validate()  # every checksum of the manifest and the tagmanifest
    assert bag.info["Source-Organization"] == closed.opd.name
    assert bag.info["External-Identifier"] == "DINKES-2026-00001"
    assert bag.info["Classification-Code"] == "000.5.2"
    assert bag.info["Bagging-Date"] == "2026-05-20"
    assert "sha256" in bag.algorithms

    names = sorted(str(p.relative_to(path / "data")) for p in bag_files(path / "data"))
    # The receipt of the request as it was issued (kept when it was first sent), the material (kept as the answer is
    # sent), then the notice written with it.
    assert names == [
        "events.json",
        "handover-receipts/01-tanda-bukti-penyerahan-notice.pdf",
        "index.json",
        "letters/00-tanda-bukti-DINKES-2026-00001.pdf",
        "letters/02-pemberitahuan-tertulis-DINKES-2026-00001.pdf",
        "material/01-data-puskesmas.pdf",
        "summary.txt",
    ]
    assert (path / "data/material/01-data-puskesmas.pdf").read_bytes() == \
        Path(closed.attachments.get(kind="material").file.path).read_bytes()
    assert pdf_text((path / "data/handover-receipts/01-tanda-bukti-penyerahan-notice.pdf").read_bytes()).count(
        "TANDA BUKTI PENYERAHAN SURAT") == 1

    events = json.loads((path / "data/events.json").read_text())["events"]
    stored = list(CaseEvent.objects.filter(case=closed).order_by("at", "id"))
    assert len(events) == len(stored) and [e["kind"] for e in events] == [e.kind for e in stored]
    assert {"submitted", "answered", "letter_delivered", "closed"} <= {e["kind"] for e in events}
    closing = next(e for e in events if e["kind"] == "closed")
    assert closing["actor"] == "petugas.dinkes" and closing["to_status"] == "closed"
    assert closing["at"].startswith("2026-04-03T09:00:00+08:00")
    assert set(events[0]) == {"at", "kind", "from_status", "to_status", "note", "actor", "public", "data"}

    index = json.loads((path / "data/index.json").read_text())
    assert index["classification_code"] == "000.5.2" and index["registration_number"] == "DINKES-2026-00001"
    assert {f["path"] for f in index["files"]} == {f"data/{n}" for n in names
                                                   if n not in ("events.json", "index.json", "summary.txt")}

    summary = (path / "data/summary.txt").read_text()
    assert "DINKES-2026-00001" in summary and "Dikabulkan seluruhnya" in summary and "01-04-2026" in summary
    assert "material/01-data-puskesmas.pdf" in summary

    record = ArchiveExport.objects.get(case=closed)
    assert record.package_name == "DINKES-2026-00001"
    assert record.tagmanifest_sha256 == hashlib.sha256((path / "tagmanifest-sha256.txt").read_bytes()).hexdigest()


def test_the_package_holds_no_identity_scan_nor_the_requesters_contact(closed, tmp_path):
    scan = Case.objects.get(pk=closed.pk).identity_document
    assert scan  # still kept: its retention has not ended
    scan_bytes = png_bytes()
    export(tmp_path)
    path = tmp_path / "DINKES-2026-00001"
    for file in bag_files(path):
        content = file.read_bytes()
        assert content != scan_bytes and b"\x89PNG" not in content[:8]
        assert os.path.basename(scan.name) not in str(file)
        if file.suffix in (".txt", ".json"):
            text = content.decode()
            for secret in (NIK, "081234567890", "siti@example.org", "Jl. Mulawarman"):
                assert secret not in text, (file, secret)


def test_a_nik_quoted_in_a_note_is_masked(submit, officer, tmp_path):
    case = answered_case(submit, officer)
    with at(dt.date(2026, 4, 3)):
        case_close(case=case, actor=officer, note=f"Pemohon NIK {NIK} menerima data.")
    export(tmp_path)
    events = (tmp_path / "DINKES-2026-00001/data/events.json").read_text()
    assert NIK not in events and "Pemohon NIK [disamarkan] menerima data." in events


def test_a_case_in_its_objection_window_is_not_exported(closed, tmp_path):
    output = export(tmp_path, day=FILING_ENDS)
    assert "0 packages written" in output and "1 not yet archivable" in output
    assert list(tmp_path.iterdir()) == [] and not ArchiveExport.objects.exists()


def test_exporting_twice_writes_nothing_new(closed, tmp_path):
    export(tmp_path)
    path = tmp_path / "DINKES-2026-00001"
    before = {f: f.stat().st_mtime_ns for f in bag_files(path)}
    output = export(tmp_path, day=FILING_ENDS + dt.timedelta(days=30))
    assert "Nothing new to write: 0 packages written." in output
    assert "0 written, 1 already exported (skipped), 0 not yet archivable." in output
    assert {f: f.stat().st_mtime_ns for f in bag_files(path)} == before
    assert ArchiveExport.objects.count() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["DINKES-2026-00001"]


def test_a_leftover_from_a_stopped_run_is_cleaned_and_the_case_exported(closed, tmp_path):
    leftover = tmp_path / f"{TEMP_PREFIX}DINKES-2026-00001" / "data"
    leftover.mkdir(parents=True)
    (leftover / "half.pdf").write_bytes(b"%PDF-1.7 half")
    output = export(tmp_path)
    assert f"Removed an unfinished package from an earlier run: {TEMP_PREFIX}DINKES-2026-00001" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["DINKES-2026-00001"]
    bagit.Bag(str(tmp_path / "DINKES-2026-00001")).validate()
    assert not (tmp_path / "DINKES-2026-00001/data/half.pdf").exists()
    assert ArchiveExport.objects.filter(case=closed).exists()


def test_a_package_renamed_before_its_record_was_written_is_redone(closed, tmp_path):
    stale = tmp_path / "DINKES-2026-00001"
    stale.mkdir()
    (stale / "stale.txt").write_text("from a run that stopped")
    export(tmp_path)
    assert not (stale / "stale.txt").exists()
    bagit.Bag(str(stale)).validate()
    assert ArchiveExport.objects.filter(case=closed).exists()


def test_the_opd_filter_and_the_year(closed, submit, officer, other_officer, tmp_path):
    other = answered_case(submit, other_officer, opd="DPUPR")
    with at(dt.date(2026, 4, 3)):
        case_close(case=other, actor=other_officer)
    output = export(tmp_path / "dpupr", "--opd", "dpupr")
    assert "[1/1] DPUPR-2026-00001" in output and "DINKES" not in output
    assert [p.name for p in (tmp_path / "dpupr").iterdir()] == ["DPUPR-2026-00001"]
    out = io.StringIO()
    with at(FILING_ENDS + dt.timedelta(days=1)):
        call_command("archive_export", str(tmp_path / "y2025"), "--year", "2025", stdout=out)
    assert "0 written, 0 already exported (skipped), 0 not yet archivable." in out.getvalue()
    assert cases_received_in(2026, "DINKES").get() == closed


def test_an_unknown_opd_is_refused(opds, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown OPD code: NOPE"):
        call_command("archive_export", str(tmp_path), "--year", "2026", "--opd", "nope")


def test_queries_stay_constant_whatever_the_number_of_cases(submit, officer, tmp_path, django_assert_max_num_queries,
                                                            django_capture_on_commit_callbacks):
    for _ in range(3):
        case = answered_case(submit, officer)
        with at(dt.date(2026, 4, 3)):
            case_close(case=case, actor=officer)
    # The selection (cases, objections, holidays, counts), one batch's reads (cases, their four relations and the
    # kept receipts), then one insert per case.
    with django_assert_max_num_queries(4 + 6 + 3):
        export(tmp_path)
    assert ArchiveExport.objects.count() == 3


def test_withdrawn_case_is_archivable_the_day_after_and_counts(submit, officer, tmp_path):
    with at(dt.date(2026, 3, 13), 10):
        withdrawn = submit().case
    with at(dt.date(2026, 3, 20)):
        case_withdraw(case=withdrawn, note="Tidak diperlukan lagi.")
    open_case = answered_case(submit, officer)
    cases = cases_received_in(2026)
    assert archive_counts(cases, dt.date(2026, 3, 20)) == {"total": 2, "archived": 0, "waiting": 0, "not_yet": 2}
    assert archive_counts(cases, dt.date(2026, 3, 21)) == {"total": 2, "archived": 0, "waiting": 1, "not_yet": 1}
    export(tmp_path, day=dt.date(2026, 3, 21))
    assert archive_counts(cases, dt.date(2026, 3, 21)) == {"total": 2, "archived": 1, "waiting": 0, "not_yet": 1}
    assert not ArchiveExport.objects.filter(case=open_case).exists()


# ------------------------------------------------------------------------------------------ the dashboard
def archive_figures_of(page: str) -> list[int]:
    import re

    block = page[page.index('id="archive-figures"'):]
    block = block[:block.index("</div>")]
    return [int(n) for n in re.findall(r'<span class="fig-n">(\d+)</span>', block)]


def test_the_dashboard_counts_archived_waiting_and_not_yet(closed, submit, officer, other_officer, admin_utama,
                                                           client, tmp_path):
    waiting = answered_case(submit, officer)
    with at(dt.date(2026, 4, 3)):
        case_close(case=waiting, actor=officer)
    answered_case(submit, officer)  # answered, never closed
    other = answered_case(submit, other_officer, opd="DPUPR")
    with at(dt.date(2026, 4, 3)):
        case_close(case=other, actor=other_officer)
    export(tmp_path, "--opd", "DINKES")  # writes both closed DINKES cases
    with at(dt.date(2026, 4, 7)):
        case = answered_case(submit, officer)
    with at(dt.date(2026, 5, 20)):
        case_close(case=case, actor=officer)  # answered 1 April as well, closed later: archivable on the 21st
    client.force_login(admin_utama)
    with at(dt.date(2026, 5, 21), 10):
        everything = client.get("/dasbor/?year=2026").content.decode()
        dinkes = client.get("/dasbor/?year=2026&opd=DINKES").content.decode()
        last_year = client.get("/dasbor/?year=2025").content.decode()
    assert "Arsip untuk Dinas Kearsipan" in everything
    # archived: the two DINKES cases; waiting: DPUPR's and the one closed on 20 May; not yet: the answered one.
    assert archive_figures_of(everything) == [2, 2, 1]
    assert archive_figures_of(dinkes) == [2, 1, 1]
    assert archive_figures_of(last_year) == [0, 0, 0]
