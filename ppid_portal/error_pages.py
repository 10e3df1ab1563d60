"""The portal's own error pages (400, 403, 404, 500 and the CSRF failure), in its layout and language, each with
a way back: home and, where the path shows one, the area the reader came from. Under /api/ the answer stays
JSON ({"detail": [...]}) like the rest of the API.

The 500 page is rendered without the request: no context processors, so no database query and no session, which
may be what failed. A failure even then falls back to a plain bilingual page."""

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Path prefix -> (URL name, label) of the area a reader is sent back to; the first match wins.
AREAS = (
    ("/petugas/keberatan/", "objection-queue", gettext_lazy("Antrean keberatan")),
    ("/petugas/dokumen/", "documents-officer", gettext_lazy("Dokumen OPD")),
    ("/petugas/libur/", "holiday-list", gettext_lazy("Kalender hari libur")),
    ("/petugas/", "queue", gettext_lazy("Antrean kasus")),
    ("/dasbor/", "dashboard", gettext_lazy("Dasbor")),
    ("/lacak/", "track", gettext_lazy("Lacak permohonan")),
    ("/permohonan-saya/", "my-requests", gettext_lazy("Permohonan saya")),
    ("/permohonan/", "request-create", gettext_lazy("Ajukan permohonan")),
    ("/dokumen/", "documents-library", gettext_lazy("Perpustakaan dokumen")),
    ("/dip/", "dip", gettext_lazy("Daftar Informasi Publik")),
    ("/statistik/", "stats", gettext_lazy("Statistik")),
    ("/opd/", "opd-directory", gettext_lazy("Direktori OPD")),
)

FALLBACK_500 = (
    '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Terjadi kesalahan — LOBIKU</title></head>'
    "<body><h1>Terjadi kesalahan pada server</h1><p>Silakan coba lagi beberapa saat lagi.</p>"
    '<p lang="en">A server error occurred. Please try again in a moment.</p>'
    '<p><a href="/">Kembali ke beranda / Back to the home page</a></p></body></html>'
)


def back_area(path: str) -> dict | None:
    """The area of the portal a path belongs to, as {url, label}; None for the home page and unknown paths."""
    for prefix, name, label in AREAS:
        if path.startswith(prefix) and path != reverse(name):
            return {"url": reverse(name), "label": label}
        if path.startswith(prefix):
            return None  # the area's own page failed: home is the way back
    return None


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _page(request, template: str, status: int, message: str):
    if _api(request):
        return JsonResponse({"detail": [message]}, status=status)
    body = loader.render_to_string(template, {"area": back_area(request.path)}, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _page(request, "400.html", 400, _("Permintaan tidak dapat diproses."))


def permission_denied(request, exception=None):
    return _page(request, "403.html", 403, _("Anda tidak berhak membuka halaman ini."))


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404, _("Halaman tidak ditemukan."))


def server_error(request):
    message = _("Terjadi kesalahan pada server.")
    if _api(request):
        return JsonResponse({"detail": [message]}, status=500)
    try:
        # No request: no context processors, nothing that reads the database or the session.
        body = loader.get_template("500.html").render({"area": back_area(request.path)})
    except Exception:  # the error page itself must not fail
        body = FALLBACK_500
    return HttpResponseServerError(body)


def csrf_failure(request, reason: str = ""):
    """A form sent with a missing or stale security token (an old tab, cookies off): say what to do."""
    return _page(request, "403_csrf.html", 403, _("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi."))
