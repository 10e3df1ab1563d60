"""The notification outbox: a row first (in the caller's transaction), a task second (on commit).

A broker outage therefore loses nothing: the row stays pending and the re-send path (`notifications_resend_due`,
run by beat every PPID_NOTIFY_RESEND_SECONDS) queues it again once the broker is back.

Delivery failures. A transient one (connection refused, a timeout, a 4xx reply, anything not known to be
permanent) never makes a row final: it stays pending and is tried again after a growing pause (1, 2, 4 … minutes,
at most an hour) until PPID_NOTIFY_GIVE_UP_DAYS have passed since it became pending. A permanent refusal for that
address (a 5xx reply to the recipient, the sender or the data) or that limit marks it `failed`; an admin can send
failed rows again (`notifications_send_again`).

The tracking code is never stored. The receipt's row holds the e-mail without the code (it tells the requester
where the code was shown and what to do without it). The code itself travels in memory to the on-commit hook and
from there in the message of the first send task only (`send_receipt_task`), which renders the e-mail with it:

- the message is transient: it lives in the broker for the seconds until a worker takes it, is acknowledged on
  receipt (never re-delivered with the code) and expires after RECEIPT_CODE_TTL; the task is never retried with the
  code, and its logged and monitored arguments are masked (`kwargsrepr`);
- sending synchronously in the web request instead would hold the requester's answer hostage to the mail server
  (seconds, or a timeout, during a mail outage);
- when that first attempt fails, or the broker refused the message, the row is sent later without the code. The
  requester was shown the code once already (the confirmation page or the API's 201 answer), so "nearly always"
  is: every time mail and broker work at the moment of submission.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.template.loader import render_to_string
from django.utils import translation

from ppid_portal import sms
from ppid_portal.clock import now
from ppid_portal.queueing import enqueue, enqueue_many
from requests_app.models import Notification, NotificationChannel, NotificationStatus
from requests_app.models.notification import IN_FLIGHT_LEASE
from requests_app.services.notices import Notice
from requests_app.services.requester_notices import requester_notices

log = logging.getLogger(__name__)

SEND_BATCH = 100  # notifications per broker message when many are queued at once
SEND_TASK = "requests_app.tasks.send_notification_task"
SEND_RECEIPT_TASK = "requests_app.tasks.send_receipt_task"
SEND_BATCH_TASK = "requests_app.tasks.send_notifications_task"
RESEND_BATCH = 1000  # rows per run of the re-send path
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=1)
# How long the first send's message (which carries the tracking code) may wait in the broker before a worker
# discards it; the row is then sent without the code by the re-send path.
RECEIPT_CODE_TTL = dt.timedelta(minutes=30)
# Kinds whose e-mail template takes the tracking code, rendered at send time only (template = kind).
KINDS_WITH_TRACKING_CODE = frozenset({"receipt", "tracking_code_reissued"})
MASKED_CODE_REPR = "{'tracking_code': '<not logged>'}"


def email_render(template: str, context: dict, language: str) -> tuple[str, str]:
    """(subject, body) of the e-mail `template` in `language`."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    return subject[:255], body


# --------------------------------------------------------------------------------------------------- queueing


def notifications_due_now(ids: list[int]) -> None:
    """Make pending rows due for the re-send path at once (their send could not be queued). Never raises: it runs
    where the broker has just failed, and the row's lease makes it due a little later anyway."""
    try:
        Notification.objects.filter(pk__in=ids, status=NotificationStatus.PENDING).update(next_attempt_at=now())
    except Exception:
        log.warning("could not mark %d notifications due now", len(ids), exc_info=True)


def notification_enqueue(notification_id: int, *, tracking_code: str = "") -> None:
    """Queue the sending of one row. With `tracking_code` (the receipt's first attempt only) the task renders the
    e-mail with the code; see the module's docstring. Never raises: with the broker down the row stays pending,
    due for the re-send path."""
    left_pending = lambda: notifications_due_now([notification_id])  # noqa: E731
    if tracking_code:
        enqueue(SEND_RECEIPT_TASK, (notification_id,), {"tracking_code": tracking_code}, on_failure=left_pending,
                options={"kwargsrepr": MASKED_CODE_REPR, "expires": RECEIPT_CODE_TTL.total_seconds()})
    else:
        enqueue(SEND_TASK, (notification_id,), on_failure=left_pending)


def notifications_enqueue(ids: list[int]) -> None:
    """Queue the sending of many rows, SEND_BATCH per broker message (one message per notification cost more than
    the sweep's SQL). Never raises: with the broker down the rows stay pending, due for the re-send path."""
    if not ids:
        return
    enqueue_many(SEND_BATCH_TASK, [(ids[start:start + SEND_BATCH],) for start in range(0, len(ids), SEND_BATCH)],
                 on_failure=lambda: notifications_due_now(ids))


def _notification_row(notice: Notice) -> Notification | None:
    """The unsaved row of `notice`, its e-mail rendered; None when it has no address (or number) to go to."""
    at = now()
    common = {"dedupe_key": notice.dedupe_key[:200], "kind": notice.kind, "case": notice.case,
              "objection": notice.objection, "recipient_user": notice.recipient_user, "created_at": at,
              "pending_since": at, "next_attempt_at": at + IN_FLIGHT_LEASE}
    if notice.channel == NotificationChannel.SMS:
        if not notice.recipient_phone or not notice.text:
            return None
        return Notification(channel=NotificationChannel.SMS, recipient_phone=notice.recipient_phone, subject="",
                            body=notice.text, attachment_ids=[], **common)
    email = notice.recipient_email or (notice.recipient_user.email if notice.recipient_user else "")
    if not email:
        return None
    subject, body = email_render(notice.template, notice.context, notice.language)
    return Notification(recipient_email=email, subject=subject, body=body,
                        attachment_ids=notice.attachment_ids or [], **common)


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """Insert `rows` in one statement, skipping those whose dedupe_key is already written (INSERT … ON CONFLICT DO
    NOTHING RETURNING), and return the ones inserted, their pk set. No savepoint per row: a duplicate is not an
    error that would abort the caller's transaction, so there is nothing to roll back to."""
    by_key = {}
    for row in rows:
        by_key.setdefault(row.dedupe_key, row)  # the first of two notices with one key wins, as one by one
    if not by_key:
        return []
    opts = Notification._meta
    fields = [f for f in opts.concrete_fields if f is not opts.auto_field and not f.generated]
    query = InsertQuery(Notification, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, list(by_key.values()))
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [opts.pk, opts.get_field("dedupe_key")]
    inserted = []
    with connection.cursor() as cursor:
        for sql, params in compiler.as_sql():
            cursor.execute(sql, params)
            for pk, key in cursor.fetchall():
                row = by_key[key]
                row.pk = pk
                row._state.adding, row._state.db = False, connection.alias
                inserted.append(row)
    return inserted


def notification_queue(*, dedupe_key: str, kind: str, template: str, context: dict, recipient_user=None,
                       recipient_email: str = "", case=None, objection=None, attachment_ids=None,
                       language: str = "id", tracking_code: str = "",
                       to_requester: bool = False) -> Notification | None:
    """Write one notification row (unique by dedupe_key) and send it after commit. None if already queued.

    `tracking_code` (the receipt) is not stored: the row's e-mail is rendered without it and the code goes only
    to the first send attempt (module docstring).

    `to_requester=True`: addressed to the requester of `case` (its e-mail and phone, in its language; the
    recipient arguments are ignored), routed as every notice to a requester is
    (requester_notice): the e-mail where there is an address, and a text message where
    there is a phone number (requester_notice). Returns the first row written."""
    if to_requester:
        rows = requester_notice(case=case, objection=objection, dedupe_key=dedupe_key, kind=kind,
                                template=template, context=context, attachment_ids=attachment_ids or [],
                                tracking_code=tracking_code)
        return rows[0] if rows else None
    rows = notifications_queue([Notice(
        dedupe_key=dedupe_key, kind=kind, template=template, context=context, recipient_user=recipient_user,
        recipient_email=recipient_email, case=case, objection=objection, attachment_ids=attachment_ids or [],
        language=language, tracking_code=tracking_code,
    )])
    return rows[0] if rows else None


def notifications_queue(notices: Iterable[Notice]) -> list[Notification]:
    """Write many notification rows in one statement (those already queued, by dedupe_key, are skipped) and send
    the new ones after commit in SEND_BATCH-sized broker messages instead of one message each (a submission: the
    officers' notices and the requester's text message in one). A row whose notice carries the tracking code (the
    receipt's e-mail) gets a message of its own, the only one with the code. Returns the rows written."""
    notices = list(notices)
    codes = {n.dedupe_key[:200]: n.tracking_code for n in notices if n.tracking_code}
    rows = _insert_new([row for row in map(_notification_row, notices) if row is not None])
    if rows:
        with_code = [(row.pk, codes[row.dedupe_key]) for row in rows if row.dedupe_key in codes]
        ids = [row.pk for row in rows if row.dedupe_key not in codes]

        def enqueue_all():
            for pk, code in with_code:
                notification_enqueue(pk, tracking_code=code)
            notifications_enqueue(ids)

        transaction.on_commit(enqueue_all)
    return rows


def requester_notice(*, case, kind: str, template: str, context: dict, dedupe_key: str, objection=None,
                     letter: str = "", letter_attachment=None, attachment_ids=(), tracking_code: str = "") -> list:
    """Tell the requester of `case`: the one function other code calls to notify a requester (also reached by
    notification_queue(..., to_requester=True)). services.requester_notices decides the ways — e-mail where there
    is an address, a text message to a mobile number, and for a `letter` handed over its row in the OPD's letters
    to deliver — and the outbox rows are written here in one statement and sent after commit. Returns the rows
    written (none when they were written before)."""
    return notifications_queue(requester_notices(
        case=case, kind=kind, template=template, context=context, dedupe_key=dedupe_key, objection=objection,
        letter=letter, letter_attachment=letter_attachment, attachment_ids=attachment_ids,
        tracking_code=tracking_code))


def notifications_resend_due(limit: int = RESEND_BATCH) -> int:
    """Queue the pending rows whose `next_attempt_at` has passed: their send was never queued (broker down), was
    lost, or failed and its pause is over. Each is leased for IN_FLIGHT_LEASE first, so the next run does not queue
    it again while it waits in the queue. Sending is idempotent: a row queued twice is still sent once. Returns how
    many were queued."""
    at = now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=NotificationStatus.PENDING, next_attempt_at__lte=at)
            .order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=at + IN_FLIGHT_LEASE)
    notifications_enqueue(ids)
    return len(ids)


def notifications_send_again(ids) -> int:
    """Put failed rows among `ids` back to pending and queue them now (an admin's "send again", after the address
    or the mail set-up was fixed): a fresh give-up period and backoff from the start. Returns how many."""
    at = now()
    with transaction.atomic():
        found = list(Notification.objects.select_for_update()
                     .filter(pk__in=list(ids), status=NotificationStatus.FAILED).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=found).update(
            status=NotificationStatus.PENDING, attempts=0, pending_since=at, next_attempt_at=at + IN_FLIGHT_LEASE,
        )
        transaction.on_commit(lambda: notifications_enqueue(found))
    return len(found)


# --------------------------------------------------------------------------------------------------- sending


def delivery_failure_is_permanent(exc: BaseException) -> bool:
    """True for a refusal that trying again will not change: a 5xx reply for the recipient (every recipient, for
    SMTPRecipientsRefused), the sender or the data; for a text message, what the SMS backend calls permanent (the
    gateway's 4xx: ppid_portal.sms). Anything else — connection refused or reset, a timeout, a 4xx mail reply, a
    5xx from the SMS gateway, a server that hung up — is transient."""
    if isinstance(exc, sms.SmsError):
        return exc.permanent
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [reply[0] for reply in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600
    return False


def retry_delay(attempts: int) -> dt.timedelta:
    """The pause after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most BACKOFF_MAX."""
    return min(BACKOFF_FIRST * 2 ** min(max(attempts - 1, 0), 16), BACKOFF_MAX)


def give_up_after() -> dt.timedelta:
    return dt.timedelta(days=settings.PPID_NOTIFY_GIVE_UP_DAYS)


def _with_tracking_code(row: Notification, tracking_code: str) -> tuple[str, str] | None:
    """The row's e-mail rendered with the tracking code, or None when the row takes no code or the code is not
    the case's (a stale or forged message must not put text of its choice into the e-mail)."""
    from requests_app.tracking import check_tracking_code, display, normalise

    case = row.case
    if row.kind not in KINDS_WITH_TRACKING_CODE or case is None:
        return None
    if not check_tracking_code(tracking_code, case.tracking_code_hash):
        log.warning("notification %s: the tracking code does not match its case; sent without it", row.pk)
        return None
    # Grouped as the confirmation page shows it (XXXX-XXXX-XXXX): the requester compares the two by eye.
    return email_render(row.kind, {"case": case, "tracking_code": display(normalise(tracking_code))}, case.language)


def _attachments_for(notification: Notification):
    from requests_app import letters
    from requests_app.models import CaseAttachment

    files = []
    for spec in notification.attachment_ids:
        if isinstance(spec, str) and spec.startswith("letter:"):
            files.append(letters.render_named(spec.removeprefix("letter:"), notification))
        else:
            att = CaseAttachment.objects.filter(pk=spec).first()
            if att:
                with att.file.open("rb") as fh:
                    files.append((att.filename, fh.read(), att.content_type))
    return files


def _record_failure(row: Notification, exc: Exception, at: dt.datetime) -> None:
    row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    permanent = delivery_failure_is_permanent(exc)
    if permanent or at - row.pending_since >= give_up_after():
        row.status = NotificationStatus.FAILED
    else:
        row.next_attempt_at = at + retry_delay(row.attempts)
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    # The error's text may name the address: it stays in the row (last_error), the log gets the class only.
    log.warning("notification %s not sent (attempt %d, %s): %s", row.pk, row.attempts, exc.__class__.__name__,
                "failed" if row.status == NotificationStatus.FAILED else f"next attempt at {row.next_attempt_at}")


def notification_send(notification_id: int, *, tracking_code: str = "") -> bool:
    """Send one pending notification. Idempotent: a row that is sent, failed or being sent by another worker is left
    alone. A delivery failure is recorded on the row (backoff, or `failed`), not raised. Returns True if sent now.

    `tracking_code`: the receipt's first attempt (module docstring); used for this message only, never stored."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        try:
            if row.channel == NotificationChannel.SMS:
                # The outbox row's key is the message's id: the gateway can drop a second copy of one message.
                sms.send_text(row.recipient_phone, row.body, message_id=row.dedupe_key)
            else:
                with transaction.atomic():  # a database error while building the message leaves the row usable
                    subject, body = row.subject, row.body
                    if tracking_code:
                        subject, body = _with_tracking_code(row, tracking_code) or (subject, body)
                    message = EmailMessage(subject=subject, body=body, to=[row.recipient_email])
                    for filename, content, mime in _attachments_for(row):
                        message.attach(filename, content, mime)
                    message.send(fail_silently=False)
        except Exception as exc:
            _record_failure(row, exc, now())
            return False
        row.status = NotificationStatus.SENT
        row.sent_at = now()
        row.save(update_fields=["attempts", "status", "sent_at"])
    return True
