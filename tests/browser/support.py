"""Helpers the browser journeys share: screenshots, axe-core, layout and language checks."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PPID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}
AXE_URL = "/static/vendor/axe-core/axe.min.js"
# WCAG 2.x A/AA rules plus axe's best practices; only these impacts fail a test.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_FAILING = ("serious", "critical")


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/browser/ (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    """Run axe-core (served from our own static/, so the page's CSP allows it) and return the
    serious and critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [v for v in result["violations"] if v.get("impact") in AXE_FAILING]


def assert_accessible(page, label: str) -> None:
    violations = axe_violations(page)
    if violations:
        lines = [f"axe: {len(violations)} serious/critical violation(s) on {label} ({page.url}):"]
        for v in violations:
            targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} — {targets}")
        pytest.fail("\n".join(lines))


def check_page(page, name: str) -> None:
    """Every journey page: a screenshot, axe, and on a phone no horizontal scrolling."""
    shot(page, name)
    assert_accessible(page, name)
    viewport = page.viewport_size["width"]
    if viewport <= PHONE["width"]:
        width = page_width(page)
        assert width <= viewport, f"{name}: {width}px wide on a {viewport}px screen (horizontal scroll)"


def page_width(page) -> int:
    """The width of the whole document: more than the viewport means horizontal scrolling."""
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def login(page, username: str, password: str = "pw-Secret-1", then: str = "/petugas/") -> None:
    """Log in through the officer login page and land on `then`."""
    page.goto(f"/masuk/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{then}")


CITIZEN = {
    "name": "Siti Rahmawati",
    "address": "Jl. Mulawarman No. 1, Tenggarong",
    "phone": "081234567890",
    "email": "siti@example.org",
    "occupation": "Wartawan",
    "information_requested": "Data jumlah puskesmas dan tenaga kesehatan per kecamatan tahun 2025",
    "purpose": "Bahan liputan",
}


def fill_request_form(page, nik: str) -> None:
    """Fill the whole request form as a citizen would, with a generated PNG as the identity scan."""
    from tests.conftest import png_bytes

    page.select_option("#id_opd", "DINKES")
    page.select_option("#id_requester_type", "individual")
    page.fill("#id_name", CITIZEN["name"])
    page.fill("#id_identity_number", nik)
    page.set_input_files("#id_identity_document",
                         files=[{"name": "ktp.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.fill("#id_address", CITIZEN["address"])
    page.fill("#id_phone", CITIZEN["phone"])
    page.fill("#id_email", CITIZEN["email"])
    page.fill("#id_occupation", CITIZEN["occupation"])
    page.fill("#id_information_requested", CITIZEN["information_requested"])
    page.fill("#id_purpose", CITIZEN["purpose"])
    page.check("input[name=obtain_method][value=copy]")
    page.select_option("#id_copy_format", "softcopy")
    page.select_option("#id_delivery_method", "email")
    page.check("#id_publish_consent")
