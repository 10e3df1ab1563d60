"""View decorators for the portal's roles, built on the permission functions in permissions.py."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role
from .permissions import is_staff_member, is_utama_admin, opd_ids_for


def _role_required(allowed, refusal):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise refusal
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Officers' pages are 404 to everyone else: their existence is not advertised.
staff_required = _role_required(is_staff_member, Http404)
atasan_required = _role_required(lambda u: is_utama_admin(u) or bool(opd_ids_for(u, Role.ATASAN)), Http404)
# Admin pages answer 403 to other officers (the dashboard, the holiday calendar).
utama_required = _role_required(is_utama_admin, PermissionDenied)
