"""Request bodies are capped per route while they stream: a body larger than its route allows is answered 413
before it is read, and a multipart upload is cut off as soon as a file (or the body) passes the limit, so an
oversized upload never sits whole on disk and never reaches a view.

The limit of a route is the file limit of what it takes (identity scan, document, answer material) plus room for
the form's other fields; a route that takes no file gets only that room."""

import asyncio
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

# The files a request may carry: the identity scan and the authority document.
INTAKE_FILES = 2


@dataclass(frozen=True)
class BodyLimit:
    file_bytes: int  # the largest single file the route accepts (0: the route takes no file)
    body_bytes: int  # the whole body: files and the other fields together


def _intake() -> BodyLimit:
    # A request carries the identity scan and, for a legal entity, a group or someone filing for another, the
    # authority document: two files, each within the upload limit.
    return BodyLimit(settings.PPID_UPLOAD_MAX_BYTES,
                     INTAKE_FILES * settings.PPID_UPLOAD_MAX_BYTES + settings.PPID_FORM_FIELDS_MAX_BYTES)


def _documents() -> BodyLimit:
    return _with_fields(settings.PPID_DOCUMENT_MAX_BYTES)


def _case_material() -> BodyLimit:
    # An answer may carry several files, each within the document limit, together within the material limit.
    return BodyLimit(settings.PPID_DOCUMENT_MAX_BYTES,
                     settings.PPID_CASE_MATERIAL_MAX_BYTES + settings.PPID_FORM_FIELDS_MAX_BYTES)


# A letter checked on its verification page: a few pages of text, far under any document limit.
LETTER_CHECK_MAX_BYTES = 2 * 1024 * 1024


def _letter_check() -> BodyLimit:
    return _with_fields(LETTER_CHECK_MAX_BYTES)


def _no_file() -> BodyLimit:
    return BodyLimit(0, settings.PPID_FORM_FIELDS_MAX_BYTES)


def _with_fields(file_bytes: int) -> BodyLimit:
    return BodyLimit(file_bytes, file_bytes + settings.PPID_FORM_FIELDS_MAX_BYTES)


# URL names of the routes that take files. Every other route (objections included) takes fields only.
ROUTE_LIMITS = {
    "request-create": _intake,
    "api-request-create": _intake,
    # A request recorded at the desk (page and API), and its identity scan handed over later.
    "desk-intake": _intake,
    "api-case-list": _intake,
    "case-identity-upload": _intake,
    "document-upload": _documents,
    "document-action": _documents,
    "api-document-list": _documents,
    "case-action": _case_material,
    "api-case-actions": _case_material,
    "letter-verify": _letter_check,
}


def route_limit_like(url_name: str, like: str) -> None:
    """Give the route named `url_name` the body limit of the route named `like`: for URLs outside the portal's own
    URLconf that take the same uploads (a benchmark's floor view posting the citizen's form)."""
    ROUTE_LIMITS[url_name] = ROUTE_LIMITS[like]


def body_limit_for(path: str) -> BodyLimit:
    """The body limit of the route that serves `path` (a route without uploads when it resolves to none)."""
    try:
        name = resolve(path).url_name
    except Resolver404:
        name = None
    return ROUTE_LIMITS.get(name, _no_file)()


class UploadTooLarge(RequestDataTooBig):
    """A file or the whole body passed its route's limit while streaming (a 400 if it ever escapes the
    middleware, never a 500)."""

    def __init__(self, limit: BodyLimit, *, file_too_large: bool):
        super().__init__("upload over the limit")
        self.limit = limit
        self.file_too_large = file_too_large


class LimitedUploadHandler(FileUploadHandler):
    """First upload handler of every request: counts the bytes of each file and of all files together and
    stops the upload once either passes the route's limit. It keeps nothing itself; the handlers after it
    (memory, temporary file) store the data, and their partial files are closed here on abort."""

    def __init__(self, request=None, limit: BodyLimit | None = None):
        super().__init__(request)
        self.limit = limit or _no_file()
        self.file_bytes = 0
        self.total_bytes = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit.body_bytes:
            self._abort(file_too_large=False)
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        self.total_bytes += len(raw_data)
        if self.file_bytes > self.limit.file_bytes:
            self._abort(file_too_large=True)
        if self.total_bytes > self.limit.body_bytes:
            self._abort(file_too_large=False)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _abort(self, *, file_too_large: bool):
        # The parser only closes the files it has finished; the one being written belongs to a later handler.
        for handler in getattr(self.request, "upload_handlers", ()):
            partial = getattr(handler, "file", None)
            if handler is not self and partial is not None:
                partial.close()
        raise UploadTooLarge(self.limit, file_too_large=file_too_large)


def too_large_response(request, limit: BodyLimit, *, file_too_large: bool = False):
    """413 with the limit in words: JSON {"detail": [...]} under /api/, a page in the portal's layout elsewhere."""
    if limit.file_bytes and file_too_large:
        message = _("Berkas terlalu besar; batasnya %(max)s MB per berkas.") % {"max": _mb(limit.file_bytes)}
    elif limit.file_bytes:
        message = _("Kiriman terlalu besar; batasnya %(max)s MB per berkas dan %(body)s MB seluruhnya.") % {
            "max": _mb(limit.file_bytes), "body": _mb(limit.body_bytes)}
    else:
        message = _("Kiriman terlalu besar; batasnya %(body)s MB.") % {"body": _mb(limit.body_bytes)}
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": [message]}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


def _mb(n: int) -> str:
    value = round(n / 1048576, 1)
    return str(int(value)) if value == int(value) else str(value)


class UploadLimitMiddleware:
    """Answers 413 before the body is read when its declared length passes the route's limit, and otherwise
    parses a multipart POST here, behind LimitedUploadHandler, so that an upload over the limit is stopped
    while it streams, before CSRF checks, authentication parsers or views touch it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        cut_off = getattr(request, "scope", {}).get(BODY_CUT_OFF)
        if length <= 0 and not content_type.startswith("multipart/") and not cut_off:
            return self.get_response(request)
        limit = body_limit_for(request.path_info)
        if length > limit.body_bytes or cut_off:
            return too_large_response(request, limit)
        request.upload_handlers.insert(0, LimitedUploadHandler(request, limit))
        if request.method == "POST" and content_type.startswith("multipart/form-data"):
            try:
                request.POST  # noqa: B018 (parse now, behind the limit)
            except UploadTooLarge as exc:
                return too_large_response(request, exc.limit, file_too_large=exc.file_too_large)
        return self.get_response(request)


# Under ASGI, Django reads the whole body into a temporary file before any middleware runs. This wrapper
# stands in front of it: a declared length over the route's limit is never read, and a body without a
# declared length (chunked) is cut off at the limit; UploadLimitMiddleware then answers the 413.
BODY_CUT_OFF = "ppid.body_cut_off"


class BodyLimitASGIMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        declared = headers.get(b"content-length")
        try:
            declared_bytes = int(declared) if declared is not None else None
        except ValueError:
            declared_bytes = None
        # Within the smallest limit of any route (every GET): no need to look the route up.
        if declared_bytes is not None and declared_bytes <= settings.PPID_FORM_FIELDS_MAX_BYTES:
            return await self.app(scope, receive, send)
        limit = body_limit_for(scope["path"][len(scope.get("root_path", "")):] or "/")
        if declared_bytes is not None and declared_bytes <= limit.body_bytes:
            return await self.app(scope, receive, send)
        return await self.app(scope, _limited_receive(scope, receive, limit, refuse=declared_bytes is not None),
                              send)


def _limited_receive(scope, receive, limit: BodyLimit, *, refuse: bool):
    seen = 0
    cut_off = False

    def end_of_body():
        nonlocal cut_off
        cut_off = True
        scope[BODY_CUT_OFF] = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def limited():
        nonlocal seen
        if cut_off:
            # The rest of the body is never read; the 413 does not wait for the client.
            await asyncio.Future()
        if refuse:
            return end_of_body()
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit.body_bytes:
                return end_of_body()
        return message

    return limited
