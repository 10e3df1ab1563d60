"""/api/v1/documents/…"""

from django.urls import path

from documents_app import api

urlpatterns = [
    path("documents/", api.DocumentListCreateView.as_view(), name="api-document-list"),
    path("documents/<int:pk>/", api.DocumentDetailView.as_view(), name="api-document-detail"),
    path("documents/<int:pk>/publish/", api.DocumentPublishView.as_view(), name="api-document-publish"),
    path("documents/<int:pk>/unpublish/", api.DocumentUnpublishView.as_view(), name="api-document-unpublish"),
]
