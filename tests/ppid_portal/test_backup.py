"""backup / restore: the database and the private files come back together, and a damaged archive is refused
before anything is touched."""

import io
import json
import tarfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from documents_app.models import Document
from documents_app.services.intake import document_create
from requests_app.models import Case
from tests.conftest import pdf_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _media_bytes(name: str) -> bytes:
    return (Path(settings.MEDIA_ROOT) / name).read_bytes()


def _backup(tmp_path) -> Path:
    out = StringIO()
    call_command("backup", "--to", str(tmp_path / "archives"), stdout=out)
    archives = list((tmp_path / "archives").glob("lobiku-backup-*.tar"))
    assert len(archives) == 1, out.getvalue()
    assert "Backup written" in out.getvalue()
    assert archives[0].stat().st_mode & 0o777 == 0o600  # personal data: the portal's user only
    assert [p.name for p in (tmp_path / "archives").iterdir()] == [archives[0].name]  # no work files left
    return archives[0]


def test_round_trip_brings_back_rows_and_file_bytes(submit, officer, tmp_path):
    first = submit(name="Siti Rahmawati").case
    second = submit(name="Budi Santoso").case
    document = document_create(
        actor=officer, opd=first.opd, meta={"title": "Rekap puskesmas 2025", "category": "berkala"},
        upload=SimpleUploadedFile("rekap.pdf", pdf_bytes("Rekap puskesmas"), content_type="application/pdf"))
    scan_name, doc_name = first.identity_document.name, document.file.name
    scan_bytes, doc_bytes = _media_bytes(scan_name), _media_bytes(doc_name)

    archive = _backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert sorted(tar.getnames()) == ["database.dump", "manifest.json", "media.tar"]
    assert manifest["database_vendor"] == "postgresql"
    assert "0001_initial" in manifest["migrations"]["requests_app"]
    assert set(manifest["files"]) == {"database.dump", "media.tar"}

    # After the backup: one case changed, one deleted (with its scan), a document's file overwritten, a new file.
    Case.objects.filter(pk=first.pk).update(name="Diubah")
    Case.objects.get(pk=second.pk).delete()
    (Path(settings.MEDIA_ROOT) / doc_name).write_bytes(b"overwritten")
    stray = Path(settings.MEDIA_ROOT) / "private" / "identity" / "after-backup.png"
    stray.write_bytes(b"new since the backup")
    assert not (Path(settings.MEDIA_ROOT) / second.identity_document.name).exists()

    out = StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "Archive verified" in out.getvalue() and "Restored" in out.getvalue()

    assert Case.objects.get(pk=first.pk).name == "Siti Rahmawati"
    assert Case.objects.get(pk=second.pk).name == "Budi Santoso"
    assert Document.objects.get(pk=document.pk).title == "Rekap puskesmas 2025"
    assert _media_bytes(scan_name) == scan_bytes
    assert _media_bytes(doc_name) == doc_bytes
    assert (Path(settings.MEDIA_ROOT) / second.identity_document.name).exists()
    assert not stray.exists()  # the restored database names no such file
    assert not [p for p in Path(settings.MEDIA_ROOT).iterdir() if p.name.startswith(".restore-")]


def _rewrite_member(archive: Path, member: str, data: bytes) -> None:
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    members[member] = data
    with tarfile.open(archive, "w") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def test_tampered_archive_is_refused_and_nothing_is_touched(submit, tmp_path):
    case = submit().case
    archive = _backup(tmp_path)
    with tarfile.open(archive) as tar:
        media = tar.extractfile("media.tar").read()
    _rewrite_member(archive, "media.tar", media[:-1024] + b"x" * 1024)
    Case.objects.filter(pk=case.pk).update(name="Sesudah backup")

    with pytest.raises(CommandError, match="Checksum mismatch for media.tar"):
        call_command("restore", str(archive), "--yes", stdout=StringIO())
    assert Case.objects.get(pk=case.pk).name == "Sesudah backup"


def test_vendor_mismatch_is_refused(submit, tmp_path):
    case = submit().case
    archive = _backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        dump = tar.extractfile("database.dump").read()
    # A manifest that claims SQLite, with checksums that match, is still refused on PostgreSQL.
    manifest["database_vendor"] = "sqlite"
    manifest["files"]["database.sqlite3"] = manifest["files"].pop("database.dump")
    _rewrite_member(archive, "manifest.json", json.dumps(manifest).encode())
    _rewrite_member(archive, "database.sqlite3", dump)
    Case.objects.filter(pk=case.pk).update(name="Sesudah backup")

    with pytest.raises(CommandError, match="holds a sqlite database; this portal runs on postgresql"):
        call_command("restore", str(archive), "--yes", stdout=StringIO())
    assert Case.objects.get(pk=case.pk).name == "Sesudah backup"


def test_restore_without_yes_off_a_terminal_is_refused(submit, tmp_path, monkeypatch):
    case = submit().case
    archive = _backup(tmp_path)
    Case.objects.filter(pk=case.pk).update(name="Sesudah backup")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="without --yes"):
        call_command("restore", str(archive), stdout=StringIO())
    assert Case.objects.get(pk=case.pk).name == "Sesudah backup"


def test_s3_without_boto3_says_what_to_install(db, settings, tmp_path, monkeypatch):
    import builtins

    settings.PPID_BACKUP_S3_ENDPOINT = "https://s3.example.org"
    settings.PPID_BACKUP_S3_BUCKET = "ppid"
    settings.PPID_BACKUP_S3_ACCESS_KEY = "key"
    settings.PPID_BACKUP_S3_SECRET_KEY = "secret"
    real_import = builtins.__import__

    def no_boto3(name, *args, **kwargs):
        if name == "boto3":
            raise ImportError("No module named 'boto3'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_boto3)
    with pytest.raises(CommandError, match="pip install boto3"):
        call_command("backup", "--to", "s3://ppid/lobiku", stdout=StringIO())


def test_s3_without_settings_names_the_missing_ones(db, settings):
    settings.PPID_BACKUP_S3_ENDPOINT = ""
    with pytest.raises(CommandError, match="PPID_BACKUP_S3_ENDPOINT"):
        call_command("backup", "--to", "s3://ppid/lobiku", stdout=StringIO())
