"""Celery tasks: thin, idempotent, fetch by id and call one service."""

from celery import shared_task

from documents_app.services import document_process


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5,
             acks_late=True)
def document_process_task(self, document_id: int) -> str:
    from documents_app.models import Document

    if not Document.objects.filter(pk=document_id).exists():
        return "gone"
    return document_process(document_id=document_id).scan_state
