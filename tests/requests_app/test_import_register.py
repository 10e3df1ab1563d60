"""import_register: an OPD's earlier register becomes finished, imported cases that the figures count, with no
tracking code and no e-mail; a file with any bad row imports nothing and says where."""

from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from compliance_app.selectors import Period, compliance_figures, public_stats
from requests_app.models import Case, CaseEvent, EventKind, Notification, RegistrationCounter, Status

REGISTER = """nomor_registrasi;tanggal_diterima;nama;rincian_informasi;keputusan;tanggal_dijawab;pasal_17
;04/03/2024;Andi;Data puskesmas 2023;Dikabulkan seluruhnya;08/03/2024;
DINKES-2024-00007;2024-05-02;Budi;Anggaran obat 2024;ditolak;2024-06-28;h
045.PPID-DINKES.VII.2024;2024-07-01;Citra;Jumlah bidan desa;sebagian;2024-07-05;
;2024-08-01;Dedi;Daftar posyandu;dicabut;;
;2024-09-02;Eka;SOP rujukan;;;
"""


def run(tmp_path, text, *args, name="register.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_register", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def test_register_rows_become_imported_cases_the_figures_count(opds, calendar, tmp_path):
    out, err, failure = run(tmp_path, REGISTER, "--opd", "dinkes")
    assert failure is None, err
    assert "5 request(s) imported into DINKES" in out
    cases = {case.name: case for case in Case.objects.filter(imported=True)}
    assert len(cases) == 5
    # Numbered in the order of receipt on the OPD's counter, after the number the register already used.
    assert cases["Budi"].registration_number == "DINKES-2024-00007"
    assert cases["Citra"].registration_number == "045.PPID-DINKES.VII.2024"
    assert cases["Andi"].registration_number == "DINKES-2024-00008"
    assert cases["Dedi"].registration_number == "DINKES-2024-00010"
    assert RegistrationCounter.objects.get(opd=opds["DINKES"], year=2024).last_value == 11
    assert {case.tracking_code_hash for case in cases.values()} == {""}
    assert cases["Andi"].status == Status.CLOSED and cases["Andi"].answer_working_days == 4
    assert cases["Budi"].decision == "rejected_exempt" and cases["Budi"].exemption == "h"
    assert cases["Dedi"].status == Status.WITHDRAWN and cases["Dedi"].answered_at is None
    assert cases["Eka"].status == Status.CLOSED and cases["Eka"].answered_at is None
    assert not mail.outbox and not Notification.objects.exists()
    assert list(cases["Andi"].events.values_list("kind", flat=True)) == [
        EventKind.SUBMITTED, EventKind.ANSWERED, EventKind.CLOSED]
    assert "register.csv" in CaseEvent.objects.filter(case=cases["Andi"]).first().note

    total = compliance_figures(period=Period.for_year(2024))["total"]
    assert total["received"] == 5
    assert total["answered"] == 3
    assert total["answered_on_time"] == 2 and total["answered_late"] == 1
    assert total["overdue_open"] == 0
    assert total["refusals_by_letter"]["h"] == 1
    dinkes = next(row for row in public_stats(year=2024)["opds"] if row["opd"] == "DINKES")
    assert dinkes["received"] == 5 and dinkes["answered_on_time"] == 2


def test_every_bad_row_is_reported_and_nothing_is_imported(opds, calendar, tmp_path):
    text = """registration_number,received_on,name,information_requested,decision,answered_on,exemption
,2024-13-01,Andi,Data,,,
DPUPR-2024-00001,2024-03-04,Budi,Data,granted,2024-03-05,
DINKES-2023-00001,2024-03-04,Citra,Data,granted,2024-03-05,
,2024-03-04,,Data,disetujui,,
,2024-03-04,Eka,Data,granted,,
,2024-03-04,Fajar,Data,granted,2024-03-01,a
045/PPID/2024,2024-03-04,Gita,Data,,,
"""
    _, err, failure = run(tmp_path, text, "--opd", "DINKES")
    assert "nothing was imported" in failure
    lines = err.splitlines()
    assert "line 2, received_on: '2024-13-01' is not a date (YYYY-MM-DD or DD/MM/YYYY)" in lines
    assert "line 3, registration_number: DPUPR-2024-00001: the prefix is not DINKES" in lines
    assert "line 4, registration_number: DINKES-2023-00001: the year is not the received date's (2024)" in lines
    assert "line 5, name: required" in lines
    assert any(line.startswith("line 5, decision: 'disetujui': one of granted") for line in lines)
    assert "line 6, answered_on: required with a decision (the date of the written notice)" in lines
    assert "line 7, answered_on: before the received date" in lines
    assert "line 7, exemption: only for a refusal (ditolak)" in lines
    assert "line 8, registration_number: '045/PPID/2024': only letters, digits, '-', '.' and '_' (write '/' as " \
           "'-'), or leave it blank to number the row" in lines
    assert not Case.objects.exists()
    assert not RegistrationCounter.objects.exists()


def test_numbers_already_registered_are_refused(opds, calendar, submit, tmp_path):
    existing = submit().case
    text = (f"registration_number,received_on,name,information_requested\n"
            f"{existing.registration_number},{existing.received_at:%Y-%m-%d},Andi,Data\n")
    _, err, failure = run(tmp_path, text, "--opd", "DINKES")
    assert failure and f"line 2, registration_number: {existing.registration_number} is already registered" in err
    assert Case.objects.count() == 1


def test_an_xlsx_register_with_real_dates_is_imported(opds, calendar, tmp_path):
    import datetime as dt
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Nomor registrasi", "Tanggal diterima", "Nama", "Rincian informasi", "Keputusan",
                  "Tanggal dijawab"])
    sheet.append([None, dt.datetime(2023, 10, 2), "Andi", "Data sekolah", "Informasi tidak dikuasai",
                  dt.datetime(2023, 10, 6)])
    buffer = io.BytesIO()
    book.save(buffer)
    out, err, failure = run(tmp_path, buffer.getvalue(), "--opd", "DISDIKBUD", name="register.xlsx")
    assert failure is None, err
    case = Case.objects.get()
    assert case.registration_number == "DISDIKBUD-2023-00001"
    assert case.decision == "not_held" and case.imported
    assert compliance_figures(period=Period.for_year(2023), opd_codes=["DISDIKBUD"])["total"]["answered"] == 1


def test_dry_run_writes_nothing(opds, calendar, tmp_path):
    out, _, failure = run(tmp_path, REGISTER, "--opd", "DINKES", "--dry-run")
    assert failure is None and "5 request(s) would be imported into DINKES" in out
    assert not Case.objects.exists() and not RegistrationCounter.objects.exists()


def test_duplicate_numbers_in_the_file_are_refused(opds, calendar, tmp_path):
    text = ("registration_number,received_on,name,information_requested\n"
            "X1,2024-03-04,Andi,Data\nx1,2024-03-05,Budi,Data\n")
    _, err, failure = run(tmp_path, text, "--opd", "DINKES")
    assert failure and "line 3, registration_number: X1 is already on line 2" in err
    assert not Case.objects.exists()


def test_officers_read_an_imported_case_and_the_dashboard_lists_it(opds, calendar, officer, admin_utama, client,
                                                                   tmp_path):
    assert run(tmp_path, REGISTER, "--opd", "DINKES")[2] is None
    client.force_login(officer)
    page = client.get("/petugas/kasus/045.PPID-DINKES.VII.2024/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jumlah bidan desa" in text and "Dicatat dari register permohonan sebelumnya" in text
    client.force_login(admin_utama)
    listing = client.get("/dasbor/kasus/", {"year": 2024, "metric": "received", "opd": "DINKES"})
    assert listing.status_code == 200
    assert "045.PPID-DINKES.VII.2024" in listing.content.decode()
