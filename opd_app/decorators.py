"""View decorators for the portal's roles: each maps a decision of permissions.py to the pages' HTTP answer."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .permissions import can_administer, can_manage_officers, can_see_objection_queue, can_see_officer_pages


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
staff_required = _role_required(can_see_officer_pages, Http404)
atasan_required = _role_required(can_see_objection_queue, Http404)
# Admin pages answer 403 to other officers (the dashboard, the holiday calendar).
utama_required = _role_required(can_administer, PermissionDenied)
# Officer accounts are 404 to everyone else, officers included: who administers accounts, and which accounts
# exist, is not advertised.
officer_admin_required = _role_required(can_manage_officers, Http404)
