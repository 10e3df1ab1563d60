from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Case,
    CaseEvent,
    DikEntry,
    DikRevision,
    Holiday,
    IssuedLetter,
    LetterClassification,
    LetterDelivery,
    Notification,
    NotificationStatus,
    Objection,
)
from .services.holidays import holiday_delete
from .services.notify import notifications_send_again


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind")
    list_filter = ("kind",)

    # A deletion here goes through the calendar's service, as on the holiday page: the due dates it touches move,
    # and seed_holidays does not bring the day back.
    def delete_model(self, request, obj):
        holiday_delete(holiday=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for holiday in queryset:
            holiday_delete(holiday=holiday, actor=request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through the services (events, clocks, letters, the outbox's own schedule): the admin
    reads them and never adds or edits one, so no change escapes its event or its rule."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("registration_number", "opd", "status", "effective_due_date")
    list_filter = ("status", "opd")
    search_fields = ("registration_number",)
    readonly_fields = [f.name for f in Case._meta.fields]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "at", "actor")
    list_filter = ("kind",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox, read-only; failed rows can be sent again (after the address or the mail set-up was fixed)."""

    list_display = ("kind", "channel", "recipient_email", "recipient_phone", "status", "attempts", "next_attempt_at",
                    "created_at", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient_email", "recipient_phone", "dedupe_key")
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["send_again"]

    def has_send_again_permission(self, request):
        # The rows themselves are never edited here; sending again is the one change an admin may make.
        return request.user.has_perm("requests_app.change_notification")

    @admin.action(description=_("Kirim ulang notifikasi yang gagal"), permissions=["send_again"])
    def send_again(self, request, queryset):
        failed = queryset.filter(status=NotificationStatus.FAILED)
        count = notifications_send_again(failed.values_list("pk", flat=True))
        skipped = queryset.count() - count
        self.message_user(request, ngettext("%(n)d notifikasi dijadwalkan untuk dikirim ulang.",
                                            "%(n)d notifikasi dijadwalkan untuk dikirim ulang.", count) % {"n": count},
                          messages.SUCCESS)
        if skipped:
            self.message_user(request, _("%(n)d notifikasi dilewati: hanya yang gagal yang dapat dikirim ulang.")
                              % {"n": skipped}, messages.WARNING)


@admin.register(LetterDelivery)
class LetterDeliveryAdmin(ReadOnlyAdmin):
    """Letters to hand over; their handover is recorded on the officers' page (it writes the receipt and the event)."""

    list_display = ("case", "letter", "opd", "issued_at", "due_on", "delivered_at", "method")
    list_filter = ("letter", "opd")
    search_fields = ("case__registration_number",)
    readonly_fields = [f.name for f in LetterDelivery._meta.fields]


@admin.register(LetterClassification)
class LetterClassificationAdmin(admin.ModelAdmin):
    """The archive classification code and retention of each kind of letter, printed into every letter's metadata:
    the seeded codes are placeholders until the regency sets those of its Klasifikasi Arsip."""

    list_display = ("kind", "code", "retention", "description")
    readonly_fields = ("kind",)

    def has_add_permission(self, request):
        return False  # one row per kind of letter, made by the migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuedLetter)
class IssuedLetterAdmin(ReadOnlyAdmin):
    """Every letter as issued: its verification token, the SHA-256 of the PDF, and the kept file."""

    list_display = ("reference", "kind", "opd", "issued_at", "sha256")
    list_filter = ("kind", "opd")
    search_fields = ("reference",)
    readonly_fields = [f.name for f in IssuedLetter._meta.fields]


@admin.register(DikEntry)
class DikEntryAdmin(ReadOnlyAdmin):
    """The DIK is decided and revised on the officers' pages (each revision keeps the values it replaced); here it is
    only read, and never deleted: refusals rest on its entries and its history is the record."""

    list_display = ("id", "opd", "exemption", "information", "decided_on", "valid_until", "revision")
    list_filter = ("opd", "exemption")
    search_fields = ("information", "legal_basis")
    readonly_fields = [f.name for f in DikEntry._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DikRevision)
class DikRevisionAdmin(DikEntryAdmin):
    list_display = ("entry", "number", "revised_by", "revised_at")
    list_filter = ()
    search_fields = ("information",)
    readonly_fields = [f.name for f in DikRevision._meta.fields]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("objection_number", "case", "opd", "status", "due_date")
    list_filter = ("status", "opd")
    search_fields = ("objection_number",)
    readonly_fields = [f.name for f in Objection._meta.fields]

    # Filing and reporting a dispute are the requester's acts, answering is the Atasan PPID's: an admin account
    # neither files nor edits one here.
