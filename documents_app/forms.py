"""Page forms of the library. Rules live in documents_app.services and documents_app.permissions (the API uses
the same ones)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from documents_app.models import Category, InfoForm
from opd_app.models import OPD
from ppid_portal.limits import SEARCH_QUERY_MAX_LENGTH, TEXT_MAX_LENGTH


class DocumentMetaForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=300)
    summary = forms.CharField(label=_("Ringkasan isi informasi"), required=False, max_length=TEXT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices, widget=forms.RadioSelect)
    responsible_official = forms.CharField(label=_("Pejabat/unit yang menguasai informasi"), max_length=255,
                                           required=False)
    made_on = forms.DateField(label=_("Tanggal pembuatan"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    made_place = forms.CharField(label=_("Tempat pembuatan"), max_length=120, required=False, initial="Tenggarong")
    info_form = forms.ChoiceField(label=_("Bentuk informasi"), choices=InfoForm.choices, initial=InfoForm.SOFTCOPY)
    retention = forms.CharField(label=_("Jangka waktu penyimpanan (retensi)"), max_length=120, required=False,
                                help_text=_("Contoh: 5 tahun; permanen."))


class DocumentUploadForm(DocumentMetaForm):
    opd = forms.ModelChoiceField(OPD.objects.none(), label=_("OPD"), to_field_name="code", empty_label=None)
    file = forms.FileField(label=_("Berkas"),
                           help_text=_("PDF, gambar, dokumen Office/OpenDocument, atau teks; jenis diperiksa dari "
                                       "isinya."))
    registration_number = forms.CharField(label=_("Nomor registrasi permohonan (bila jawaban atas permohonan)"),
                                          max_length=40, required=False)
    field_order = ["file", "opd", "title", "summary", "category", "registration_number"]

    def __init__(self, *args, opds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds if opds is not None else OPD.objects.none()


class ReplaceForm(forms.Form):
    file = forms.FileField(label=_("Berkas pengganti yang sudah disamarkan"))


class PublishAnywayForm(forms.Form):
    """Publishing a document that still needs the officer's confirmation: the confirmation box, and over
    personal-data findings a written reason (kept on the document and its history)."""

    confirm_personal_data = forms.BooleanField(
        label=_("Saya sudah memeriksa temuan di atas; dokumen tidak memuat data pribadi yang dilindungi (atau data "
                "itu memang informasi publik)."),
        error_messages={"required": _("Centang pernyataan ini untuk mempublikasikan tanpa menyamarkan.")})
    publish_override_reason = forms.CharField(
        label=_("Alasan mempublikasikan meskipun ada temuan"), max_length=TEXT_MAX_LENGTH,
        error_messages={"required": _("Tulis alasan mempublikasikan dokumen ini meskipun ada temuan data pribadi "
                                      "(misalnya: data itu memang informasi publik).")},
        help_text=_("Wajib. Alasan ini tercatat pada dokumen dan riwayatnya."),
        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, needs_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_reason:
            # A file without readable text and without findings: the confirmation alone.
            del self.fields["publish_override_reason"]


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penarikan"), max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari dokumen"), required=False, max_length=SEARCH_QUERY_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search"}))
    opd = forms.ModelChoiceField(OPD.objects.all(), label=_("OPD"), to_field_name="code", required=False,
                                 empty_label=_("Semua OPD"))
    category = forms.ChoiceField(label=_("Kategori"), required=False,
                                 choices=[("", _("Semua kategori")), *Category.choices])
