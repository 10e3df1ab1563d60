"""The new tracking code shown once, on the page right after a request is registered, and printed on the receipt
downloaded in the minutes after.

The tracking code is never stored on the server (not even in the session table). Right after registration it rides
on the browser that registered it (the requester's own, or the officer's at the desk) in a short-lived signed
cookie, scoped to the case's pages under one path: the confirmation page shows it once, and the receipt downloaded
in that window prints it. The confirmation page then hands the same signed value on to a cookie for the receipt
alone, so a reload shows no code. Once the cookie's time is over the receipt prints no code, and the copies the
portal keeps or sends (the receipt e-mail's PDF) never have one. (Two names, not one cookie re-pathed: a response
sets one cookie per name.)"""

from django.conf import settings
from django.core import signing

NEW_CODE_COOKIE = "ppid_new_code"
RECEIPT_CODE_COOKIE = "ppid_receipt_code"
NEW_CODE_MAX_AGE = 15 * 60


def _signer() -> signing.TimestampSigner:
    """One signer for both cookies (Django's signed cookies salt by cookie name; the value moves between two). The
    salt is the one the citizen's pages have always used, so a code carried across a deployment still opens."""
    return signing.TimestampSigner(salt="requests_app.views.public.new_tracking_code")


def _cookie_set(response, name: str, value: str, path: str) -> None:
    response.set_cookie(name, value, max_age=NEW_CODE_MAX_AGE, path=path, httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


def new_code_carry(response, registration_number: str, code: str, *, path: str) -> None:
    """Give the browser the new code of the case for the pages under `path` (the confirmation page and the
    receipt), for NEW_CODE_MAX_AGE."""
    _cookie_set(response, NEW_CODE_COOKIE, _signer().sign(f"{registration_number}:{code}"), path)


def new_code_carried(request, registration_number: str, name: str = NEW_CODE_COOKIE) -> str:
    """The new code this browser carries for the case in cookie `name` (signed at registration, at most
    NEW_CODE_MAX_AGE ago), or ""."""
    try:
        carried = _signer().unsign(request.COOKIES.get(name, ""), max_age=NEW_CODE_MAX_AGE)
    except signing.BadSignature:
        return ""
    number, _sep, code = carried.partition(":")
    return code if code and number == registration_number else ""


def new_code_shown(request, response, *, path: str, receipt_path: str) -> None:
    """The confirmation page has shown the code: it leaves that page (a reload shows none) and stays for the
    receipt at `receipt_path` only. The signature keeps its first timestamp, so the receipt's window still ends
    NEW_CODE_MAX_AGE after registration."""
    response.delete_cookie(NEW_CODE_COOKIE, path=path, samesite="Lax")
    _cookie_set(response, RECEIPT_CODE_COOKIE, request.COOKIES[NEW_CODE_COOKIE], receipt_path)


def receipt_code_carried(request, registration_number: str) -> str:
    """The code the receipt may print: the one handed on by the confirmation page, or, when the receipt is
    fetched first, the new one itself."""
    return (new_code_carried(request, registration_number, RECEIPT_CODE_COOKIE)
            or new_code_carried(request, registration_number))
