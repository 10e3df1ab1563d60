"""import_opd: another regency loads its own OPD list; a file with any bad row imports nothing and says where."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opd_app.models import OPD, Role
from opd_app.services import officer_create

GOOD = """kode;nama;jenis;ppid_utama;alamat;telepon;email;situs_web
DISKOMINFO;Dinas Komunikasi, Informatika dan Statistik;dinas;ya;Jl. Jend. Sudirman 1, Samarinda;0541-123;ppid@samarindakota.go.id;https://samarindakota.go.id
DINKES;Dinas Kesehatan;;tidak;Jl. Milono 2;;dinkes@samarindakota.go.id;
BAPPEDA;Badan Perencanaan Pembangunan Daerah;;;;;;
"""


def run(tmp_path, text, *args):
    path = tmp_path / "opd.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_opd", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


@pytest.mark.django_db
def test_a_new_directory_is_imported_with_seed_opd_defaults(tmp_path):
    out, _, failure = run(tmp_path, GOOD)
    assert failure is None
    assert "Created 3" in out
    utama = OPD.objects.get(code="DISKOMINFO")
    assert utama.is_ppid_utama and utama.ppid_title == "PPID Utama"
    assert utama.email == "ppid@samarindakota.go.id" and utama.phone == "0541-123"
    dinkes = OPD.objects.get(code="DINKES")
    # Kind from the name's first word, titles as seed_opd derives them.
    assert (dinkes.kind, dinkes.head_title, dinkes.ppid_title) == ("dinas", "Kepala Dinas Kesehatan", "PPID Pelaksana")
    assert OPD.objects.get(code="BAPPEDA").head_title == "Kepala Badan Perencanaan Pembangunan Daerah"


@pytest.mark.django_db
def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_imported(tmp_path):
    text = """code,name,kind,is_ppid_utama,email,website
DISKOMINFO,Dinas Komunikasi dan Informatika,dinas,1,ppid@kota.go.id,https://kota.go.id
DIN-KES,Dinas Kesehatan,dinas,0,dinkes@kota,
DISHUB,,dinas,0,,kota.go.id
DISKOMINFO,Kantor Lain,kantor,mungkin,,
RSUD,Rumah Sakit Umum Daerah,,0,,
"""
    _, err, failure = run(tmp_path, text)
    assert "nothing was imported" in failure
    lines = err.splitlines()
    assert "line 3, code: 'DIN-KES': 2 to 16 letters A-Z or digits, no spaces or hyphens " \
           "(it prefixes registration numbers)" in lines
    assert "line 3, email: 'dinkes@kota' is not an e-mail address" in lines
    assert "line 4, name: required" in lines
    assert "line 4, website: 'kota.go.id' is not a web address (start with https://)" in lines
    assert "line 5, kind: 'kantor': one of sekretariat, inspektorat, badan, dinas, satuan" in lines
    assert "line 5, is_ppid_utama: 'mungkin': write ya/1 or tidak/0" in lines
    assert any(line.startswith("line 6, kind: cannot tell from the name") for line in lines)
    assert not OPD.objects.exists()


@pytest.mark.django_db
def test_duplicate_codes_and_two_ppid_utama_are_refused(tmp_path):
    text = """code,name,is_ppid_utama
DISKOMINFO,Dinas Komunikasi dan Informatika,ya
SETDA,Sekretariat Daerah,ya
dinkes,Dinas Kesehatan,tidak
DINKES,Dinas Kesehatan Kota,tidak
"""
    _, err, failure = run(tmp_path, text)
    assert failure
    assert "line 5, code: DINKES is already on line 4" in err
    assert not OPD.objects.exists()

    text = text.replace("SETDA,Sekretariat Daerah,ya", "SETDA,Sekretariat Daerah,tidak").replace(
        "DINKES,Dinas Kesehatan Kota,tidak\n", "")
    assert run(tmp_path, text)[2] is None
    assert OPD.objects.count() == 3


@pytest.mark.django_db
def test_no_ppid_utama_at_all_is_refused(tmp_path):
    _, err, failure = run(tmp_path, "code,name\nDINKES,Dinas Kesehatan\n")
    assert failure and "file, is_ppid_utama: no OPD is the PPID Utama" in err
    assert not OPD.objects.exists()


def test_existing_codes_are_untouched_unless_update(opds, tmp_path):
    text = "code,name,email\nDINKES,Dinas Kesehatan Kabupaten,kesehatan@example.org\nRSUD,Dinas Rumah Sakit,\n"
    out, _, failure = run(tmp_path, text)
    assert failure is None and "Created 1, updated 0, left untouched 1" in out
    dinkes = OPD.objects.get(code="DINKES")
    assert dinkes.name == "Dinas Kesehatan" and dinkes.email == "ppid.dinkes@kukarkab.go.id"

    out, _, failure = run(tmp_path, text, "--update")
    assert failure is None and "updated 2" in out
    dinkes.refresh_from_db()
    assert dinkes.name == "Dinas Kesehatan Kabupaten" and dinkes.email == "kesehatan@example.org"
    # Columns the file does not have stay as they were.
    assert dinkes.address.startswith("Tenggarong")


def test_a_second_ppid_utama_against_the_existing_one_is_refused(opds, tmp_path):
    _, err, failure = run(tmp_path, "code,name,is_ppid_utama\nKOMINFO,Dinas Kominfo Baru,ya\n")
    assert failure
    assert "line 2, is_ppid_utama: exactly one PPID Utama is allowed; after this import it would be " \
           "DISKOMINFO, KOMINFO" in err
    assert not OPD.objects.filter(code="KOMINFO").exists()


def test_moving_the_ppid_utama_keeps_its_admin_accounts_in_mind(opds, tmp_path):
    officer_create(username="admin.utama", opd_code="DISKOMINFO", role=Role.UTAMA, password=None)
    text = "code,name,is_ppid_utama\nDISKOMINFO,Dinas Komunikasi dan Informatika,tidak\nSETDA,Sekretariat Daerah,ya\n"
    _, err, failure = run(tmp_path, text, "--update")
    assert failure and "line 2, is_ppid_utama: DISKOMINFO has Admin PPID Utama accounts" in err
    assert OPD.objects.get(code="DISKOMINFO").is_ppid_utama


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing(tmp_path):
    out, _, failure = run(tmp_path, GOOD, "--dry-run")
    assert failure is None and "Dry run, nothing written: would create 3" in out
    assert not OPD.objects.exists()


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_named(tmp_path):
    _, err, failure = run(tmp_path, "kode,singkatan\nDINKES,Dinkes\n")
    assert failure
    assert "line 1, singkatan: unknown column" in err
    assert "line 1, name: required column is missing" in err
