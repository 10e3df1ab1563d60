"""The product's URLconf unchanged, plus the floor views under /_bench/ (bench settings only)."""

from django.urls import include, path

from bench import views
from ppid_portal.uploads import route_limit_like

# The submission floors post the citizen's multipart form: they get the same body limit as the form they are measured
# against (any other route refuses a file with 413).
route_limit_like("bench-minimal", "api-request-create")
route_limit_like("bench-submit-floor", "api-request-create")

urlpatterns = [
    path("_bench/minimal/", views.minimal, name="bench-minimal"),
    path("_bench/submit/", views.submit_floor, name="bench-submit-floor"),
    path("_bench/sql/<str:name>/", views.sql, name="bench-sql"),
    path("_bench/template/", views.template, name="bench-template"),
    path("", include("ppid_portal.urls")),
]
