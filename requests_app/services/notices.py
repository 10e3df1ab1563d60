"""One notification to be written to the outbox, before it is a row (services/notify.py writes and sends it)."""

from dataclasses import dataclass, field

from requests_app.models import NotificationChannel


@dataclass(frozen=True)
class Notice:
    """One notification to write: unique by `dedupe_key`, its e-mail rendered from `template` with `context`; or,
    with `channel` sms, a text message `text` to `recipient_phone`.

    `tracking_code` (the receipt's e-mail only) is never stored: it goes to the row's first send attempt alone
    (services/notify.py)."""

    dedupe_key: str
    kind: str
    template: str
    context: dict
    recipient_user: object = None
    recipient_email: str = ""
    case: object = None
    objection: object = None
    attachment_ids: list = field(default_factory=list)
    language: str = "id"
    channel: str = NotificationChannel.EMAIL
    recipient_phone: str = ""
    text: str = ""
    tracking_code: str = field(default="", repr=False)
