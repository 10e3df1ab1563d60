"""Security headers every response carries."""

from django.conf import settings

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The self-hosted Swagger UI needs inline bootstrap code; it gets a slightly wider policy.
CSP_DOCS = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = CSP_DOCS if request.path.startswith(("/api/docs", "/django-admin/")) else CSP
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "PPID_CSP", policy))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


class RejectNulMiddleware:
    """A NUL character in the path, the query or a plain form body is a 400 before any view runs.

    PostgreSQL text cannot hold one, so psycopg refuses the value in any query (a filter, a lookup, a note): without
    this, `?opd=%00` or a note with a NUL would be a 500 wherever the value reaches the database. Multipart bodies are
    left to the forms and serializers, which refuse NULs in their text fields themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import HttpResponse, JsonResponse
            from django.utils.translation import gettext as _

            message = _("Permintaan memuat karakter yang tidak diizinkan (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [message]}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return True
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            return any("\x00" in key or "\x00" in value for key, values in request.POST.lists() for value in values)
        return False
