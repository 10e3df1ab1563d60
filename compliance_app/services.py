"""Writing the narrative parts of the yearly service report."""

from django.db import transaction

from compliance_app.models import ReportNarrative
from ppid_portal.clock import now


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
