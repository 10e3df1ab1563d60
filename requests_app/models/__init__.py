from .case import Case, CaseAttachment, Decision, Exemption, RegistrationCounter, Status
from .event import CaseEvent, EventKind
from .holiday import Holiday, HolidayKind
from .notification import Notification, NotificationStatus
from .objection import Objection, ObjectionGround, ObjectionOutcome, ObjectionStatus

__all__ = [
    "Case", "CaseAttachment", "CaseEvent", "Decision", "EventKind", "Exemption", "Holiday", "HolidayKind",
    "Notification", "NotificationStatus", "Objection", "ObjectionGround", "ObjectionOutcome",
    "ObjectionStatus", "RegistrationCounter", "Status",
]
