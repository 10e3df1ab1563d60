"""Document library pages (issue: Documents). Filled by documents_app."""

urlpatterns: list = []
