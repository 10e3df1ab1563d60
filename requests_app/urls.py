from django.urls import path

from requests_app.views import holidays, objections, officer, public

urlpatterns = [
    path("permohonan/baru/", public.request_create, name="request-create"),
    path("permohonan/<str:registration_number>/terkirim/", public.request_done, name="request-done"),
    path("permohonan/<str:registration_number>/tanda-bukti.pdf", public.receipt_pdf, name="request-receipt"),
    path("lacak/", public.track, name="track"),
    path("lacak/lupa-kode/", public.track_forgot, name="track-forgot"),
    path("permohonan-saya/", public.my_requests, name="my-requests"),
    path("lacak/<str:registration_number>/cabut/", public.track_withdraw, name="track-withdraw"),
    path("lacak/<str:registration_number>/pesan/", public.track_message, name="track-message"),
    path("lacak/<str:registration_number>/", public.track_case, name="track-case"),
    path("lacak/<str:registration_number>/lampiran/<int:attachment_id>/", public.attachment_download,
         name="attachment-download"),
    path("petugas/", officer.queue, name="queue"),
    path("petugas/kasus/<str:registration_number>/", officer.case_detail, name="case-detail"),
    path("petugas/kasus/<str:registration_number>/aksi/", officer.case_action, name="case-action"),
    path("petugas/kasus/<str:registration_number>/identitas/", officer.identity_document, name="case-identity"),
    path("petugas/kasus/<str:registration_number>/diteruskan/", officer.case_forwarded, name="case-forwarded"),
    path("lacak/<str:registration_number>/keberatan/", objections.objection_create, name="objection-create"),
    path("lacak/<str:registration_number>/keberatan/<str:objection_number>/sengketa/", objections.objection_refer_view,
         name="objection-refer"),
    path("petugas/keberatan/", objections.objection_queue, name="objection-queue"),
    path("petugas/keberatan/<str:objection_number>/", objections.objection_detail, name="objection-detail"),
    path("petugas/keberatan/<str:objection_number>/lampiran/<int:attachment_id>/", objections.objection_material,
         name="objection-material"),
    path("petugas/libur/", holidays.holiday_list, name="holiday-list"),
    path("petugas/libur/<int:pk>/", holidays.holiday_edit, name="holiday-edit"),
    path("petugas/libur/<int:pk>/hapus/", holidays.holiday_delete_view, name="holiday-delete"),
]
