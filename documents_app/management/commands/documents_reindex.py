"""Rebuild the full-text index of every document (after changing the search configuration), or re-run the
extraction and personal-data scan with --rescan (e.g. for drafts left pending while the broker was down)."""

from django.core.management.base import BaseCommand

from documents_app.models import Document, ScanState
from documents_app.services.records import document_index
from documents_app.services.scanning import document_process


class Command(BaseCommand):
    help = "Rebuild the documents' search index; --rescan re-reads pending documents' text first."

    def add_arguments(self, parser):
        parser.add_argument("--rescan", action="store_true", help="re-extract and re-scan documents still pending")

    def handle(self, *args, rescan=False, **options):
        scanned = 0
        if rescan:
            for pk in Document.objects.filter(scan_state=ScanState.PENDING).values_list("pk", flat=True):
                document_process(document_id=pk)
                scanned += 1
        indexed = 0
        for document in Document.objects.only("pk", "status", "title", "summary", "extracted_text").iterator():
            document_index(document=document)
            indexed += 1
        self.stdout.write(f"rescanned {scanned}, indexed {indexed}")
