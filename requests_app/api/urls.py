from django.urls import path

from . import deliveries, dik, holidays, messages, objections, registers, views

urlpatterns = [
    path("requests/", views.RequestCreateView.as_view(), name="api-request-create"),
    path("requests/track/", views.TrackView.as_view(), name="api-request-track"),
    path("requests/objections/", objections.ObjectionCreateView.as_view(), name="api-objection-create"),
    path("requests/messages/", messages.MessageCreateView.as_view(), name="api-request-message"),
    path("holidays/", holidays.HolidayListView.as_view(), name="api-holiday-list"),
    path("holidays/<str:date>/", holidays.HolidayDetailView.as_view(), name="api-holiday-detail"),
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<str:registration_number>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<str:registration_number>/letters/<str:token>/", views.CaseLetterView.as_view(),
         name="api-case-letter"),
    path("cases/<str:registration_number>/actions/", views.CaseActionView.as_view(), name="api-case-actions"),
    path("dik/", dik.DikListView.as_view(), name="api-dik-list"),
    path("dik/<int:pk>/", dik.DikDetailView.as_view(), name="api-dik-detail"),
    path("deliveries/", deliveries.DeliveryListView.as_view(), name="api-delivery-list"),
    path("registers/requests/", registers.RequestRegisterView.as_view(), name="api-register-requests"),
    path("registers/objections/", registers.ObjectionRegisterView.as_view(), name="api-register-objections"),
    path("deliveries/<int:pk>/handover/", deliveries.DeliveryHandoverView.as_view(), name="api-delivery-handover"),
]
