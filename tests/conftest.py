"""Shared fixtures. Tests hit the real database (PostgreSQL when DATABASE_URL points there).

Tests marked `postgres` or `redis` need that real service: they skip with a reason when it is absent,
and fail instead when REQUIRE_SERVICES=1 (CI)."""

import io
import os
import shutil

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from opd_app.models import Role
from opd_app.services import officer_create, opd_seed
from requests_app.services.holidays import holidays_seed

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _postgres_available() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def pytest_collection_modifyitems(config, items):
    checks = {
        "postgres": (_postgres_available, "needs PostgreSQL: set DATABASE_URL=postgres://…"),
        "redis": (_redis_available, "needs a reachable Redis: set REDIS_URL=redis://…"),
    }
    for marker, (available, reason) in checks.items():
        marked = [item for item in items if marker in item.keywords]
        if not marked or available():
            continue
        for item in marked:
            if REQUIRE_SERVICES:
                # Fail, not skip: CI must not pass without the service it promised to test against.
                item.user_properties.append(("missing_service", f"REQUIRE_SERVICES=1 but {reason}"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item):
    missing = dict(item.user_properties).get("missing_service")
    if missing:
        pytest.fail(missing, pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def _media_root():
    os.makedirs(settings.MEDIA_ROOT, exist_ok=True)
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from ppid_portal.ratelimit import limiter_cache

    cache.clear()
    limiter_cache.reset()
    yield


@pytest.fixture
def opds(db):
    opd_seed()
    from opd_app.models import OPD

    return {o.code: o for o in OPD.objects.all()}


@pytest.fixture
def calendar(db):
    holidays_seed([2024, 2025, 2026, 2027])


@pytest.fixture
def officer(opds):
    return officer_create(username="petugas.dinkes", opd_code="DINKES", role=Role.PELAKSANA, password="pw-Secret-1",
                          email="petugas@example.org")


@pytest.fixture
def officer2(opds):
    return officer_create(username="petugas2.dinkes", opd_code="DINKES", role=Role.PELAKSANA, password="pw-Secret-1",
                          email="petugas2@example.org")


@pytest.fixture
def atasan(opds):
    return officer_create(username="atasan.dinkes", opd_code="DINKES", role=Role.ATASAN, password="pw-Secret-1",
                          email="atasan@example.org")


@pytest.fixture
def other_officer(opds):
    return officer_create(username="petugas.dpupr", opd_code="DPUPR", role=Role.PELAKSANA, password="pw-Secret-1",
                          email="dpupr@example.org")


@pytest.fixture
def admin_utama(opds):
    return officer_create(username="admin.utama", opd_code="DISKOMINFO", role=Role.UTAMA, password="pw-Secret-1",
                          email="utama@example.org")


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def pdf_text(data: bytes) -> str:
    """All text of a PDF with whitespace collapsed (a heading or a value may wrap onto two lines)."""
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def pdf_bytes(text: str = "KTP") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.fixture
def identity_png():
    return SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")


def request_data(**overrides) -> dict:
    data = {
        "opd": "DINKES",
        "name": "Siti Rahmawati",
        "identity_number": "6403012345678901",
        "address": "Jl. Mulawarman No. 1, Tenggarong",
        "phone": "081234567890",
        "email": "siti@example.org",
        "occupation": "Wartawan",
        "requester_type": "individual",
        "information_requested": "Data jumlah puskesmas dan tenaga kesehatan per kecamatan tahun 2025",
        "purpose": "Bahan liputan",
        "obtain_method": "copy",
        "copy_format": "softcopy",
        "delivery_method": "email",
        "publish_consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def submit(opds, calendar):
    """Submit a request through the intake service; returns the Submission."""
    from requests_app.services.intake import request_submit

    def _submit(opd="DINKES", **overrides):
        data = request_data(**overrides)
        data.pop("opd")
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return request_submit(opd=opds[opd], data=data, identity_document=upload)

    return _submit


DIK_CONSEQUENCE = ("Membuka rekam medis mengungkap rahasia pribadi pasien dan merugikan haknya; kepentingan "
                   "melindungi pasien lebih besar daripada kepentingan publik untuk mengetahuinya.")


def dik_entry_make(opd, *, decided_on=None, valid_until=None, decided_by=None, **overrides):
    """An entry of `opd`'s list of exempted information (DIK), written directly (the service's rules are tested on
    their own): by default decided long ago and valid for years to come, so it grounds a refusal on any test day."""
    import datetime as dt

    from ppid_portal.clock import now
    from requests_app.models import DikEntry

    values = {"information": "Rekam medis pasien", "exemption": "h",
              "legal_basis": "UU No. 17 Tahun 2023 tentang Kesehatan, Pasal 4 ayat (1) huruf i",
              "consequence": DIK_CONSEQUENCE, **overrides}
    return DikEntry.objects.create(opd=opd, decided_on=decided_on or dt.date(2020, 1, 2),
                                   valid_until=valid_until or dt.date(2045, 12, 31), decided_by=decided_by,
                                   created_at=now(), updated_at=now(), **values)


@pytest.fixture
def dik_entry(opds):
    """A DIK entry of DINKES (the cases' usual OPD) valid on any test day: the ground of refusals and partial
    grants (answers `rejected_exempt` and `partially_granted` need one)."""
    return dik_entry_make(opds["DINKES"])


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test session, for the browser tests and the deploy tests alike: the Playwright sync API
    runs one event loop in the test thread, so a second one could not start while the first is open."""
    from playwright.sync_api import sync_playwright

    from tests.browser.support import CHROMIUM, CHROMIUM_ARGS

    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
