"""Backup and restore of the portal's state: the database and the private files in MEDIA_ROOT, together.

One archive per run, `lobiku-backup-<YYYYmmdd-HHMMSS>.tar`, holding:

- `database.dump` (PostgreSQL: pg_dump custom format, without owners) or `database.sqlite3` (SQLite: a copy made
  with the sqlite3 backup API, consistent while the portal writes);
- `media.tar`: every file under MEDIA_ROOT (identity scans, letters, documents), paths relative to it;
- `manifest.json`: when, the database vendor, the applied migrations per app, the portal's version and commit, and
  the sha256 of the two other members.

A restore checks every checksum and the vendor before it touches anything, then replaces the database (PostgreSQL:
pg_restore in one transaction, so a failure leaves the database as it was) and then the contents of MEDIA_ROOT.
An archive can be written to (and read from) an S3-compatible bucket when the PPID_BACKUP_S3_* settings are set and
boto3 is installed; boto3 is optional and not a dependency of the portal.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils.timezone import localtime

from ppid_portal.clock import now

MANIFEST = "manifest.json"
MEDIA_MEMBER = "media.tar"
DUMP_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT_VERSION = 1
# Staging directories a restore makes inside MEDIA_ROOT (same file system, so moves are renames); never backed up.
STAGING_PREFIX = ".restore-"
S3_SETTINGS = ("PPID_BACKUP_S3_ENDPOINT", "PPID_BACKUP_S3_BUCKET", "PPID_BACKUP_S3_ACCESS_KEY",
               "PPID_BACKUP_S3_SECRET_KEY")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    location: str  # a local path or s3://bucket/key
    manifest: dict


@dataclass(frozen=True)
class VerifiedArchive:
    path: Path
    manifest: dict


# --- facts about this installation ------------------------------------------------------------------------------

def _connection(alias: str = "default"):
    return connections[alias]


def database_vendor(alias: str = "default") -> str:
    vendor = _connection(alias).vendor
    if vendor not in DUMP_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def applied_migrations(alias: str = "default") -> dict[str, list[str]]:
    """The migrations recorded as applied in the database, per app."""
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(_connection(alias)).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def portal_version() -> dict:
    """The project's version from pyproject.toml and the git commit, when they can be read."""
    import tomllib

    info: dict = {}
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as fh:
            info["version"] = tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, ValueError):
        pass
    try:
        commit = subprocess.run(["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        info["commit"] = commit or None
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_on_local_disk() -> bool:
    return settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


# --- PostgreSQL tools -----------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client (e.g. apt-get install "
                          f"postgresql-client) matching the server's major version.")
    return path


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's environment for the Django connection (no password on a command line)."""
    conf = _connection(alias).settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    sslmode = (conf.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def pg_dump_version() -> str:
    done = subprocess.run([_pg_tool("pg_dump"), "--version"], capture_output=True, text=True)
    return done.stdout.strip()


def _dump_database(target: Path, vendor: str, alias: str) -> None:
    conf = _connection(alias).settings_dict
    if vendor == "postgresql":
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", "--dbname", conf["NAME"]],
             _pg_env(alias))
    else:
        source = sqlite3.connect(str(conf["NAME"]))
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()


def _restore_database(dump: Path, vendor: str, alias: str) -> None:
    connection = _connection(alias)
    conf = connection.settings_dict
    connection.close()  # no open transaction of ours may hold a lock on the tables being replaced
    if vendor == "postgresql":
        # One transaction: an error leaves the database as it was, and the media are not touched after it.
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", conf["NAME"], str(dump)], _pg_env(alias))
    else:
        source = sqlite3.connect(str(dump))
        dest = sqlite3.connect(str(conf["NAME"]))
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()


# --- media ----------------------------------------------------------------------------------------------------

def _tar_media(target: Path) -> int:
    """Write MEDIA_ROOT's files to `target`; returns how many files."""
    root = _media_root()
    count = 0
    with tarfile.open(target, "w") as tar:
        if root.is_dir():
            for entry in sorted(root.iterdir()):
                if entry.name.startswith(STAGING_PREFIX):
                    continue
                tar.add(entry, arcname=entry.name)
                count += 1 if entry.is_file() else sum(1 for p in entry.rglob("*") if p.is_file())
    return count


def _restore_media(media_tar: Path) -> None:
    """Replace MEDIA_ROOT's contents with the archive's: files added since the backup go too (they would be
    orphans the restored database does not name, possibly personal data). MEDIA_ROOT itself may be a mount point,
    so its entries are moved, not the directory."""
    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = now().strftime("%Y%m%d%H%M%S")
    incoming = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}new-{stamp}-", dir=root))
    outgoing = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}old-{stamp}-", dir=root))
    try:
        with tarfile.open(media_tar, "r") as tar:
            tar.extractall(incoming, filter="data")  # no absolute paths, no "..", no devices or links outside
        for entry in list(root.iterdir()):
            if not entry.name.startswith(STAGING_PREFIX):
                entry.rename(outgoing / entry.name)
        for entry in list(incoming.iterdir()):
            entry.rename(root / entry.name)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
        shutil.rmtree(outgoing, ignore_errors=True)


# --- S3-compatible storage -------------------------------------------------------------------------------------

def _s3_client():
    missing = [name for name in S3_SETTINGS if not getattr(settings, name, "")]
    if missing:
        raise BackupError("Backups to S3 need these settings: " + ", ".join(missing) + ".")
    try:
        import boto3
    except ImportError as exc:
        raise BackupError("Backups to S3 need boto3, which the portal does not install: "
                          "run `pip install boto3` in the portal's environment (or use --to DIR).") from exc
    return boto3.client(
        "s3", endpoint_url=settings.PPID_BACKUP_S3_ENDPOINT,
        aws_access_key_id=settings.PPID_BACKUP_S3_ACCESS_KEY,
        aws_secret_access_key=settings.PPID_BACKUP_S3_SECRET_KEY,
        region_name=getattr(settings, "PPID_BACKUP_S3_REGION", "") or None,
    )


def _s3_location(url: str) -> tuple[str, str]:
    """(bucket, key or prefix) of `s3://bucket/prefix`; an empty bucket means PPID_BACKUP_S3_BUCKET."""
    rest = url[len("s3://"):]
    bucket, _, prefix = rest.partition("/")
    return bucket or getattr(settings, "PPID_BACKUP_S3_BUCKET", ""), prefix.strip("/")


def is_s3(location: str) -> bool:
    return str(location).startswith("s3://")


# --- backup -----------------------------------------------------------------------------------------------------

def archive_name(at: datetime) -> str:
    return f"lobiku-backup-{at:%Y%m%d-%H%M%S}.tar"


def backup_create(*, to: str | None = None, alias: str = "default") -> BackupResult:
    """Dump the database and MEDIA_ROOT into one archive in the directory `to` (default PPID_BACKUP_DIR) or,
    for `s3://bucket/prefix`, upload it there."""
    to = to or str(settings.PPID_BACKUP_DIR)
    s3 = _s3_client() if is_s3(to) else None  # refuse before the work when S3 is not usable
    vendor = database_vendor(alias)
    if not _media_on_local_disk():
        raise BackupError("Uploaded files are kept in an external store (PPID_FILE_STORAGE), not in MEDIA_ROOT: "
                          "back that store up with its own tools; this command backs up MEDIA_ROOT only.")
    taken_at = localtime(now())  # WITA, like every date the portal shows
    target_dir = None if s3 is not None else Path(to)
    if target_dir is not None:
        target_dir.mkdir(parents=True, exist_ok=True)
    # A local archive is built beside its target (the dump and the media may not fit in /tmp; the last step is a
    # rename); an upload is built in the system's temporary directory.
    with tempfile.TemporaryDirectory(prefix=".lobiku-backup-", dir=target_dir) as tmp:
        work = Path(tmp)
        dump = work / DUMP_MEMBERS[vendor]
        _dump_database(dump, vendor, alias)
        media = work / MEDIA_MEMBER
        media_files = _tar_media(media)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": taken_at.isoformat(),
            "database_vendor": vendor,
            "database_name": Path(str(_connection(alias).settings_dict["NAME"])).name,
            "migrations": applied_migrations(alias),
            "portal": portal_version(),
            "media_files": media_files,
            "files": {dump.name: _sha256(dump), media.name: _sha256(media)},
        }
        if vendor == "postgresql":
            manifest["pg_dump"] = pg_dump_version()
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        name = archive_name(taken_at)
        packed = work / name
        with tarfile.open(packed, "w") as tar:
            for member in (MANIFEST, dump.name, media.name):
                tar.add(work / member, arcname=member)
        if s3 is not None:
            bucket, prefix = _s3_location(to)
            key = f"{prefix}/{name}" if prefix else name
            s3.upload_file(str(packed), bucket, key)
            return BackupResult(location=f"s3://{bucket}/{key}", manifest=manifest)
        target = target_dir / name
        os.chmod(packed, 0o600)  # personal data: readable by the portal's user only
        packed.replace(target)  # complete or absent: a half-written archive never carries the final name
        return BackupResult(location=str(target), manifest=manifest)


# --- restore ----------------------------------------------------------------------------------------------------

def archive_extract_verified(archive: Path, into: Path, *, alias: str = "default") -> VerifiedArchive:
    """Unpack `archive` into `into` and check it: the manifest's checksums, the database vendor, and that this
    code knows every migration the archive's database had. BackupError on any mismatch; nothing is restored."""
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    try:
        with tarfile.open(archive, "r") as tar:
            names = set(tar.getnames())
            if MANIFEST not in names:
                raise BackupError(f"{archive.name} has no {MANIFEST}: not a portal backup.")
            wanted = [m for m in tar.getmembers() if m.name in {MANIFEST, MEDIA_MEMBER, *DUMP_MEMBERS.values()}]
            tar.extractall(into, members=wanted, filter="data")
    except tarfile.TarError as exc:
        raise BackupError(f"{archive.name} is not a readable archive: {exc}") from exc
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        checksums = manifest["files"]
        archived_vendor = manifest["database_vendor"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"The manifest of {archive.name} cannot be read: {exc}") from exc
    expected = {DUMP_MEMBERS.get(archived_vendor), MEDIA_MEMBER}
    if set(checksums) != expected:
        raise BackupError(f"The manifest lists {sorted(checksums)}, expected {sorted(m for m in expected if m)}.")
    for member, digest in sorted(checksums.items()):
        path = into / member
        if not path.is_file():
            raise BackupError(f"{member} is missing from {archive.name}.")
        actual = _sha256(path)
        if actual != digest:
            raise BackupError(f"Checksum mismatch for {member}: the manifest says {digest}, the file is {actual}. "
                              f"The archive is damaged or was altered; nothing was restored.")
    vendor = database_vendor(alias)
    if archived_vendor != vendor:
        raise BackupError(f"The archive holds a {archived_vendor} database; this portal runs on {vendor}. "
                          f"Nothing was restored.")
    known = _known_migrations()
    unknown = sorted(f"{app}.{name}" for app, names in manifest.get("migrations", {}).items() for name in names
                     if (app, name) not in known)
    if unknown:
        raise BackupError("The archive comes from a newer version of the portal (migrations this code does not "
                          "have: " + ", ".join(unknown[:10]) + "). Deploy that version first.")
    return VerifiedArchive(path=into, manifest=manifest)


def archive_fetch(location: str, into: Path) -> Path:
    """A local path as is; `s3://bucket/key` downloaded into `into`."""
    if not is_s3(location):
        return Path(location)
    s3 = _s3_client()
    bucket, key = _s3_location(location)
    target = into / (Path(key).name or "archive.tar")
    s3.download_file(bucket, key, str(target))
    return target


def backup_restore(*, archive: str, confirm=None, alias: str = "default") -> dict | None:
    """Verify `archive` (a path or s3://bucket/key), then replace the database and MEDIA_ROOT's contents with
    its own. `confirm(manifest)` is asked after the checks and before anything is touched; when it answers
    False nothing is restored and None is returned. Returns the manifest of the restored archive."""
    with tempfile.TemporaryDirectory(prefix="lobiku-restore-") as tmp:
        work = Path(tmp)
        local = archive_fetch(archive, work)
        unpacked = work / "unpacked"
        unpacked.mkdir()
        verified = archive_extract_verified(local, unpacked, alias=alias)
        if confirm is not None and not confirm(verified.manifest):
            return None
        vendor = verified.manifest["database_vendor"]
        _restore_database(unpacked / DUMP_MEMBERS[vendor], vendor, alias)
        _restore_media(unpacked / MEDIA_MEMBER)
        return verified.manifest
