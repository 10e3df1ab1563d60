"""Reads of the library: the DIP, one document for the public or for an officer. The search is in search.py."""

from django.db.models import QuerySet
from django.http import Http404

from documents_app.models import Document, DocumentEvent, ScanState
from documents_app.permissions import can_see, managed_documents
from documents_app.search import filter_documents


def document_get_public(document_id) -> Document:
    """A published document; drafts and withdrawn documents do not exist for the public (404)."""
    document = Document.objects.published().select_related("opd", "case").filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    return document


def documents_for(user) -> QuerySet:
    """Every document (any status) of the OPDs the officer works for; all of them for PPID Utama."""
    return managed_documents(user, Document.objects.select_related("opd", "case"))


def document_get_for(user, document_id) -> Document:
    """One document an officer may manage; another OPD's document is 404, never 403."""
    document = documents_for(user).filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document")
    return document


def document_get_visible(user, document_id) -> Document:
    """Published for everyone; drafts and withdrawn documents only for the officers who manage them."""
    document = Document.objects.select_related("opd", "case").filter(pk=document_id).first()
    if document is None or not can_see(user, document):
        raise Http404("No such document")
    return document


def dip_rows(*, opd: str = "", category: str = "") -> QuerySet:
    """The Daftar Informasi Publik: published documents grouped by OPD, then category, then title."""
    published = Document.objects.published().select_related("opd", "case")
    return filter_documents(published, opd=opd, category=category).order_by("opd__name", "category", "title", "id")


def document_history(document: Document) -> list[DocumentEvent]:
    """The document's events, each with `shown_note`: a scan told again in the reader's language from what the
    event keeps (its findings by kind and field, its state), any other event's note as it was written."""
    from documents_app.services.scanning import scan_summary

    events = list(document.events.select_related("actor"))
    for event in events:
        event.shown_note = event.note
        data = event.data or {}
        if event.kind != DocumentEvent.Kind.SCANNED or "state" not in data:
            continue
        if data["state"] == ScanState.ERROR and "error" not in data:
            continue  # an older failed scan kept its reason only in the note
        event.shown_note = scan_summary(data.get("findings", data.get("counts", {})), data["state"],
                                        data.get("error", ""))
    return events
