"""The portal's URLs plus three that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from ppid_portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from ppid_portal.urls import urlpatterns as portal_urlpatterns


def bad(request):
    raise SuspiciousOperation("a malformed request")


def denied(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = [
    path("petugas/uji/rusak/", broken),
    path("uji/rusak/", broken),
    path("uji/ditolak/", denied),
    path("uji/buruk/", bad),
    path("api/v1/uji/rusak/", broken),
    *portal_urlpatterns,
]
