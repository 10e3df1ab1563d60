from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, officer_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("opd/", views.directory, name="opd-directory"),
    path("maklumat-pelayanan/", views.service_notice, name="service-notice"),
    path("masuk/", accounts.login_page, name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", accounts.signup, name="signup"),
    path("masuk/lanjut/", accounts.after_login, name="after-login"),
    path("akun/lupa-sandi/", accounts.password_reset, name="password-reset"),
    path("akun/lupa-sandi/terkirim/", accounts.password_reset_done, name="password-reset-done"),
    path("akun/sandi/selesai/", accounts.password_set_done, name="password-reset-complete"),
    path("akun/sandi/<uidb64>/<token>/", accounts.password_set, name="password-reset-confirm"),
    path("petugas/opd/<str:code>/penanda-tangan/", views.opd_signatory, name="opd-signatory"),
    path("petugas/pengguna/", officer_views.officer_list, name="officer-list"),
    path("petugas/pengguna/baru/", officer_views.officer_new, name="officer-new"),
    path("petugas/pengguna/<int:pk>/", officer_views.officer_detail, name="officer-detail"),
    path("petugas/pengguna/<int:pk>/peran/", officer_views.officer_role_add, name="officer-role-add"),
    path("petugas/pengguna/<int:pk>/peran/<int:membership_pk>/cabut/", officer_views.officer_role_remove,
         name="officer-role-remove"),
    path("petugas/pengguna/<int:pk>/nonaktifkan/", officer_views.officer_deactivate, name="officer-deactivate"),
    path("petugas/pengguna/<int:pk>/aktifkan/", officer_views.officer_reactivate, name="officer-reactivate"),
    path("petugas/pengguna/<int:pk>/kata-sandi/", officer_views.officer_password, name="officer-password"),
]
