from .archive import IssuedLetter, LetterClassification, LetterKind
from .archive_export import ArchiveExport
from .case import Case, CaseAttachment, Decision, Exemption, LetterCounter, RegistrationCounter, Status
from .delivery import HandoverMethod, LetterDelivery
from .dik import DikEntry, DikRevision
from .event import CaseEvent, EventKind
from .holiday import Holiday, HolidayKind, RemovedHoliday
from .notification import DeadlineNotice, Notification, NotificationChannel, NotificationStatus
from .objection import Objection, ObjectionCounter, ObjectionGround, ObjectionOutcome, ObjectionStatus

__all__ = [
    "ArchiveExport", "Case", "CaseAttachment", "CaseEvent", "DeadlineNotice", "Decision", "DikEntry",
    "DikRevision", "EventKind", "Exemption", "HandoverMethod", "Holiday", "HolidayKind", "IssuedLetter",
    "LetterClassification", "LetterKind", "LetterCounter", "LetterDelivery", "Notification",
    "NotificationChannel", "NotificationStatus", "Objection", "ObjectionCounter", "ObjectionGround",
    "ObjectionOutcome", "ObjectionStatus", "RegistrationCounter", "RemovedHoliday", "Status",
]
