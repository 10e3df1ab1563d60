"""Writing the yearly service report: its narrative parts, and publishing a built report to the public."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from compliance_app.models import BuildState, ReportBuild, ReportNarrative, ReportPublication
from compliance_app.selectors import published_report
from ppid_portal.clock import now, today_wita
from ppid_portal.errors import IllegalTransition
from ppid_portal.files import atomic_with_files


@transaction.atomic
def report_narrative_update(*, year: int, sections: dict[str, str], actor) -> ReportNarrative:
    """Store PPID Utama's texts for a year's report (only the known sections, trimmed)."""
    from compliance_app.reports import NARRATIVE_SECTIONS

    clean = {key: (sections.get(key) or "").strip() for key, _title in NARRATIVE_SECTIONS}
    narrative, _created = ReportNarrative.objects.select_for_update().get_or_create(
        year=year, defaults={"sections": clean, "updated_by": actor, "updated_at": now()})
    if not _created:
        narrative.sections, narrative.updated_by, narrative.updated_at = clean, actor, now()
        narrative.save(update_fields=["sections", "updated_by", "updated_at"])
    return narrative


class ReportNotPublishable(IllegalTransition):
    """The year's report cannot be published as things stand (nothing built, a build under way, already out)."""


def report_publish(*, year: int, actor) -> ReportPublication:
    """Publish the year's built report: a copy of the stored PDF becomes the one the public downloads, with who
    published it and when. Publishing again needs a newer build; the earlier publication stays on record.

    Refused (ReportNotPublishable) for a year not begun, while a build of the year is under way (the stored file is
    about to change), when no report is stored, and when the stored report is the one already published. A copy
    stored by a publication that does not commit is removed."""
    from compliance_app import reports
    from compliance_app.report_build import report_build_latest

    if year > today_wita().year:
        raise ReportNotPublishable(_("Tahun %(y)s belum dimulai.") % {"y": year})
    with atomic_with_files() as stored:
        # One publisher at a time per year: the year's builds are the rows both a publish and a new build read.
        list(ReportBuild.objects.select_for_update().filter(year=year).values_list("pk", flat=True))
        latest = report_build_latest(year)
        if latest is not None and latest.is_active:
            raise ReportNotPublishable(_("Laporan tahun %(y)s sedang disusun; terbitkan setelah selesai.")
                                       % {"y": year})
        path = reports.report_path(year)
        if not default_storage.exists(path):
            raise ReportNotPublishable(_("Laporan tahun %(y)s belum dibuat; buat laporan terlebih dahulu.")
                                       % {"y": year})
        with default_storage.open(path, "rb") as fh:
            pdf = fh.read()
        digest = hashlib.sha256(pdf).hexdigest()
        current = published_report(year)
        if current is not None and current.sha256 == digest:
            raise ReportNotPublishable(_("Laporan ini sudah diterbitkan; buat laporan baru untuk menggantinya."))
        build = ReportBuild.objects.filter(year=year, state=BuildState.DONE).order_by("-finished_at", "-pk").first()
        built_at = build.finished_at if build is not None else default_storage.get_modified_time(path)
        publication = ReportPublication(year=year, build=build, built_at=built_at, size=len(pdf), sha256=digest,
                                        published_by=actor, published_at=now())
        publication.file.save(f"laporan-{year}.pdf", ContentFile(pdf), save=False)
        stored.append(publication.file.name)
        publication.save()
    return publication

