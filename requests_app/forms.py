"""Page forms. The rules are the same functions the API uses (requests_app.validation)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opd_app.models import OPD
from ppid_portal.clock import WITA, now
from ppid_portal.limits import EMAIL_MAX_LENGTH, TEXT_MAX_LENGTH, USERNAME_MAX_LENGTH
from requests_app.models import Case
from requests_app.models.case import (
    DESK_CHANNELS,
    WITHHELD_MAX_LENGTH,
    CopyFormat,
    Decision,
    DeliveryMethod,
    Exemption,
    IntakeChannel,
    ObtainMethod,
    RequesterType,
)
from requests_app.models.delivery import HANDOVER_NOTE_MAX_LENGTH, RECIPIENT_NAME_MAX_LENGTH, HandoverMethod
from requests_app.models.dik import DIK_CONSEQUENCE_MAX_LENGTH, DIK_INFORMATION_MAX_LENGTH, DIK_LEGAL_BASIS_MAX_LENGTH
from requests_app.services.actions import ACTION_LABELS, action_errors
from requests_app.services.deliveries import handover_errors
from requests_app.services.messages import MESSAGE_MAX_LENGTH, message_errors
from requests_app.validation import (
    ON_BEHALF_OF_MAX_LENGTH,
    RECEIVED_NOTE_MAX_LENGTH,
    REQUIRED_TEXTS,
    received_errors,
    request_errors,
    validate_authority_document,
    validate_identity_document,
)


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
    on_behalf_of = forms.CharField(label=_("Atas nama (bila mengajukan untuk orang lain)"), required=False,
                                   max_length=ON_BEHALF_OF_MAX_LENGTH,
                                   help_text=_("Nama orang yang Anda wakili; lampirkan surat kuasa di bawah."))
    authority_document = forms.FileField(
        label=_("Akta atau pengesahan badan hukum/kelompok, atau surat kuasa"), required=False,
        help_text=_("Wajib bagi badan hukum dan kelompok orang, dan bila mengajukan atas nama orang lain. PDF, JPG "
                    "atau PNG, maksimal 5 MB."),
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

    def clean_authority_document(self):
        upload = self.cleaned_data.get("authority_document") or None
        if upload is not None:
            validate_authority_document(upload)
        return upload

    def _add_errors(self, errors: dict) -> None:
        for field, messages in errors.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)

    def clean(self):
        data = super().clean()
        self._add_errors(request_errors(data))
        return data


def _now_local() -> str:
    """Now in WITA, to the minute, as a datetime-local input shows it (the desk form's default receipt time)."""
    return now().astimezone(WITA).strftime("%Y-%m-%dT%H:%M")


class DeskRequestForm(RequestForm):
    """A request received at the desk, by letter, phone, e-mail or fax, recorded by an officer for the requester:
    the request form (the identity scan optional), the OPD among the officer's own, how and when it came in.
    The rules for when are validation.received_errors, the API's too."""

    channel = forms.ChoiceField(label=_("Diterima melalui"), choices=DESK_CHANNELS, initial=IntakeChannel.DESK)
    received_at = forms.DateTimeField(
        label=_("Waktu diterima (WITA)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M"],
        help_text=_("Batas waktu dihitung sejak saat ini. Paling lama 30 hari yang lalu; bila lebih awal dari "
                    "sekarang, isi keterangan di bawah."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    received_note = forms.CharField(
        label=_("Keterangan penerimaan"), required=False, max_length=RECEIVED_NOTE_MAX_LENGTH,
        help_text=_("Mengapa permohonan dicatat setelah diterima, misalnya: surat diterima kemarin sore."),
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, opds=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"channel": IntakeChannel.DESK, "received_at": _now_local(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)
        if opds is not None:
            self.fields["opd"].queryset = opds
        identity = self.fields["identity_document"]
        identity.required = False
        identity.help_text = _("Boleh menyusul: tanpa berkas ini kasus menandai dokumen identitas masih ditunggu. "
                               "PDF, JPG atau PNG, maksimal 5 MB.")

    def clean_identity_document(self):
        upload = self.cleaned_data.get("identity_document") or None
        if upload is not None:
            validate_identity_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        self._add_errors(received_errors(data.get("received_at"), data.get("received_note", ""), now()))
        return data


class IdentityDocumentForm(forms.Form):
    """The identity scan a request recorded at the desk still owes, handed over later."""

    identity_document = forms.FileField(label=_("Unggah KTP / identitas"),
                                        help_text=_("PDF, JPG atau PNG, maksimal 5 MB."),
                                        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def clean_identity_document(self):
        upload = self.cleaned_data.get("identity_document")
        validate_identity_document(upload)
        return upload


class TrackForm(forms.Form):
    registration_number = forms.CharField(label=_("Nomor registrasi"), max_length=40,
                                          widget=forms.TextInput(attrs={"placeholder": "DINKES-2026-00001"}))
    tracking_code = forms.CharField(label=_("Kode pelacakan"), max_length=20,
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}))


class MessageForm(forms.Form):
    """The requester's message on the tracking page. Its rules are the service's (services.messages.message_errors),
    as the API's are."""

    text = forms.CharField(label=_("Pesan"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted in the reader's language when the form is made (a lazy text formatted at import would not be).
        self.fields["text"].help_text = gettext(
            "Misalnya klarifikasi atau pertanyaan tentang permohonan ini, paling panjang %(max)d karakter."
        ) % {"max": MESSAGE_MAX_LENGTH}

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        errors = message_errors(text)
        if errors:
            raise forms.ValidationError(errors["text"])
        return text


class ForgotCodeForm(forms.Form):
    """"Lupa kode?": the registration number and the contact written on the request (services.tracking_codes)."""

    registration_number = forms.CharField(label=_("Nomor registrasi"), max_length=40,
                                          widget=forms.TextInput(attrs={"placeholder": "DINKES-2026-00001"}))
    contact = forms.CharField(label=_("E-mail atau nomor telepon"), max_length=EMAIL_MAX_LENGTH,
                              help_text=_("Yang Anda isi di formulir permohonan."),
                              widget=forms.TextInput(attrs={"autocomplete": "email"}))


class DikEntryChoiceField(forms.ChoiceField):
    """The DIK entry an answer rests on: the select offers the OPD's entries valid today, and any other id (expired,
    another OPD's, none such) is left to the answer's rule (services.dik.decision_dik_errors), which says why in
    its own words instead of "not one of the choices"."""

    def valid_value(self, value):
        return True


class ActionForm(forms.Form):
    """One action on the case page. Its rules are the services' (services.actions.action_errors, which holds the
    decision rules the answer service enforces too), shown here all at once beside their fields."""

    action = forms.ChoiceField(label=_("Tindakan"), choices=[
        (a, ACTION_LABELS[a]) for a in ("assign", "acknowledge", "extend", "answer", "forward", "close", "message")])
    # The same caps as the API's ActionSerializer: the column's for CharFields, the text cap otherwise.
    officer = forms.CharField(label=_("Petugas"), required=False, max_length=USERNAME_MAX_LENGTH)
    reason = forms.CharField(label=_("Alasan perpanjangan"), required=False, max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label=_("Keputusan"), required=False,
                                 choices=[("", _("— pilih keputusan —")), *Decision.choices])
    withheld = forms.CharField(label=_("Informasi yang tidak diberikan"), required=False,
                               max_length=WITHHELD_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
    # The DIK entry the refusal or partial grant rests on: one of the OPD's entries valid today (set per case).
    dik = DikEntryChoiceField(label=_("Entri DIK (Daftar Informasi yang Dikecualikan)"), required=False, choices=[])
    # Or a new entry recorded in the same step (the OPD's Atasan PPID and PPID Utama only).
    dik_information = forms.CharField(label=_("Informasi yang dikecualikan (entri DIK baru)"), required=False,
                                      max_length=DIK_INFORMATION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    exemption = forms.ChoiceField(label=_("Pengecualian Pasal 17"), required=False,
                                  choices=[("", _("— pilih huruf pengecualian —")), *Exemption.choices])
    dik_legal_basis = forms.CharField(label=_("Dasar hukum (undang-undang dan pasal)"), required=False,
                                      max_length=DIK_LEGAL_BASIS_MAX_LENGTH)
    consequence_test = forms.CharField(label=_("Uji konsekuensi"), required=False,
                                       max_length=min(TEXT_MAX_LENGTH, DIK_CONSEQUENCE_MAX_LENGTH),
                                       widget=forms.Textarea(attrs={"rows": 3}))
    dik_valid_until = forms.DateField(label=_("Berlaku sampai"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    holder = forms.CharField(label=_("Badan publik yang menguasai informasi"), required=False,
                             max_length=Case._meta.get_field("holder").max_length)
    to_opd = forms.CharField(label=_("OPD tujuan"), required=False, max_length=OPD._meta.get_field("code").max_length)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3}))
    cost_note = forms.CharField(label=_("Biaya"), required=False,
                                max_length=Case._meta.get_field("cost_note").max_length,
                                widget=forms.TextInput(attrs={"placeholder": _("Gratis (salinan elektronik)")}))

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        if case is not None:
            from requests_app.services.dik import dik_choices_for

            self.fields["dik"].choices = [("", gettext("— pilih entri DIK yang berlaku —"))] + [
                (str(e.pk), f"Pasal 17 huruf {e.exemption} — {e.information[:120]} "
                            f"({gettext('berlaku sampai')} {e.valid_until.isoformat()})")
                for e in dik_choices_for(case)]

    def clean_dik(self):
        return self.cleaned_data.get("dik") or ""

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action and self.case is not None:
            for field, messages in action_errors(self.case, action, data, actor=self.user).items():
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


class DikEntryForm(forms.Form):
    """An entry of an OPD's list of exempted information (DIK), new or revised. Its rules are the service's
    (services.dik.dik_entry_errors), asked here so each error stands beside its field. `opds` are those whose DIK
    the user decides (none: a revision, whose OPD does not change)."""

    opd = forms.ChoiceField(label=_("OPD"), choices=[])
    information = forms.CharField(label=_("Informasi yang dikecualikan"), max_length=DIK_INFORMATION_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    exemption = forms.ChoiceField(label=_("Pengecualian Pasal 17"),
                                  choices=[("", _("— pilih huruf pengecualian —")), *Exemption.choices])
    legal_basis = forms.CharField(label=_("Dasar hukum (undang-undang dan pasal)"),
                                  max_length=DIK_LEGAL_BASIS_MAX_LENGTH,
                                  help_text=_("Mis. UU No. 36 Tahun 2009 tentang Kesehatan, Pasal 57."))
    consequence = forms.CharField(label=_("Uji konsekuensi"), max_length=DIK_CONSEQUENCE_MAX_LENGTH,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Akibat yang timbul bila informasi dibuka, dan mengapa menutupnya "
                                              "melindungi kepentingan yang lebih besar daripada membukanya "
                                              "(UU 14/2008 Pasal 19)."))
    decided_on = forms.DateField(label=_("Ditetapkan pada"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                       format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("Berlaku sampai"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                      format="%Y-%m-%d"),
                                  help_text=_("Pengecualian tidak berlaku selamanya (Pasal 20)."))

    def __init__(self, *args, opds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if opds is None:
            del self.fields["opd"]
        else:
            self.fields["opd"].choices = [(o.code, f"{o.code} — {o.name}") for o in opds]

    def clean(self):
        from requests_app.services.dik import dik_entry_errors

        data = super().clean()
        errors = dik_entry_errors(**{f: data.get(f) for f in ("information", "exemption", "legal_basis",
                                                              "consequence", "decided_on", "valid_until")})
        for field, messages in errors.items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return data
