"""What the document services write besides the document itself: its history (the document's events and,
for a document linked to a case, the case's), its search index, and the row lock a change takes."""

from documents_app.models import Document, DocumentEvent, DocumentStatus
from documents_app.permissions import require_manage
from documents_app.search import full_text_available, search_vector
from ppid_portal.clock import now


def record_event(document: Document, kind: str, actor=None, note: str = "", data: dict | None = None) -> DocumentEvent:
    return DocumentEvent.objects.create(document=document, kind=kind, note=note, data=data or {}, at=now(),
                                        actor=actor if (actor and actor.is_authenticated) else None)


def record_case_event(document: Document, kind: str, actor, note: str, public: bool, data: dict) -> None:
    if not document.case_id:
        return
    from requests_app.services.events import event_record

    case = document.case
    event_record(case=case, kind=kind, actor=actor, from_status=case.status, note=note, public=public,
                 data={"document": document.pk, **data})


def lock_document(document: Document, actor) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    require_manage(actor, locked.opd_id)
    return locked


def document_index(*, document: Document) -> None:
    """Write the search vector: title (A), summary (B), extracted text (C), for published documents only; a
    draft or withdrawn document has none, so unreviewed text (possibly personal data) never sits in the index.
    PostgreSQL only; SQLite searches with icontains and needs no index."""
    if not full_text_available():
        return
    if document.status != DocumentStatus.PUBLISHED:
        Document.objects.filter(pk=document.pk).update(search_vector=None)
        return
    Document.objects.filter(pk=document.pk).update(search_vector=search_vector(document))
