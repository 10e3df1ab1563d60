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
    path("petugas/opd/<str:code>/penanda-tangan/", views.opd_signatory, name="opd-signatory"),
]
