"""Counting for every limiter: the API's throttle rates applied to the HTML forms and logins too (same
settings, same client address), kept in Django's cache and, while the cache server fails, in memory.

A limiter must neither fail the request nor stop limiting when the cache (Redis) is down. Every cache
call therefore goes through `limiter_cache`: on any error from the cache it logs a warning and answers from
a per-process in-memory store with expiry (bounded in size), and for a short while does not ask the failed
cache again, so that an outage costs one failed call per interval, not one per request.
"""

import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from ppid_portal.client_address import limiter_ident

logger = logging.getLogger(__name__)

# Seconds the limiters count in memory after a cache error before trying the cache again.
CACHE_RETRY_SECONDS = 15
# Entries kept in memory during an outage; past this the oldest make room (expired ones first).
LOCAL_MAX_ENTRIES = 10_000


class LocalStore:
    """A thread-safe, size-bounded dict with per-key expiry: the stand-in for the cache in one process."""

    def __init__(self, max_entries: int = LOCAL_MAX_ENTRIES):
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._data: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self._next_sweep = 0.0

    def _live(self, key: str, now: float):
        entry = self._data.get(key)
        if entry is None:
            return None
        if entry[0] <= now:
            del self._data[key]
            return None
        return entry

    def _put(self, key: str, value, timeout: float, now: float) -> None:
        self._data.pop(key, None)
        if len(self._data) >= self.max_entries:
            if now >= self._next_sweep:  # a full scan at most once a second, however many clients
                self._next_sweep = now + 1
                for stale in [k for k, (expires, _) in self._data.items() if expires <= now]:
                    del self._data[stale]
            while len(self._data) >= self.max_entries:
                self._data.popitem(last=False)  # the oldest entry
        self._data[key] = (now + timeout, value)

    def get(self, key: str, default=None):
        with self._lock:
            entry = self._live(key, time.monotonic())
            return default if entry is None else entry[1]

    def incr(self, key: str, timeout: float) -> int:
        """Add one to the counter at `key`; a new counter starts at 1 and lives `timeout` seconds."""
        with self._lock:
            now = time.monotonic()
            entry = self._live(key, now)
            if entry is None:
                self._put(key, 1, timeout, now)
                return 1
            value = int(entry[1]) + 1
            self._data[key] = (entry[0], value)
            return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._next_sweep = 0.0

    def __len__(self) -> int:
        return len(self._data)


class LimiterCache:
    """Django's default cache with the in-memory fallback; the only cache the limiters touch."""

    def __init__(self):
        self.local = LocalStore()
        self._lock = threading.Lock()
        self._retry_at = 0.0

    def _cache_up(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            self._retry_at = time.monotonic() + CACHE_RETRY_SECONDS
        logger.warning("Cache %s failed (%s: %s); rate limits count in this process's memory for %ss",
                       operation, type(exc).__name__, exc, CACHE_RETRY_SECONDS)

    def get(self, key: str, default=None):
        if self._cache_up():
            try:
                return cache.get(key, default)
            except Exception as exc:  # any cache error: the limiter carries on in memory
                self._failed("get", exc)
        return self.local.get(key, default)

    def incr(self, key: str, timeout: float) -> int:
        """Add one to the counter at `key` (atomic on the cache server); a new counter lives `timeout` seconds."""
        if self._cache_up():
            try:
                return _cache_incr(key, timeout)
            except Exception as exc:
                self._failed("incr", exc)
        return self.local.incr(key, timeout)

    def reset(self) -> None:
        """Forget the in-memory counts and any recorded outage (tests; a process that changes caches)."""
        self.local.clear()
        with self._lock:
            self._retry_at = 0.0


def _cache_incr(key: str, timeout: float) -> int:
    """The atomic count on the cache server. On Redis one round trip: a pipeline that creates the counter with
    its expiry when missing and adds one (Django's add() then incr() takes three, each on a new client, on the
    path of every throttled request). Other caches: add() then incr()."""
    redis_client = getattr(cache, "_cache", None)
    if redis_client is not None and hasattr(redis_client, "get_client") and hasattr(cache, "make_and_validate_key"):
        full_key = cache.make_and_validate_key(key)
        # Django's Redis serializer stores ints as plain integers, so INCR and cache.get() agree on the value.
        pipe = redis_client.get_client(full_key, write=True).pipeline(transaction=False)
        pipe.set(full_key, 0, ex=max(1, int(timeout)), nx=True)
        pipe.incr(full_key)
        return int(pipe.execute()[1])
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


limiter_cache = LimiterCache()


def parse_rate(rate: str) -> tuple[int, int]:
    """DRF's rate syntax ("30/minute") as (requests, seconds)."""
    return SimpleRateThrottle.parse_rate(None, rate)


def rate_for(scope: str) -> str | None:
    """The configured rate of `scope`, read from settings at call time (so a test may override it)."""
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


def _key(request, scope: str) -> str:
    return f"ppid-throttle:{scope}:{limiter_ident(request)}"


def rate_limited(request, scope: str) -> bool:
    """Count one hit for this client in `scope`; True when past the rate."""
    rate = rate_for(scope)
    if not rate:
        return False
    num, duration = parse_rate(rate)
    return limiter_cache.incr(_key(request, scope), duration) > num


def hits(key: str) -> int:
    """The count at `key` (0 when none): what every limiter compares with its rate before counting."""
    return int(limiter_cache.get(key, 0) or 0)


def limit_reached(request, scope: str) -> bool:
    """True when this client has used up `scope`'s rate; counts nothing (see `count_hit`)."""
    rate = rate_for(scope)
    if not rate:
        return False
    num, _duration = parse_rate(rate)
    return hits(_key(request, scope)) >= num


def count_hit(request, scope: str) -> None:
    """Count one hit for this client in `scope` (e.g. one failed tracking lookup)."""
    rate = rate_for(scope)
    if rate:
        limiter_cache.incr(_key(request, scope), parse_rate(rate)[1])
