from django.urls import path

from compliance_app.views import dashboard, stats

urlpatterns = [
    path("statistik/", stats.public_statistics, name="stats"),
    path("dasbor/", dashboard.dashboard, name="dashboard"),
    path("dasbor/ekspor.<str:fmt>", dashboard.figures_export, name="dashboard-export"),
    path("dasbor/kasus/", dashboard.case_list, name="dashboard-cases"),
    path("dasbor/kasus/ekspor.<str:fmt>", dashboard.case_list_export, name="dashboard-cases-export"),
    path("dasbor/laporan.pdf", dashboard.report_pdf, name="dashboard-report"),
    path("dasbor/laporan/buat/", dashboard.report_build, name="dashboard-report-build"),
    path("dasbor/laporan/unduh/", dashboard.report_download, name="dashboard-report-download"),
    path("dasbor/laporan/narasi/", dashboard.report_narrative, name="dashboard-report-narrative"),
    path("dasbor/laporan/terbitkan/", dashboard.report_publish_view, name="dashboard-report-publish"),
]
