"""Writing a case's immutable history."""

from ppid_portal.clock import now
from requests_app.models import CaseEvent


def event_record(*, case, kind: str, actor=None, from_status: str = "", to_status: str = "", note: str = "",
                 public: bool = True, data: dict | None = None, at=None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if (actor and actor.is_authenticated) else None,
        # Some notes come straight from a POST (a withdrawal, a dispute report): PostgreSQL text holds no NUL.
        from_status=from_status, to_status=to_status or from_status, note=(note or "").replace("\x00", ""),
        public=public,
        data=data or {}, at=at or now(),
    )
