from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ppid_portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("ppid_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("", include("opd_app.urls")),
    path("", include("requests_app.urls")),
    path("", include("compliance_app.urls")),
    path("", include("documents_app.urls")),
]


# The portal's own error pages (ppid_portal.error_pages), in its layout and language.
handler400 = "ppid_portal.error_pages.bad_request"
handler403 = "ppid_portal.error_pages.permission_denied"
handler404 = "ppid_portal.error_pages.page_not_found"
handler500 = "ppid_portal.error_pages.server_error"
