"""/api/v1/: each app contributes its own URL module."""

from django.urls import include, path

from opd_app.api import OPDListView, TokenObtainView

urlpatterns = [
    path("opd/", OPDListView.as_view(), name="api-opd-list"),
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("", include("requests_app.api.urls")),
    path("", include("compliance_app.api_urls")),
    path("", include("documents_app.api_urls")),
]
