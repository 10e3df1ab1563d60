"""Read-mostly admin: writes go through the services (publish/unpublish need their checks and events)."""

from django.contrib import admin

from documents_app.models import Document, DocumentEvent


class DocumentEventInline(admin.TabularInline):
    model = DocumentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "actor", "note", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "opd", "category", "status", "published_at", "scan_state"]
    list_filter = ["status", "category", "opd", "scan_state"]
    search_fields = ["title", "summary"]
    readonly_fields = [f.name for f in Document._meta.fields]
    inlines = [DocumentEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
