from django.contrib import admin

from .models import OPD, Membership


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "is_ppid_utama")
    search_fields = ("code", "name")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "opd", "role")
    list_filter = ("role", "opd")
