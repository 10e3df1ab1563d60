"""Archive packages for the regency's records office (Dinas Kearsipan, loaded into SRIKANDI).

A case closed or withdrawn whose remedy windows have all run out (rules.archivable_on) is handed over as one BagIt
package (RFC 8493, SHA-256): its kept letters, the receipts of the letters handed over, the answer material, the
event log as JSON, a readable summary and an index, with the OPD, the registration number and the archive
classification code in bag-info.txt. The requester's papers (identity scan, authority document) are never in a
package, and the summary, the index and the event log carry no NIK, phone number, e-mail or address.

Each package is written into a temporary directory inside the destination and renamed into place when complete; its
ArchiveExport record is written only after that, so a run that stops half-way leaves at most a temporary directory
(removed and redone by the next run) or a complete package without a record (rewritten by the next run), and a case
with a record is never packaged again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation

from ppid_portal.clock import WITA, now, today_wita, wita_date
from requests_app import rules, workdays
from requests_app.models import (
    ArchiveExport,
    Case,
    CaseAttachment,
    CaseEvent,
    IssuedLetter,
    LetterDelivery,
    LetterKind,
    Objection,
)
from requests_app.rules import FINISHED_STATUSES

# The letters the portal wrote and kept (the answer material goes in a folder of its own).
LETTER_KINDS = (CaseAttachment.Kind.RECEIPT, CaseAttachment.Kind.NOTICE, CaseAttachment.Kind.EXTENSION)
OBJECTION_LETTER_KINDS = (CaseAttachment.Kind.OBJECTION_RECEIPT, CaseAttachment.Kind.OBJECTION_ANSWER)
# A directory left by a run that stopped before its rename starts with this (never a registration number's start).
TEMP_PREFIX = ".tmp-"
# Cases read per batch: their files, events, objections and deliveries in a fixed number of queries.
BATCH = 50
REDACTED = "[disamarkan]"
# Calendar days past the last date of a case a window can reach: OBJECTION_FILING_DAYS working days and the longest
# run of holidays (workdays.calendar_for adds its own slack on both sides).
_WINDOW_DAYS = rules.OBJECTION_FILING_DAYS * 7 // 5 + 20


def case_classification_code(case: Case) -> str:
    """The archive classification code (kode klasifikasi arsip) of a case's package: the one place that decides
    it. Today one code for every request (the PPID_ARCHIVE_CLASSIFICATION_CODE setting)."""
    return settings.PPID_ARCHIVE_CLASSIFICATION_CODE


def package_name(case: Case) -> str:
    """The package's directory name: the registration number (OPD code, year, sequence: already safe as a name)."""
    return _safe_name(case.registration_number)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "berkas"


# ------------------------------------------------------------------------------------------ which cases
def cases_received_in(year: int, opd_code: str = "") -> QuerySet:
    """The cases received in `year` (WITA), of one OPD (the one holding the case) when `opd_code` is given: the
    same cohort as the dashboard's."""
    start = dt.datetime(year, 1, 1, tzinfo=WITA)
    cases = Case.objects.filter(received_at__gte=start, received_at__lt=start.replace(year=year + 1))
    return cases.filter(opd__code=opd_code.upper()) if opd_code else cases


def case_archivable_on(case: Case, objections, cal: workdays.Calendar) -> dt.date | None:
    """rules.archivable_on for one case; `objections` are the case's (status, answered_at, commission_deadline)."""
    closed_on = wita_date(case.closed_at) if case.closed_at else None
    answered_on = wita_date(case.answered_at) if case.answered_at else None
    arose = rules.grounds_arose_on(status=case.status, effective_due_date=case.effective_due_date,
                                   answered_on=answered_on, today=closed_on) if closed_on else None
    return rules.archivable_on(cal, status=case.status, closed_on=closed_on, arose=arose, objections=[
        (o.status, wita_date(o.answered_at) if o.answered_at else None, o.commission_deadline) for o in objections])


def _calendar_for(cases, objections: dict[int, list], today: dt.date) -> workdays.Calendar:
    days = [wita_date(c.closed_at) for c in cases if c.closed_at]
    days += [wita_date(c.answered_at) for c in cases if c.answered_at]
    days += [wita_date(o.answered_at) for group in objections.values() for o in group if o.answered_at]
    return workdays.calendar_for(min(days, default=today), max([today, *days]) + dt.timedelta(days=_WINDOW_DAYS))


def archivable_case_ids(cases: QuerySet, today: dt.date | None = None) -> list[int]:
    """The ids of `cases` whose package may be written today and has not been: finished, every remedy window run
    out, no record yet. Three queries (the cases, their objections, the holidays) whatever their number."""
    today = today or today_wita()
    candidates = list(cases.filter(status__in=FINISHED_STATUSES, closed_at__isnull=False,
                                   archive_export__isnull=True)
                      .only("pk", "status", "closed_at", "answered_at", "effective_due_date").order_by("pk"))
    if not candidates:
        return []
    objections: dict[int, list] = {}
    for o in Objection.objects.filter(case__in=[c.pk for c in candidates]).only(
            "case_id", "status", "answered_at", "commission_deadline"):
        objections.setdefault(o.case_id, []).append(o)
    cal = _calendar_for(candidates, objections, today)
    return [c.pk for c in candidates
            if rules.is_archivable(case_archivable_on(c, objections.get(c.pk, []), cal), today)]


def archive_counts(cases: QuerySet, today: dt.date | None = None) -> dict:
    """{total, archived, waiting, not_yet} of `cases`: packaged; archivable but not packaged yet; still open or
    within a remedy window. Four queries whatever the number of cases."""
    totals = cases.aggregate(total=Count("pk"), archived=Count("pk", filter=Q(archive_export__isnull=False)))
    waiting = len(archivable_case_ids(cases, today))
    return {"total": totals["total"], "archived": totals["archived"], "waiting": waiting,
            "not_yet": totals["total"] - totals["archived"] - waiting}


# ------------------------------------------------------------------------------------------ one package
def _with_everything(ids) -> QuerySet:
    return (Case.objects.filter(pk__in=ids).select_related("opd", "registered_opd")
            .prefetch_related(Prefetch("attachments", CaseAttachment.objects.order_by("created_at", "id")),
                              Prefetch("events", CaseEvent.objects.select_related("actor").order_by("at", "id")),
                              Prefetch("objections", Objection.objects.order_by("filed_at", "id")),
                              Prefetch("letter_deliveries", LetterDelivery.objects.exclude(receipt_file="")
                                       .select_related("objection").order_by("delivered_at", "id")),
                              # The receipt (tanda bukti) is kept as issued, outside the case's attachments.
                              Prefetch("issued_letters", IssuedLetter.objects.filter(kind=LetterKind.RECEIPT)
                                       .exclude(file="").order_by("issued_at", "token"), to_attr="kept_receipts"))
            .order_by("registration_number"))


def _redactor(case: Case) -> Callable[[str], str]:
    """Masks the requester's NIK, phone number and e-mail wherever a note quotes them (a message may)."""
    secrets = sorted({v.strip() for v in (case.identity_number, case.phone, case.email) if v and len(v.strip()) >= 5},
                     key=len, reverse=True)

    def redact(text: str) -> str:
        for value in secrets:
            text = text.replace(value, REDACTED)
        return text

    return redact


def _copy_stored(name: str, target: str) -> str:
    """Copy a stored file into the package; its SHA-256."""
    digest = hashlib.sha256()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with default_storage.open(name, "rb") as src, open(target, "wb") as out:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _objection_of(attachment: CaseAttachment, objections: list[Objection]) -> Objection | None:
    # An objection's letters carry its number in their file name (requests_app.letters.letter_filename).
    return next((o for o in objections if o.objection_number in attachment.filename), None)


def _payload_files(case: Case) -> list[dict]:
    """Where each file of the case goes in data/: [{path, source, kind, letter_number, title}]."""
    objections = list(case.objections.all())
    files: list[dict] = [
        {"path": f"letters/00-{_safe_name(r.filename or 'tanda-bukti.pdf')}", "source": r.file.name,
         "kind": r.kind, "letter_number": "", "title": str(r.get_kind_display())}
        for r in case.kept_receipts
    ]
    for n, a in enumerate(case.attachments.all(), start=1):
        name = f"{n:02d}-{_safe_name(a.filename)}"
        if a.kind == CaseAttachment.Kind.MATERIAL:
            folder = "material"
        elif a.kind in OBJECTION_LETTER_KINDS and (o := _objection_of(a, objections)) is not None:
            folder = f"objections/{_safe_name(o.objection_number)}"
        else:
            folder = "letters"
        files.append({"path": f"{folder}/{name}", "source": a.file.name, "kind": a.kind,
                      "letter_number": a.letter_number, "title": str(a.get_kind_display())})
    for n, d in enumerate(case.letter_deliveries.all(), start=1):
        files.append({"path": f"handover-receipts/{n:02d}-tanda-bukti-penyerahan-{_safe_name(d.letter)}.pdf",
                      "source": d.receipt_file.name, "kind": "handover_receipt", "letter_number": "",
                      "title": f"Tanda bukti penyerahan: {d.get_letter_display()}"})
    return files


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone(WITA).isoformat() if moment else ""


def _events_json(case: Case, redact) -> str:
    events = [{"at": _local(e.at), "kind": e.kind, "from_status": e.from_status, "to_status": e.to_status,
               "note": redact(e.note), "actor": e.actor.username if e.actor else None, "public": e.public,
               "data": e.data} for e in case.events.all()]
    return redact(json.dumps({"registration_number": case.registration_number, "events": events},
                             ensure_ascii=False, indent=2, sort_keys=False)) + "\n"


def _summary_txt(case: Case, files: list[dict], code: str, redact) -> str:
    """The readable summary: no NIK, phone number, e-mail or address (the requester is named, as in the letters)."""
    def day(moment):
        return f"{wita_date(moment):%d-%m-%Y}" if moment else "-"

    lines = [
        "RINGKASAN ARSIP PERMOHONAN INFORMASI PUBLIK",
        "",
        f"Nomor registrasi      : {case.registration_number}",
        f"Kode klasifikasi      : {code}",
        f"OPD                   : {case.opd.name} ({case.opd.code})",
        f"Pemohon               : {case.name} ({case.get_requester_type_display()})",
        f"Saluran permohonan    : {case.get_channel_display()}",
        f"Diterima              : {day(case.received_at)}",
        f"Batas waktu           : {case.effective_due_date:%d-%m-%Y}"
        + (" (diperpanjang)" if case.extended_due_date else ""),
        f"Dijawab               : {day(case.answered_at)}",
        f"Keputusan             : {case.get_decision_display() if case.decision else '-'}",
        f"Status akhir          : {case.get_status_display()}",
        f"Selesai/dicabut       : {day(case.closed_at)}",
        "",
        "Rincian informasi yang diminta:",
        case.information_requested,
        "",
        "Keberatan:",
    ]
    objections = list(case.objections.all())
    for o in objections:
        lines.append(f"- {o.objection_number}: alasan {o.ground}, diajukan {day(o.filed_at)}, "
                     f"status {o.get_status_display()}"
                     + (f", ditanggapi {day(o.answered_at)} ({o.outcome_words()})" if o.answered_at else ""))
    if not objections:
        lines.append("- tidak ada")
    lines += ["", "Berkas dalam paket (data/):"]
    lines += [f"- {f['path']}: {f['title']}" + (f" nomor {f['letter_number']}" if f["letter_number"] else "")
              for f in files]
    lines += ["- events.json: riwayat lengkap permohonan", "- index.json: indeks paket", "",
              "Tidak termasuk: dokumen identitas pemohon dan dokumen kuasa/badan hukum (data pribadi, UU 27/2022); "
              "NIK, nomor telepon, e-mail dan alamat pemohon."]
    return redact("\n".join(lines)) + "\n"


def _index_json(case: Case, files: list[dict], code: str, name: str) -> str:
    return json.dumps({
        "package": name, "classification_code": code, "registration_number": case.registration_number,
        "opd": {"code": case.opd.code, "name": case.opd.name}, "year": case.year, "status": case.status,
        "decision": case.decision, "received_at": _local(case.received_at), "closed_at": _local(case.closed_at),
        "objections": [o.objection_number for o in case.objections.all()],
        "files": [{"path": f"data/{f['path']}", "kind": f["kind"], "letter_number": f["letter_number"],
                   "sha256": f["sha256"]} for f in files],
    }, ensure_ascii=False, indent=2) + "\n"


def package_write(case: Case, directory: str, *, today: dt.date) -> str:
    """Write `case`'s package into `directory` (new, empty) and bag it; the SHA-256 of its tagmanifest. `case`
    comes from _with_everything (its relations prefetched: no query here)."""
    import bagit

    code = case_classification_code(case)
    name = package_name(case)
    redact = _redactor(case)
    files = _payload_files(case)
    for f in files:
        f["sha256"] = _copy_stored(f["source"], os.path.join(directory, f["path"]))
    with translation.override("id"):
        texts = {"summary.txt": _summary_txt(case, files, code, redact), "events.json": _events_json(case, redact),
                 "index.json": _index_json(case, files, code, name)}
    for filename, text in texts.items():
        with open(os.path.join(directory, filename), "w", encoding="utf-8") as out:
            out.write(text)
    bagit.make_bag(directory, bag_info={
        "Source-Organization": case.opd.name,
        "External-Identifier": case.registration_number,
        "External-Description": f"Arsip permohonan informasi publik {case.registration_number}",
        "Classification-Code": code,
        "Bagging-Date": today.isoformat(),
        "Bag-Group-Identifier": f"{case.opd.code}-{case.year}",
    }, checksums=["sha256"])
    with open(os.path.join(directory, "tagmanifest-sha256.txt"), "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


# ------------------------------------------------------------------------------------------ the export run
@dataclass
class ExportResult:
    written: list[str] = field(default_factory=list)
    already: int = 0  # packaged before
    not_yet: int = 0  # open, or within a remedy window
    cleaned: list[str] = field(default_factory=list)  # temporary directories left by a stopped run


def _remove_leftovers(dest: str) -> list[str]:
    found = sorted(e for e in os.listdir(dest) if e.startswith(TEMP_PREFIX))
    for entry in found:
        shutil.rmtree(os.path.join(dest, entry), ignore_errors=True)
    return found


def _export_one(case: Case, dest: str, today: dt.date) -> str:
    name = package_name(case)
    final, temp = os.path.join(dest, name), os.path.join(dest, TEMP_PREFIX + name)
    shutil.rmtree(temp, ignore_errors=True)
    os.makedirs(temp)
    digest = package_write(case, temp, today=today)
    if os.path.exists(final):  # renamed by a run that stopped before its record: that package is redone
        shutil.rmtree(final)
    os.rename(temp, final)
    ArchiveExport.objects.create(case=case, exported_at=now(), package_name=name, tagmanifest_sha256=digest,
                                 classification_code=case_classification_code(case),
                                 destination=os.path.abspath(dest)[:500])
    return name


def archive_export(*, cases: QuerySet, dest: str, today: dt.date | None = None,
                   progress: Callable[[int, int, str], None] | None = None) -> ExportResult:
    """Write the packages of `cases` that are archivable today and not yet exported into `dest` (created if
    missing), one directory per case. Idempotent and resumable (see the module's description)."""
    today = today or today_wita()
    os.makedirs(dest, exist_ok=True)
    result = ExportResult(cleaned=_remove_leftovers(dest))
    ids = archivable_case_ids(cases, today)
    counts = cases.aggregate(total=Count("pk"), archived=Count("pk", filter=Q(archive_export__isnull=False)))
    result.already = counts["archived"]
    result.not_yet = counts["total"] - counts["archived"] - len(ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        for case in _with_everything(ids[start:start + BATCH]):
            done += 1
            if progress:
                progress(done, len(ids), case.registration_number)
            result.written.append(_export_one(case, dest, today))
    return result
