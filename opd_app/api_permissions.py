"""DRF permission classes for the portal's roles: each maps a decision of permissions.py to the API's HTTP answer,
as decorators.py does for the pages. Token-first authentication makes a refusal of an anonymous client a 401."""

from rest_framework import permissions
from rest_framework.exceptions import NotFound

from .permissions import can_administer, can_edit_holidays, can_see_officer_pages


class IsOfficer(permissions.BasePermission):
    message = "Hanya petugas PPID."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False  # 401: token-first authentication asks for credentials
        if can_see_officer_pages(request.user):
            return True
        if view.kwargs:
            # Out of scope is 404: a named object (a case, a letter to deliver) is a 404 to whoever may not see it
            # (as for an officer of another OPD); its existence is not confirmed to a signed-in citizen either.
            # Lists keep the plain 403.
            raise NotFound()
        return False


class IsUtamaAdmin(permissions.BasePermission):
    message = "Hanya admin PPID Utama."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and can_administer(request.user))


class ReadOrUtamaAdmin(permissions.BasePermission):
    message = "Hanya admin PPID Utama yang dapat mengubah kalender hari libur."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or can_edit_holidays(request.user)
