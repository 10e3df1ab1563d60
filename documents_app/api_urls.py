"""Document library API (issue: Documents). Filled by documents_app."""

urlpatterns: list = []
