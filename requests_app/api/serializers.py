"""Serializers of the REST contract. Field names are binding."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opd_app.models import OPD
from ppid_portal.clock import now, today_wita
from ppid_portal.limits import EMAIL_MAX_LENGTH, TEXT_MAX_LENGTH, USERNAME_MAX_LENGTH
from requests_app import rules
from requests_app.models import Case, CaseEvent, EventKind
from requests_app.models.case import (
    DESK_CHANNELS,
    CopyFormat,
    DeliveryMethod,
    IntakeChannel,
    ObtainMethod,
    RequesterType,
)
from requests_app.models.dik import DIK_CONSEQUENCE_MAX_LENGTH, DIK_INFORMATION_MAX_LENGTH, DIK_LEGAL_BASIS_MAX_LENGTH
from requests_app.services.messages import MESSAGE_MAX_LENGTH
from requests_app.validation import (
    ON_BEHALF_OF_MAX_LENGTH,
    RECEIVED_NOTE_MAX_LENGTH,
    received_errors,
    request_errors,
    validate_authority_document,
    validate_identity_document,
)


def _content_checked(check, value):
    """`value` (an upload) when `check` (a validation.validate_* function) accepts its content; a field error
    otherwise. None passes: an optional file left out."""
    if value is None:
        return value
    try:
        check(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc
    return value


class RequestCreateSerializer(serializers.Serializer):
    opd = serializers.SlugRelatedField(slug_field="code", queryset=OPD.objects.all())
    name = serializers.CharField(max_length=200)
    identity_number = serializers.CharField(max_length=32)
    identity_document = serializers.FileField()
    address = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH, required=False, allow_blank=True, default="")
    occupation = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    requester_type = serializers.ChoiceField(choices=RequesterType.choices)
    information_requested = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    purpose = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    obtain_method = serializers.ChoiceField(choices=ObtainMethod.choices)
    copy_format = serializers.ChoiceField(choices=CopyFormat.choices, required=False, allow_blank=True, default="")
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    publish_consent = serializers.BooleanField(required=False, default=False)
    on_behalf_of = serializers.CharField(max_length=ON_BEHALF_OF_MAX_LENGTH, required=False, allow_blank=True,
                                         default="", help_text="who the request is filed for, when not the requester")
    authority_document = serializers.FileField(
        required=False, allow_null=True, default=None,
        help_text="PDF/JPEG/PNG: a legal entity's deed or registration, a group's papers, or the surat kuasa when "
                  "on_behalf_of is set; required then")

    def validate_identity_document(self, value):
        return _content_checked(validate_identity_document, value)

    def validate_authority_document(self, value):
        return _content_checked(validate_authority_document, value)

    def validate(self, attrs):
        errors = request_errors(attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class OffsetDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment that says its offset (a moment without one could be read in any time zone)."""

    default_error_messages = {"offset": _("Sertakan zona waktu (misalnya +08:00 untuk WITA).")}

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("offset")
        return super().enforce_timezone(value)


class DeskRequestSerializer(RequestCreateSerializer):
    """A request received at the desk, by letter, phone, e-mail or fax, recorded by an officer: the public
    request's fields, the identity scan optional (the case then shows it is still owed), and how and when it came
    in. The receipt rules are validation.received_errors, the desk page's too."""

    identity_document = serializers.FileField(required=False, allow_null=True, default=None,
                                              help_text="optional at the desk: the case then shows it is owed")
    channel = serializers.ChoiceField(choices=DESK_CHANNELS, required=False, default=IntakeChannel.DESK)
    received_at = OffsetDateTimeField(
        required=False, allow_null=True, default=None,
        help_text="when the request was received (ISO 8601 with offset); default now. Never in the future, at most "
                  "30 days back, and earlier than now only with received_note")
    received_note = serializers.CharField(max_length=RECEIVED_NOTE_MAX_LENGTH, required=False, allow_blank=True,
                                          default="", help_text="why the request is recorded after it was received")

    def validate(self, attrs):
        errors = request_errors(attrs)
        errors.update(received_errors(attrs.get("received_at"), attrs.get("received_note", ""), now()))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class RequestCreatedSerializer(serializers.Serializer):
    registration_number = serializers.CharField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    opd = serializers.CharField()


class DeskRequestCreatedSerializer(RequestCreatedSerializer):
    channel = serializers.CharField()


class TimelineSerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="to_status")
    author = serializers.SerializerMethodField(help_text="who wrote a `message`: requester or officer; null otherwise")

    class Meta:
        model = CaseEvent
        fields = ["at", "status", "note", "kind", "author"]

    def get_author(self, event) -> str | None:
        data = event.data if isinstance(event.data, dict) else {}
        return data.get("author") if event.kind == EventKind.MESSAGE else None


class TrackSerializer(serializers.ModelSerializer):
    opd = serializers.CharField(source="opd.code")
    overdue = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    decision = serializers.CharField()

    class Meta:
        model = Case
        fields = ["registration_number", "status", "decision", "due_date", "extended_due_date", "overdue", "opd",
                  "timeline"]

    def get_overdue(self, case) -> bool:
        return case.is_overdue()

    @extend_schema_field(TimelineSerializer(many=True))
    def get_timeline(self, case) -> list[dict]:
        return TimelineSerializer(case.events.filter(public=True), many=True).data


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    note = serializers.CharField(source="note_display", read_only=True,
                                 help_text="in the request's language where the portal wrote the note")

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "kind", "from_status", "to_status", "note", "public"]

    def get_actor(self, event) -> str | None:
        return event.actor.username if event.actor_id else None


class RequesterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["name", "identity_number", "address", "phone", "email", "occupation", "requester_type",
                  "information_requested", "purpose", "obtain_method", "copy_format", "delivery_method",
                  "publish_consent", "on_behalf_of"]


class CaseListSerializer(serializers.ModelSerializer):
    opd = serializers.CharField(source="opd.code")
    assigned_to = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["registration_number", "status", "decision", "opd", "assigned_to", "received_at", "due_date",
                  "extended_due_date", "overdue"]

    def get_assigned_to(self, case) -> str | None:
        return case.assigned_to.username if case.assigned_to_id else None

    def get_overdue(self, case) -> bool:
        return case.is_overdue(self.context.get("today"))

    def to_representation(self, case):
        """A queue row from Case.objects.values(*CASE_LIST_VALUES), built directly: the same output as the
        declared fields give for a case (a test compares them), without DRF's per-field machinery or model
        instances, which cost more than the queue's SQL (measured in bench/). Cases (and subclasses) take DRF's path."""
        if type(self) is not CaseListSerializer or not isinstance(case, dict):
            return super().to_representation(case)
        today = self.context.get("today") or today_wita()
        return {
            "registration_number": case["registration_number"],
            "status": case["status"],
            "decision": case["decision"],
            "opd": case["opd__code"],
            "assigned_to": case["assigned_to__username"],
            "received_at": _iso_local(case["received_at"]),
            "due_date": case["due_date"].isoformat(),
            "extended_due_date": case["extended_due_date"].isoformat() if case["extended_due_date"] else None,
            "overdue": rules.is_overdue(case["status"], case["effective_due_date"], today),
        }


def _iso_local(value) -> str:
    """What DateTimeField.to_representation gives for an aware datetime (the current time zone, ISO 8601, "Z" for
    UTC), without its per-call settings lookups: the queue formats 50 of these per request."""
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# What the queue API reads per row (the dicts CaseListSerializer shapes directly).
CASE_LIST_VALUES = ("registration_number", "status", "decision", "opd__code", "assigned_to__username", "received_at",
                    "due_date", "extended_due_date", "effective_due_date")


class IssuedLetterSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="receipt | notice | extension | objection_receipt | objection_answer | "
                                           "delivery_receipt")
    issued_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField(help_text="downloads the PDF exactly as issued")

    def get_url(self, letter) -> str:
        from ppid_portal.links import absolute_url

        return absolute_url("api-case-letter", letter.case.registration_number, letter.token)


class CaseDetailSerializer(CaseListSerializer):
    requester = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    letters = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "exemption", "consequence_test", "dik_entry", "withheld", "holder",
                  "extension_reason",
                  "answered_at", "channel", "received_note", "identity_owed", "requester", "events", "letters"]

    def get_requester(self, case) -> dict:
        return RequesterSerializer(case).data

    @extend_schema_field(IssuedLetterSerializer(many=True))
    def get_letters(self, case) -> list[dict]:
        from requests_app.services.issued_letters import kept_letters_for_case

        return IssuedLetterSerializer(kept_letters_for_case(case).select_related("case"), many=True).data


def _column(name: str) -> int:
    return Case._meta.get_field(name).max_length


class ActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["assign", "acknowledge", "extend", "answer", "forward", "close",
                                              "message"])
    # Each cap is its column's (CharFields) or the text cap: a longer value is a 400 here, not a 500 at the INSERT.
    officer = serializers.CharField(max_length=USERNAME_MAX_LENGTH, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="")
    decision = serializers.CharField(max_length=_column("decision"), required=False, allow_blank=True, default="")
    dik = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        help_text="`rejected_exempt` and `partially_granted`: the id of the OPD's DIK entry (GET /api/v1/dik/) valid "
                  "today; or leave it out and give a new entry's fields (dik_information, exemption, dik_legal_basis, "
                  "consequence_test, dik_valid_until: the OPD's Atasan PPID or PPID Utama only)")
    withheld = serializers.CharField(max_length=_column("withheld"), required=False, allow_blank=True, default="",
                                     help_text="`partially_granted`: what was withheld (required)")
    exemption = serializers.CharField(max_length=_column("exemption"), required=False, allow_blank=True, default="",
                                      help_text="a new DIK entry's Pasal 17 letter (a–j)")
    consequence_test = serializers.CharField(max_length=DIK_CONSEQUENCE_MAX_LENGTH, required=False,
                                             allow_blank=True, default="",
                                             help_text="a new DIK entry's consequence test (uji konsekuensi)")
    dik_information = serializers.CharField(max_length=DIK_INFORMATION_MAX_LENGTH, required=False, allow_blank=True,
                                            default="", help_text="a new DIK entry: the information exempted")
    dik_legal_basis = serializers.CharField(max_length=DIK_LEGAL_BASIS_MAX_LENGTH, required=False, allow_blank=True,
                                            default="", help_text="a new DIK entry: the other law and its article")
    dik_valid_until = serializers.DateField(required=False, allow_null=True, default=None,
                                            help_text="a new DIK entry: the last day it is valid (after today)")
    holder = serializers.CharField(max_length=_column("holder"), required=False, allow_blank=True, default="")
    to_opd = serializers.CharField(max_length=OPD._meta.get_field("code").max_length, required=False,
                                   allow_blank=True, default="")
    note = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default="",
                                 help_text="a note on the action; with `message`, the message to the requester "
                                           f"(required, at most {MESSAGE_MAX_LENGTH} characters)")
    cost_note = serializers.CharField(max_length=_column("cost_note"), required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)
