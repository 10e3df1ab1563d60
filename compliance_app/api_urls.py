from django.urls import path

from compliance_app import api

urlpatterns = [
    path("stats/", api.StatsView.as_view(), name="api-stats"),
    path("stats/report/", api.PublishedReportView.as_view(), name="api-stats-report"),
    path("compliance/", api.ComplianceView.as_view(), name="api-compliance"),
    path("compliance/report/", api.ComplianceReportView.as_view(), name="api-compliance-report"),
]
