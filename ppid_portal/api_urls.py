"""/api/v1/: each app contributes its own URL module."""

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token

from opd_app.api import OPDListView

urlpatterns = [
    path("opd/", OPDListView.as_view(), name="api-opd-list"),
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include("requests_app.api.urls")),
    path("", include("documents_app.api_urls")),
]
