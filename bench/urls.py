"""The product's URLconf unchanged, plus the floor views under /_bench/ (bench settings only)."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("_bench/minimal/", views.minimal, name="bench-minimal"),
    path("_bench/sql/<str:name>/", views.sql, name="bench-sql"),
    path("_bench/template/", views.template, name="bench-template"),
    path("", include("ppid_portal.urls")),
]
