"""The API's throttle rates applied to the HTML forms too (same settings, same per-client counting)."""

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle


def rate_limited(request, scope: str) -> bool:
    """Count one hit for this client in `scope`; True when past the rate."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(scope)
    if not rate:
        return False
    num, duration = SimpleRateThrottle.parse_rate(None, rate)
    ident = request.META.get("REMOTE_ADDR", "unknown")
    key = f"ppid-html-throttle:{scope}:{ident}"
    cache.add(key, 0, duration)
    try:
        hits = cache.incr(key)
    except ValueError:
        cache.set(key, 1, duration)
        hits = 1
    return hits > num
