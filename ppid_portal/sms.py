"""Text messages (SMS): the one way the portal hands a short text to a phone number, chosen by PPID_SMS_BACKEND.

- `console`: printed to standard output (development only: production refuses it, a log must not collect phone
  numbers);
- `file`: each message written to its own file in PPID_SMS_FILE_PATH, like Django's file e-mail backend (a
  spool directory that a gateway program may also read);
- `webhook`: an HTTP JSON POST to PPID_SMS_URL with `Authorization: Bearer PPID_SMS_TOKEN` and the body
  `{"to": "+62812…", "text": "…", "id": "<the outbox row's dedupe key>"}`; the id is the same on every attempt of
  one message, so a gateway that got a message whose answer was lost can drop the second copy;
- `none`: no text messages at all (the outbox writes none).

`send_text` raises SmsError on failure; its `permanent` says whether trying again can help: a gateway that cannot
be reached, times out or answers 5xx (or 408/429) is transient, any other answer outside 2xx (a 4xx: the number,
the token or the body refused) is permanent. The outbox (requests_app/services/notify.py) keeps a transient
failure pending with its backoff and marks a permanent one failed.

Only the standard library: one POST per message needs no HTTP client dependency.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BACKENDS = ("console", "file", "webhook", "none")
# 4xx answers that say "later", not "never".
TRANSIENT_HTTP_CODES = frozenset({408, 425, 429})


class SmsError(Exception):
    """A text message that was not handed over. `permanent`: the same message will be refused again."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def backend_name() -> str:
    name = (settings.PPID_SMS_BACKEND or "none").strip().lower()
    if name not in BACKENDS:
        raise ImproperlyConfigured(f"PPID_SMS_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}.")
    return name


def sms_enabled() -> bool:
    """Are text messages sent at all (PPID_SMS_BACKEND is not `none`)."""
    return backend_name() != "none"


def send_text(to: str, text: str, *, message_id: str) -> None:
    """Hand one text message to the configured backend. Raises SmsError (see the module docstring)."""
    name = backend_name()
    if name == "none":
        raise SmsError("text messages are switched off (PPID_SMS_BACKEND=none)", permanent=True)
    if name == "console":
        _console(to, text, message_id)
    elif name == "file":
        _file(to, text, message_id)
    else:
        _webhook(to, text, message_id)


def _render(to: str, text: str, message_id: str) -> str:
    return f"To: {to}\nId: {message_id}\nDate: {dt.datetime.now(dt.UTC).isoformat()}\n\n{text}\n"


def _console(to: str, text: str, message_id: str) -> None:
    sys.stdout.write(_render(to, text, message_id) + "-" * 79 + "\n")
    sys.stdout.flush()


def _file(to: str, text: str, message_id: str) -> None:
    directory = Path(settings.PPID_SMS_FILE_PATH)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        safe_id = re.sub(r"[^A-Za-z0-9_-]+", "-", message_id)[:80]
        path = directory / f"{stamp}-{safe_id}-{secrets.token_hex(4)}.txt"
        path.write_text(_render(to, text, message_id), encoding="utf-8")
    except OSError as exc:  # a full disk or a missing mount may clear up: try again later
        raise SmsError(f"could not write the message file: {exc.__class__.__name__}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A gateway that redirects a POST is set up wrong: urllib would follow it as a GET without the body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _webhook(to: str, text: str, message_id: str) -> None:
    url = settings.PPID_SMS_URL
    if not url:
        raise SmsError("PPID_SMS_URL is not set", permanent=True)
    body = json.dumps({"to": to, "text": text, "id": message_id}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json",
        "Authorization": f"Bearer {settings.PPID_SMS_TOKEN}",
    })
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=settings.PPID_SMS_TIMEOUT) as response:
            response.read(65536)
    except urllib.error.HTTPError as exc:
        code = exc.code
        detail = exc.read(500).decode("utf-8", "replace").strip() if exc.fp else ""
        permanent = code < 500 and code not in TRANSIENT_HTTP_CODES
        raise SmsError(f"the gateway answered HTTP {code}{': ' + detail if detail else ''}",
                       permanent=permanent) from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SmsError(f"the gateway could not be reached: {reason.__class__.__name__}") from exc
