from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OPD, Membership


@admin.register(OPD)
class OPDAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "is_ppid_utama")
    search_fields = ("code", "name")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "is_ppid_utama", "address", "phone", "email", "website",
                           "head_title", "ppid_title")}),
        # Printed under the PPID's letters: place and date, the title, the name and, when set, the NIP.
        (_("Penanda tangan surat"), {"fields": ("signatory_title", "signatory_name", "signatory_nip")}),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "opd", "role")
    list_filter = ("role", "opd")
