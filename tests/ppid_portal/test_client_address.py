"""One client address for every limiter, and limits that hold when the client rotates X-Forwarded-For or the
cache server is down."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from ppid_portal.client_address import client_address, limiter_ident
from ppid_portal.ratelimit import LocalStore, limiter_cache
from requests_app.models import Case
from tests.conftest import png_bytes, request_data

DEAD_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:1/0"}}


def rates(settings, **scopes):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **scopes}}


def forged(i: int) -> dict:
    """Headers a client writes itself, new on every request."""
    return {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i}", "HTTP_X_REAL_IP": f"198.51.100.{i}",
            "HTTP_FORWARDED": f"for=198.51.100.{i}"}


def api_submit(client, **extra):
    data = request_data()
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return client.post("/api/v1/requests/", data, format="multipart", **extra)


def html_submit(client, **extra):
    data = request_data(publish_consent="on")
    data["identity_document"] = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return client.post("/permohonan/baru/", data, **extra)


WRONG = {"registration_number": "DINKES-2026-09999", "tracking_code": "AAAAAAAAAAAA"}

# ------------------------------------------------------------------------------------------------ the function


@pytest.mark.parametrize("headers", [
    {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    {"HTTP_X_REAL_IP": "203.0.113.9"},
    {"HTTP_FORWARDED": "for=203.0.113.9"},
])
def test_without_trusted_proxies_forwarding_headers_are_ignored(headers):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)
    assert client_address(request) == "192.0.2.1"


@pytest.mark.parametrize(("proxies", "header", "expected"), [
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself stays left of the proxy's entry
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    (2, "203.0.113.9", "192.0.2.1"),  # fewer entries than proxies: the peer
    (1, "", "192.0.2.1"),
    (1, "not-an-ip", "192.0.2.1"),
    (1, " 2001:DB8::1 ", "2001:db8::1"),
    (1, "::ffff:203.0.113.9", "203.0.113.9"),
])
def test_behind_proxies_the_address_the_outermost_trusted_proxy_saw(settings, proxies, header, expected):
    settings.PPID_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


@pytest.mark.parametrize(("remote", "ident"), [
    ("192.0.2.1", "192.0.2.1"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
])
def test_limiters_count_an_ipv6_client_by_its_64(remote, ident):
    assert limiter_ident(RequestFactory().get("/", REMOTE_ADDR=remote)) == ident


def test_rotating_ipv6_addresses_inside_a_64_does_not_reset_the_api_track_limit(opds, calendar, settings):
    rates(settings, ppid_track="2/minute")
    api = APIClient()
    codes = [api.get("/api/v1/requests/track/", WRONG, REMOTE_ADDR=f"2001:db8:77:1::{i + 1:x}").status_code
             for i in range(3)]
    assert codes == [404, 404, 429]
    assert api.get("/api/v1/requests/track/", WRONG, REMOTE_ADDR="2001:db8:77:2::1").status_code == 404


# ----------------------------------------------------------------------------- rotating X-Forwarded-For (proxies 0)


def test_rotating_forwarded_for_does_not_reset_the_api_submit_limit(opds, calendar, settings):
    rates(settings, ppid_submit="2/hour")
    api = APIClient()
    codes = [api_submit(api, **forged(i)).status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_rotating_forwarded_for_does_not_reset_the_api_track_limit(opds, calendar, settings):
    rates(settings, ppid_track="2/minute")
    api = APIClient()
    codes = [api.get("/api/v1/requests/track/", WRONG, **forged(i)).status_code for i in range(3)]
    assert codes == [404, 404, 429]


def test_rotating_forwarded_for_does_not_reset_the_html_submit_limit(opds, calendar, settings):
    rates(settings, ppid_submit="2/hour")
    client = Client()
    codes = [html_submit(client, **forged(i)).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Case.objects.count() == 2


def test_rotating_forwarded_for_does_not_reset_the_html_track_limit(opds, calendar, settings):
    rates(settings, ppid_track="2/minute")
    codes = [Client().post("/lacak/", WRONG, **forged(i)).status_code for i in range(3)]
    assert codes == [404, 404, 429]


def test_behind_a_trusted_proxy_clients_are_counted_apart(opds, calendar, settings):
    settings.PPID_TRUSTED_PROXIES = 1
    rates(settings, ppid_track="1/minute")
    api = APIClient()
    for client_ip in ("203.0.113.1", "203.0.113.2"):
        assert api.get("/api/v1/requests/track/", WRONG, HTTP_X_FORWARDED_FOR=client_ip).status_code == 404
    assert api.get("/api/v1/requests/track/", WRONG, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert Client().post("/lacak/", WRONG, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.2").status_code == 429
    assert Client().post("/lacak/", WRONG, HTTP_X_FORWARDED_FOR="203.0.113.3").status_code == 404


def test_pages_and_api_share_one_count_per_scope(opds, calendar, settings):
    rates(settings, ppid_track="2/minute", ppid_submit="2/hour")
    api = APIClient()
    assert api.get("/api/v1/requests/track/", WRONG).status_code == 404
    assert Client().post("/lacak/", WRONG).status_code == 404
    assert api.get("/api/v1/requests/track/", WRONG).status_code == 429
    assert Client().post("/lacak/", WRONG).status_code == 429
    assert html_submit(Client()).status_code == 302
    assert api_submit(api).status_code == 201
    assert api_submit(api).status_code == 429
    assert html_submit(Client()).status_code == 429
    assert Case.objects.count() == 2


# ----------------------------------------------------------------------------------------- HTML tracking order


def test_html_track_past_the_limit_refuses_even_the_right_code(submit, settings):
    rates(settings, ppid_track="2/minute")
    submission = submit()
    client = Client()
    right = {"registration_number": submission.case.registration_number, "tracking_code": submission.tracking_code}
    assert client.post("/lacak/", right).status_code == 302  # a found case is not a failure: nothing counted
    assert [client.post("/lacak/", WRONG).status_code for _ in range(2)] == [404, 404]
    assert client.post("/lacak/", right).status_code == 429
    assert client.get("/lacak/", right).status_code == 429


# ------------------------------------------------------------------------------------------------ cache outage


def test_with_the_cache_server_down_submit_and_track_work_and_stay_limited(submit, settings, caplog):
    settings.CACHES = DEAD_REDIS
    rates(settings, ppid_submit="2/hour", ppid_track="2/minute")
    submission = submit()
    right = {"registration_number": submission.case.registration_number, "tracking_code": submission.tracking_code}
    api = APIClient()
    with caplog.at_level(logging.WARNING, logger="ppid_portal.ratelimit"):
        assert api.get("/api/v1/requests/track/", right).status_code == 200
        assert [api_submit(api).status_code for _ in range(3)] == [201, 201, 429]
        assert [api.get("/api/v1/requests/track/", WRONG).status_code for _ in range(3)] == [404, 404, 429]
        # The pages count in the same (in-memory) store as the API.
        assert html_submit(Client()).status_code == 429
        assert Client().post("/lacak/", WRONG).status_code == 429
    assert "ConnectionError" in caplog.text
    assert Case.objects.count() == 3


def test_the_cache_is_asked_again_after_the_retry_interval(opds, calendar, settings, monkeypatch):
    from ppid_portal import ratelimit

    monkeypatch.setattr(ratelimit, "CACHE_RETRY_SECONDS", 0)
    settings.CACHES = DEAD_REDIS
    rates(settings, ppid_track="5/minute")
    assert Client().post("/lacak/", WRONG).status_code == 404
    assert len(limiter_cache.local) == 1  # counted in memory
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert Client().post("/lacak/", WRONG).status_code == 404
    assert len(limiter_cache.local) == 1  # the second failure went to the cache again


def test_local_store_expires_and_stays_bounded(monkeypatch):
    from ppid_portal import ratelimit

    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    store = LocalStore(max_entries=3)
    assert [store.incr("a", 10) for _ in range(3)] == [1, 2, 3]
    clock[0] += 11
    assert store.get("a") is None and store.incr("a", 10) == 1
    for key in "bcde":
        store.incr(key, 10)
    assert len(store) == 3


@pytest.mark.redis
def test_a_redis_killed_mid_run_leaves_the_limits_counting_in_memory(opds, calendar, settings, tmp_path):
    import socket
    import subprocess

    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        probe = redis.Redis(port=port, socket_connect_timeout=1)
        for _ in range(50):
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                import time

                time.sleep(0.1)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": f"redis://127.0.0.1:{port}/0",
                                       "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
        rates(settings, ppid_track="3/minute", ppid_submit="3/hour")
        api = APIClient()
        assert api.get("/api/v1/requests/track/", WRONG).status_code == 404
        assert api_submit(api).status_code == 201
        assert Client().post("/lacak/", WRONG).status_code == 404
        # One key per scope and client, shared by the page and the API, counted in Redis.
        assert len(probe.keys("*")) == 2 and len(limiter_cache.local) == 0
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The pooled connections are now dead: every limiter goes on in memory, from zero, without a 5xx.
    assert [api.get("/api/v1/requests/track/", WRONG).status_code for _ in range(4)] == [404, 404, 404, 429]
    assert [api_submit(api).status_code for _ in range(4)] == [201, 201, 201, 429]
    assert Client().post("/lacak/", WRONG).status_code == 429  # the page shares the API's in-memory count


@pytest.mark.redis
def test_on_redis_a_count_starts_with_its_expiry_and_reads_back_as_the_number(settings):
    """The Redis counter is created with the rate's duration as its lifetime and counted in the same pipeline; the
    value stays the plain integer Django's cache reads (the limiters compare it with their rate through get())."""
    import os

    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": os.environ["REDIS_URL"], "KEY_PREFIX": "ppidtest-count"}}
    key = "ppid-throttle:test:203.0.113.9"
    cache.delete(key)
    limiter_cache.reset()
    assert [limiter_cache.incr(key, 60) for _ in range(3)] == [1, 2, 3]
    assert limiter_cache.get(key) == 3 and cache.get(key) == 3
    client = cache._cache.get_client(write=True)
    ttl = client.ttl(cache.make_and_validate_key(key))
    assert 0 < ttl <= 60  # counted from the first hit, not renewed by the later ones
    cache.delete(key)  # expired: the next hit starts again at one
    assert limiter_cache.incr(key, 60) == 1
    cache.delete(key)
