"""Shared API plumbing: errors as {"detail"|field: [messages]} with a 4xx, domain errors mapped to codes."""

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from ppid_portal.client_address import limiter_ident
from ppid_portal.errors import DomainError, IllegalTransition
from ppid_portal.ratelimit import limiter_cache, rate_for


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


class ScopedRateThrottle(SimpleRateThrottle):
    """Per-client throttle with a fixed scope; the rate comes from settings in DRF's syntax.

    The client is `limiter_ident` (the one answer every limiter shares), and the counts live in
    `limiter_cache`, which keeps limiting in memory while the cache server is down."""

    scope = ""
    cache = limiter_cache

    def get_rate(self):
        # Rates set on the class itself win; otherwise settings are read now, not frozen at import as DRF's.
        if self.THROTTLE_RATES is not SimpleRateThrottle.THROTTLE_RATES and self.scope in self.THROTTLE_RATES:
            return self.THROTTLE_RATES[self.scope]
        rate = rate_for(self.scope)
        if rate is None:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}")
        return rate

    def get_ident(self, request):
        return limiter_ident(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SubmitThrottle(ScopedRateThrottle):
    scope = "ppid_submit"


class TrackThrottle(ScopedRateThrottle):
    """Counts only failed tracking lookups: see `register_failure`."""

    scope = "ppid_track"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, []) or []
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return True

    def register_failure(self):
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
