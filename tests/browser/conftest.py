"""Playwright fixtures: Debian's chromium (never a downloaded browser) against pytest-django's live server.

One browser per test session (`browser`, in tests/conftest.py, shared with the deploy tests); every test gets
fresh browser contexts (cookies, cache) from `new_page`.
The live server runs in a thread of this process and the Playwright sync API runs an event loop in the
test thread, so Django's async-safety check is relaxed for these tests only.
"""

import os
import shutil

import pytest

from tests.browser.support import CHROMIUM, DESK

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")



MISSING = f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)"


def _chromium_present() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests with a reason when chromium is absent; in CI (REQUIRE_SERVICES=1) they run and
    fail in the `browser` fixture instead, so a missing browser can never pass unnoticed."""
    if _chromium_present() or os.environ.get("REQUIRE_SERVICES") == "1":
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture
def site(live_server, opds, calendar):
    """The live server with the 27 OPD and the holiday calendar (flushed after every transactional test)."""
    return live_server


@pytest.fixture
def new_page(browser, site):
    """Factory: a page in a fresh context (own cookies and cache). Indonesian browser locale by default."""
    contexts = []

    def _new(viewport=DESK, locale="id-ID", javascript=True):
        context = browser.new_context(base_url=site.url, viewport=viewport, locale=locale,
                                      extra_http_headers={"Accept-Language": locale}, java_script_enabled=javascript)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()
