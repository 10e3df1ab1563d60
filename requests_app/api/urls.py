from django.urls import path

from . import views

urlpatterns = [
    path("requests/", views.RequestCreateView.as_view(), name="api-request-create"),
    path("requests/track/", views.TrackView.as_view(), name="api-request-track"),
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<str:registration_number>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<str:registration_number>/actions/", views.CaseActionView.as_view(), name="api-case-actions"),
]
