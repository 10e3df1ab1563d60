"""Shared API plumbing: errors as {"detail"|field: [messages]} with a 4xx, domain errors mapped to codes."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from ppid_portal.errors import DomainError, IllegalTransition
from ppid_portal.ratelimit import count_hit, limit_reached, parse_rate, rate_for, rate_limited


def exception_handler(exc, context):
    if isinstance(exc, IllegalTransition):
        return Response({"detail": [str(exc)]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        body = exc.as_dict() if hasattr(exc, "as_dict") else {"detail": [str(exc)]}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        # Always lists of messages, as the contract says.
        response.data = {k: (v if isinstance(v, list) else [v]) for k, v in response.data.items()}
    return response


class ScopedRateThrottle(BaseThrottle):
    """Per-client throttle with a fixed scope; the rate comes from settings in DRF's syntax.

    The count is the one the HTML forms keep (`ppid_portal.ratelimit`): same client (`limiter_ident`), same key,
    same store (`limiter_cache`, which keeps limiting in memory while the cache server is down), so a client gets a
    scope's rate once, whether it comes through the pages or the API."""

    scope = ""

    def wait(self):
        rate = rate_for(self.scope)
        return parse_rate(rate)[1] if rate else None


class SubmitThrottle(ScopedRateThrottle):
    """Every new request or objection counts."""

    scope = "ppid_submit"

    def allow_request(self, request, view):
        return not rate_limited(request, self.scope)


class MessageThrottle(ScopedRateThrottle):
    """Every message a requester sends counts (the tracking page's form shares the count)."""

    scope = "ppid_message"

    def allow_request(self, request, view):
        return not rate_limited(request, self.scope)


class TrackThrottle(ScopedRateThrottle):
    """Counts only failed tracking lookups: the view calls `register_failure` after a miss."""

    scope = "ppid_track"

    def allow_request(self, request, view):
        self.request = request
        return not limit_reached(request, self.scope)

    def register_failure(self):
        count_hit(self.request, self.scope)
