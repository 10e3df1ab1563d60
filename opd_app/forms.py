"""Forms of the officer-account pages. Caps are the User columns' own (a longer value is a message, not a 500)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from ppid_portal.limits import EMAIL_MAX_LENGTH, SEARCH_QUERY_MAX_LENGTH, USERNAME_MAX_LENGTH

from .models import OPD, Role

# The whole name goes to first_name and last_name split at the first space: each part then fits its column.
FULL_NAME_MAX_LENGTH = get_user_model()._meta.get_field("first_name").max_length


class OfficerSearchForm(forms.Form):
    q = forms.CharField(label=_("Cari nama, nama pengguna, atau e-mail"), max_length=SEARCH_QUERY_MAX_LENGTH,
                        required=False)


class _OpdRoleFields(forms.Form):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=OPD.objects.all(), to_field_name="code",
                                 empty_label=_("— pilih OPD —"))
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices,
                             help_text=_("Admin PPID Utama hanya di OPD PPID Utama; perannya menjangkau semua OPD."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].label_from_instance = lambda opd: f"{opd.name} ({opd.code})"


class OfficerCreateForm(_OpdRoleFields):
    username = forms.CharField(label=_("Nama pengguna"), max_length=USERNAME_MAX_LENGTH,
                               validators=[UnicodeUsernameValidator()],
                               help_text=_("Dipakai untuk masuk. Hanya huruf, angka, dan tanda @ . + - _"))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=FULL_NAME_MAX_LENGTH)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH,
                             help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini; Anda tidak "
                                         "mengetahui kata sandinya."))

    field_order = ["username", "full_name", "email", "opd", "role"]


class RoleAddForm(_OpdRoleFields):
    pass
