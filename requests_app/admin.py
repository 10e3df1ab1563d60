from django.contrib import admin

from .models import Case, CaseEvent, Holiday, Notification, Objection


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("registration_number", "opd", "status", "effective_due_date")
    list_filter = ("status", "opd")
    search_fields = ("registration_number",)
    readonly_fields = [f.name for f in Case._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Changes go through the services (events, clocks); the admin only reads.
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "at", "actor")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Notification)


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("objection_number", "case", "opd", "status", "due_date")
    list_filter = ("status", "opd")
    search_fields = ("objection_number",)
    readonly_fields = [f.name for f in Objection._meta.fields]

    def has_add_permission(self, request):
        # Filing and reporting a dispute are the requester's acts, answering is the Atasan PPID's: all go through
        # the services (events, clocks, letters); an admin account neither files nor edits one here.
        return False

    def has_change_permission(self, request, obj=None):
        return False
