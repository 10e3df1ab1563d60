"""Page forms. The rules are the same functions the API uses (requests_app.validation)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opd_app.models import OPD
from ppid_portal.limits import EMAIL_MAX_LENGTH, TEXT_MAX_LENGTH, USERNAME_MAX_LENGTH
from requests_app.models import Case
from requests_app.models.case import CopyFormat, Decision, DeliveryMethod, Exemption, ObtainMethod, RequesterType
from requests_app.models.delivery import HANDOVER_NOTE_MAX_LENGTH, RECIPIENT_NAME_MAX_LENGTH, HandoverMethod
from requests_app.services.actions import ACTION_LABELS, action_errors
from requests_app.services.deliveries import handover_errors
from requests_app.validation import REQUIRED_TEXTS, request_errors, validate_identity_document


class RequestForm(forms.Form):
    opd = forms.ModelChoiceField(OPD.objects.all(), label=_("OPD tujuan"), to_field_name="code",
                                 empty_label=_("— pilih OPD —"))
    requester_type = forms.ChoiceField(label=_("Jenis pemohon"), choices=RequesterType.choices,
                                       initial=RequesterType.INDIVIDUAL)
    # Each required text says its own name when empty (the same words as the API's, validation.REQUIRED_TEXTS).
    name = forms.CharField(label=_("Nama lengkap"), max_length=200,
                           error_messages={"required": REQUIRED_TEXTS["name"]})
    identity_number = forms.CharField(label=_("NIK / nomor identitas"), max_length=32,
                                      help_text=_("NIK 16 angka sesuai KTP; badan hukum: nomor pengesahan."),
                                      widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    identity_document = forms.FileField(label=_("Unggah KTP / identitas"),
                                        help_text=_("PDF, JPG atau PNG, maksimal 5 MB."),
                                        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
    address = forms.CharField(label=_("Alamat"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": REQUIRED_TEXTS["address"]})
    phone = forms.CharField(label=_("Nomor telepon / HP"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=EMAIL_MAX_LENGTH,
                             help_text=_("E-mail wajib diisi bila dikirim lewat e-mail."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    occupation = forms.CharField(label=_("Pekerjaan (opsional)"), max_length=120, required=False)
    information_requested = forms.CharField(label=_("Rincian informasi yang dibutuhkan"), max_length=TEXT_MAX_LENGTH,
                                            widget=forms.Textarea(attrs={"rows": 4}),
                                            error_messages={"required": REQUIRED_TEXTS["information_requested"]})
    purpose = forms.CharField(label=_("Tujuan penggunaan informasi"), max_length=TEXT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": REQUIRED_TEXTS["purpose"]})
    obtain_method = forms.ChoiceField(label=_("Cara memperoleh informasi"), choices=ObtainMethod.choices,
                                      widget=forms.RadioSelect, initial=ObtainMethod.COPY)
    # The defaults are valid together: a softcopy picked up in person needs neither an e-mail address nor a postal
    # one. A request to view the information ignores the copy format (validation.request_errors drops it), so
    # without JavaScript both fields stay on the page with a label that says they are for a copy only.
    copy_format = forms.ChoiceField(label=_("Format salinan (bila meminta salinan)"), required=False,
                                    choices=CopyFormat.choices, initial=CopyFormat.SOFTCOPY)
    delivery_method = forms.ChoiceField(label=_("Cara menerima salinan"), choices=DeliveryMethod.choices,
                                        initial=DeliveryMethod.PICKUP)
    publish_consent = forms.BooleanField(label=_("Saya setuju permohonan ini dipublikasikan tanpa identitas saya"),
                                         required=False)

    def clean_identity_document(self):
        upload = self.cleaned_data.get("identity_document")
        validate_identity_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        for field, messages in request_errors(data).items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return data


class TrackForm(forms.Form):
    registration_number = forms.CharField(label=_("Nomor registrasi"), max_length=40,
                                          widget=forms.TextInput(attrs={"placeholder": "DINKES-2026-00001"}))
    tracking_code = forms.CharField(label=_("Kode pelacakan"), max_length=20,
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}))


class ForgotCodeForm(forms.Form):
    """"Lupa kode?": the registration number and the contact written on the request (services.tracking_codes)."""

    registration_number = forms.CharField(label=_("Nomor registrasi"), max_length=40,
                                          widget=forms.TextInput(attrs={"placeholder": "DINKES-2026-00001"}))
    contact = forms.CharField(label=_("E-mail atau nomor telepon"), max_length=EMAIL_MAX_LENGTH,
                              help_text=_("Yang Anda isi di formulir permohonan."),
                              widget=forms.TextInput(attrs={"autocomplete": "email"}))


class ActionForm(forms.Form):
    """One action on the case page. Its rules are the services' (services.actions.action_errors, which holds the
    decision rules the answer service enforces too), shown here all at once beside their fields."""

    action = forms.ChoiceField(label=_("Tindakan"), choices=[
        (a, ACTION_LABELS[a]) for a in ("assign", "acknowledge", "extend", "answer", "forward", "close")])
    # The same caps as the API's ActionSerializer: the column's for CharFields, the text cap otherwise.
    officer = forms.CharField(label=_("Petugas"), required=False, max_length=USERNAME_MAX_LENGTH)
    reason = forms.CharField(label=_("Alasan perpanjangan"), required=False, max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label=_("Keputusan"), required=False,
                                 choices=[("", _("— pilih keputusan —")), *Decision.choices])
    exemption = forms.ChoiceField(label=_("Pengecualian Pasal 17"), required=False,
                                  choices=[("", _("— pilih huruf pengecualian —")), *Exemption.choices])
    consequence_test = forms.CharField(label=_("Uji konsekuensi"), required=False, max_length=TEXT_MAX_LENGTH,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    holder = forms.CharField(label=_("Badan publik yang menguasai informasi"), required=False,
                             max_length=Case._meta.get_field("holder").max_length)
    to_opd = forms.CharField(label=_("OPD tujuan"), required=False, max_length=OPD._meta.get_field("code").max_length)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))
    cost_note = forms.CharField(label=_("Biaya"), required=False,
                                max_length=Case._meta.get_field("cost_note").max_length,
                                widget=forms.TextInput(attrs={"placeholder": _("Gratis (salinan elektronik)")}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action and self.case is not None:
            for field, messages in action_errors(self.case, action, data).items():
                if field == "__all__":
                    self.add_error(None, messages)
                elif field not in self.errors:
                    self.add_error(field, messages)
        return data


class HandoverForm(forms.Form):
    """Recording that a letter was handed over to the requester: when, how, to whom. The rules are the service's
    (services.deliveries.handover_errors), asked here so each error stands beside its field."""

    delivered_at = forms.DateTimeField(
        label=_("Waktu penyerahan (WITA)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    method = forms.ChoiceField(label=_("Cara penyerahan"), choices=HandoverMethod.choices, widget=forms.RadioSelect)
    recipient_name = forms.CharField(label=_("Diterima oleh (nama)"), max_length=RECIPIENT_NAME_MAX_LENGTH,
                                     help_text=_("Pemohon sendiri, kuasanya, atau petugas pos/kurir."))
    note = forms.CharField(label=_("Catatan"), max_length=HANDOVER_NOTE_MAX_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Mis. nomor resi pos atau kurir."))

    def __init__(self, *args, delivery=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivery = delivery

    def clean(self):
        data = super().clean()
        if self.delivery is None:
            return data
        errors = handover_errors(self.delivery, delivered_at=data.get("delivered_at"), method=data.get("method", ""),
                                 recipient_name=data.get("recipient_name", ""), note=data.get("note", ""))
        for field, messages in errors.items():
            if field not in self.errors:  # a field the form refused already says why
                for message in messages:
                    self.add_error(field, message)
        return data
