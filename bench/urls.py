"""The product's URLconf unchanged, plus the floor views under /_bench/ (bench settings only)."""

from django.urls import include, path

from bench import views
from ppid_portal.uploads import route_limit_like

# The submission floor posts the citizen's multipart form: it gets the same body limit as the form it is measured
# against (any other route refuses a file with 413).
route_limit_like("bench-minimal", "api-request-create")

urlpatterns = [
    path("_bench/minimal/", views.minimal, name="bench-minimal"),
    path("_bench/sql/<str:name>/", views.sql, name="bench-sql"),
    path("_bench/template/", views.template, name="bench-template"),
    path("", include("ppid_portal.urls")),
]
