"""The requester's way in: a case found by its registration number and tracking code."""

from opd_app.models import OPD
from requests_app.models import Case
from requests_app.tracking import check_tracking_code, normalise


def find_tracked_case(registration_number: str, tracking_code: str) -> Case | None:
    """The case if the number and code match, else None (the caller answers 404 either way)."""
    number = (registration_number or "").strip().upper()
    case = Case.objects.select_related("opd").filter(registration_number=number).first()
    if case is None or not check_tracking_code(normalise(tracking_code), case.tracking_code_hash):
        return None
    return case


def opd_named_by(registration_number: str) -> OPD | None:
    """The OPD whose code a registration number starts with (DINKES-2026-00001: DINKES), read from the number alone:
    it tells nothing about whether such a case exists."""
    prefix, *rest = (registration_number or "").strip().upper().rsplit("-", 2)
    return OPD.objects.filter(code=prefix).first() if len(rest) == 2 and prefix else None
