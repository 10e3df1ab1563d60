"""Who may do what with the library's documents: the one set of decisions the pages, the API and the services
ask, built on opd_app.permissions.

- A published document is public.
- The PPID officers (pelaksana, atasan) of a document's OPD, and PPID Utama admins, manage it: upload for that
  OPD, edit, replace its file, confirm the personal-data check, publish, unpublish, see it as a draft with its
  review fields, link it to one of the OPD's cases.
- Out of scope is 404: a document someone may not manage and cannot see does not exist for them (a draft to the
  public, another OPD's document to an officer, any document on an officer's endpoint to a citizen).
- A wrong role on an officer's endpoint that names no document is 403 (the API's upload); a signed-out user is
  asked to sign in first.
"""

from enum import Enum

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from documents_app.models import DocumentStatus
from opd_app.models import OPD, Role
from opd_app.permissions import is_staff_member, is_utama_admin, opd_ids_for, scope_to_user, visible_opd_ids
from ppid_portal.errors import NotPermitted

MANAGING_ROLES = (Role.PELAKSANA, Role.ATASAN)


class Refusal(Enum):
    """Why an officer's endpoint refuses someone, before it looks at any document."""

    SIGN_IN = "sign in"  # signed out: the API answers 401, a page sends to the login page
    NOT_FOUND = "not found"  # not an officer, on an endpoint that names a document: nothing to learn from it
    FORBIDDEN = "forbidden"  # not an officer, on an endpoint that names none: the role is wrong


def can_manage_documents(user, opd_id: int) -> bool:
    """PPID officers (pelaksana, atasan) of the OPD, and PPID Utama admins, upload and publish its documents."""
    return is_utama_admin(user) or opd_id in opd_ids_for(user, *MANAGING_ROLES)


def require_manage(user, opd_id: int) -> None:
    """The services' guard: NotPermitted unless `user` manages the OPD's documents."""
    if not can_manage_documents(user, opd_id):
        raise NotPermitted(_("Anda tidak berwenang mengelola dokumen OPD ini."))


def can_link_case(user, case) -> bool:
    """A document may name a case of an OPD whose documents the officer manages (the same officers act on it)."""
    return can_manage_documents(user, case.opd_id)


def upload_opds(user) -> QuerySet:
    """The OPDs the user may upload for: every OPD for PPID Utama, else the OPDs the user manages (maybe none)."""
    ids = visible_opd_ids(user, MANAGING_ROLES)
    return OPD.objects.all() if ids is None else OPD.objects.filter(pk__in=ids)


def managed_documents(user, queryset: QuerySet) -> QuerySet:
    """The documents of `queryset` (any status) the user manages: all of them for PPID Utama, none for others."""
    return scope_to_user(user, queryset, roles=MANAGING_ROLES)


def can_see(user, document) -> bool:
    """Published documents for everyone; drafts and withdrawn documents only for the officers who manage them."""
    return document.status == DocumentStatus.PUBLISHED or can_manage_documents(user, document.opd_id)


def is_reviewer(user, document) -> bool:
    """The review fields (scan state and error, findings, confirmation) are for the document's officers."""
    return bool(user and user.is_authenticated) and can_manage_documents(user, document.opd_id)


def officer_refusal(user, *, names_a_document: bool) -> Refusal | None:
    """None when `user` may use an officer's endpoint at all (the document's own scope is checked after)."""
    if not (user and user.is_authenticated):
        return Refusal.SIGN_IN
    if not is_staff_member(user):
        # Another OPD's document is a 404 to an officer; a citizen learns no more about it than that.
        return Refusal.NOT_FOUND if names_a_document else Refusal.FORBIDDEN
    return None
