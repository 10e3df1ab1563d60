from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, views

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
]
