"""Library pages (public) and the officers' document pages."""

from django.urls import path

from documents_app import views

urlpatterns = [
    path("dokumen/", views.library, name="documents-library"),
    path("dokumen/<int:pk>/", views.document_detail, name="document-detail"),
    path("dokumen/<int:pk>/unduh/", views.document_download, name="document-download"),
    path("dip/", views.dip, name="dip"),
    path("dip/dip.csv", views.dip_csv, name="dip-csv"),
    path("dip/dip.pdf", views.dip_pdf, name="dip-pdf"),
    path("dip/<str:opd_code>/", views.dip, name="dip-opd"),
    path("petugas/dokumen/", views.officer_list, name="documents-officer"),
    path("petugas/dokumen/unggah/", views.officer_upload, name="document-upload"),
    path("petugas/dokumen/<int:pk>/", views.officer_review, name="document-review"),
    path("petugas/dokumen/<int:pk>/aksi/", views.officer_action, name="document-action"),
    path("petugas/dokumen/<int:pk>/berkas/", views.officer_download, name="document-officer-download"),
    path("petugas/kasus/<str:registration_number>/lampiran/<int:attachment_id>/publikasi/",
         views.case_attachment_publish, name="case-attachment-publish"),
]
