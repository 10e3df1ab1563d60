"""The portal's own error pages (400, 403, 404, 500, CSRF failure) with DEBUG off: the right status, the portal's
layout in Indonesian or English, a way back (home, and the area the reader came from), never Django's default
English page. The 500 page renders without the request, so without a database query."""

import pytest
from django.test import Client

from ppid_portal.error_pages import FALLBACK_500, server_error

DJANGO_DEFAULTS = ("Not Found", "Bad Request (400)", "403 Forbidden", "Server Error (500)",
                   "CSRF verification failed", "The requested resource was not found")

TEXT = {
    "id": {400: "Permintaan tidak dapat diproses", 403: "Akses ditolak", 404: "Halaman tidak ditemukan",
           500: "Terjadi kesalahan pada server", "csrf": "Formulir kedaluwarsa", "home": "Kembali ke beranda"},
    "en": {400: "The request cannot be processed", 403: "Access denied", 404: "Page not found",
           500: "A server error occurred", "csrf": "The form has expired", "home": "Back to the home page"},
}

pytestmark = [pytest.mark.urls("tests.ppid_portal.error_urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _client(language, **kwargs):
    client = Client(**kwargs)
    client.raise_request_exception = False
    client.cookies["django_language"] = language
    return client


def _get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def _page_checks(response, status, language, key):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{TEXT[language][key]}</h1>" in html
    assert f'href="/">{TEXT[language]["home"]}</a>' in html
    assert 'href="/static/css/portal.css"' in html  # the portal's layout (base.html)
    for default in DJANGO_DEFAULTS:
        assert default not in html
    return html


@pytest.mark.parametrize("language", ["id", "en"])
def test_404(language):
    _page_checks(_get(_client(language), "/tidak-ada/", language), 404, language, 404)


@pytest.mark.parametrize("language", ["id", "en"])
def test_404_in_an_area_links_back_to_it(language, opds):
    html = _page_checks(_get(_client(language), "/dokumen/999999/", language), 404, language, 404)
    label = {"id": "Kembali ke Perpustakaan dokumen", "en": "Back to Document library"}[language]
    assert 'href="/dokumen/">« ' in html
    assert label.split(" ", 2)[-1].lower() in html.lower()


@pytest.mark.parametrize("language", ["id", "en"])
def test_400(language):
    _page_checks(_get(_client(language), "/uji/buruk/", language), 400, language, 400)


@pytest.mark.parametrize("language", ["id", "en"])
def test_403(language):
    _page_checks(_get(_client(language), "/uji/ditolak/", language), 403, language, 403)


def test_a_real_403_of_an_admin_page_is_the_portals(officer):
    client = _client("id")
    client.force_login(officer)
    html = _page_checks(_get(client, "/dasbor/", "id"), 403, "id", 403)
    assert "Antrean kasus" in html  # the signed-in officer's menu: the page had its request context


@pytest.mark.parametrize("language", ["id", "en"])
def test_500_renders_without_a_database_query(language, django_assert_num_queries):
    client = _client(language)
    with django_assert_num_queries(0):
        response = _get(client, "/uji/rusak/", language)
    html = _page_checks(response, 500, language, 500)
    assert "the database went away" not in html  # nothing of the error reaches the reader


def test_500_in_the_officers_area_links_back_to_the_queue():
    html = _page_checks(_get(_client("id"), "/petugas/uji/rusak/", "id"), 500, "id", 500)
    assert 'href="/petugas/">« Kembali ke Antrean kasus</a>' in html


def test_500_falls_back_to_a_plain_page_when_the_template_fails(rf, monkeypatch):
    from django.template import loader

    def broken(name):
        raise RuntimeError("no templates")

    monkeypatch.setattr(loader, "get_template", broken)
    response = server_error(rf.get("/"))
    assert response.status_code == 500 and response.content.decode() == FALLBACK_500


def test_api_errors_stay_json():
    client = _client("id")
    missing = client.get("/api/v1/tidak-ada/")
    assert missing.status_code == 404 and missing.json() == {"detail": ["Halaman tidak ditemukan."]}
    broken = client.get("/api/v1/uji/rusak/")
    assert broken.status_code == 500 and broken.json() == {"detail": ["Terjadi kesalahan pada server."]}


@pytest.mark.parametrize("language", ["id", "en"])
def test_csrf_failure(language, opds):
    client = _client(language, enforce_csrf_checks=True)
    response = client.post("/lacak/", {"registration_number": "X", "tracking_code": "Y"},
                           HTTP_ACCEPT_LANGUAGE=language)
    _page_checks(response, 403, language, "csrf")
