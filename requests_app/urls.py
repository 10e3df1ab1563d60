from django.urls import path

from requests_app.views import officer, public

urlpatterns = [
    path("permohonan/baru/", public.request_create, name="request-create"),
    path("permohonan/<str:registration_number>/terkirim/", public.request_done, name="request-done"),
    path("permohonan/<str:registration_number>/tanda-bukti.pdf", public.receipt_pdf, name="request-receipt"),
    path("lacak/", public.track, name="track"),
    path("permohonan-saya/", public.my_requests, name="my-requests"),
    path("lacak/<str:registration_number>/", public.track_case, name="track-case"),
    path("lacak/<str:registration_number>/lampiran/<int:attachment_id>/", public.attachment_download,
         name="attachment-download"),
    path("petugas/", officer.queue, name="queue"),
    path("petugas/kasus/<str:registration_number>/", officer.case_detail, name="case-detail"),
    path("petugas/kasus/<str:registration_number>/aksi/", officer.case_action, name="case-action"),
    path("petugas/kasus/<str:registration_number>/identitas/", officer.identity_document, name="case-identity"),
]
