from .case import Case, CaseAttachment, Decision, Exemption, LetterCounter, RegistrationCounter, Status
from .event import CaseEvent, EventKind
from .holiday import Holiday, HolidayKind, RemovedHoliday
from .notification import DeadlineNotice, Notification, NotificationStatus
from .objection import Objection, ObjectionCounter, ObjectionGround, ObjectionOutcome, ObjectionStatus

__all__ = [
    "Case", "CaseAttachment", "CaseEvent", "DeadlineNotice", "Decision", "EventKind", "Exemption", "Holiday",
    "HolidayKind", "LetterCounter", "Notification", "NotificationStatus", "Objection", "ObjectionCounter",
    "ObjectionGround", "ObjectionOutcome", "ObjectionStatus", "RegistrationCounter", "RemovedHoliday", "Status",
]
