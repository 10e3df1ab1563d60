"""The Django admin site, with the failed-login limit on its login form."""

from django.contrib import admin

from ppid_portal.login_limit import AdminLoginForm, login_status


class PortalAdminSite(admin.AdminSite):
    login_form = AdminLoginForm

    def login(self, request, extra_context=None):
        return login_status(super().login(request, extra_context))
