"""Shapes of the documents API. Never a requester's identity: a case shows as its number only."""

from django.urls import reverse
from rest_framework import serializers

from documents_app.models import Category, Document, InfoForm
from ppid_portal.limits import TEXT_MAX_LENGTH


class FindingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["nik", "phone", "email"])
    excerpt = serializers.CharField()
    field = serializers.ChoiceField(choices=["title", "summary", "original_filename", "text"], required=False,
                                    help_text="where it was found: the title, the summary, the file name or the "
                                              "file's text")


class DocumentListSerializer(serializers.ModelSerializer):
    opd = serializers.CharField(source="opd.code")
    opd_name = serializers.CharField(source="opd.name")
    registration_number = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "summary", "opd", "opd_name", "category", "published_at", "original_filename",
                  "content_type", "size", "registration_number", "url", "download_url", "headline"]

    def _abs(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, obj) -> str:
        return self._abs(reverse("api-document-detail", args=[obj.pk]))

    def get_download_url(self, obj) -> str:
        return self._abs(reverse("document-download", args=[obj.pk]))

    def get_headline(self, obj) -> str:
        return getattr(obj, "headline", "") or ""


def search_rows_data(rows: list[dict], request) -> list[dict]:
    """DocumentListSerializer's output for the rows of search.document_search_page, built directly: the same
    keys and formats (URLs absolute, times in ISO 8601 in the current time zone) without a serializer field
    per value. The URL patterns are reversed once per page, not twice per row."""
    field = serializers.DateTimeField()
    detail = request.build_absolute_uri(reverse("api-document-detail", args=[0])).rsplit("/0/", 1)
    download = request.build_absolute_uri(reverse("document-download", args=[0])).rsplit("/0/", 1)
    return [{
        "id": row["id"], "title": row["title"], "summary": row["summary"], "opd": row["opd"],
        "opd_name": row["opd_name"], "category": row["category"],
        "published_at": field.to_representation(row["published_at"]) if row["published_at"] else None,
        "original_filename": row["original_filename"], "content_type": row["content_type"], "size": row["size"],
        "registration_number": row["registration_number"] or "",
        "url": f"{detail[0]}/{row['id']}/{detail[1]}", "download_url": f"{download[0]}/{row['id']}/{download[1]}",
        "headline": row["headline"] or "",
    } for row in rows]


# The review fields: only for the officers who manage the document (see DocumentDetailSerializer.to_representation).
REVIEW_FIELDS = ("personal_data_check", "scan_error", "personal_data_findings", "personal_data_confirmed",
                 "publish_override_reason", "text_source", "scan_status", "ocr_state", "ocr_error", "ocr_confidence")


class DocumentDetailSerializer(DocumentListSerializer):
    personal_data_check = serializers.CharField(
        source="scan_state", required=False,
        help_text="officers only: pending | done | failed (no readable text, confirm by hand) | error (the file "
                  "could not be read safely; publishing is refused until it is replaced)")
    scan_error = serializers.CharField(required=False, help_text="officers only: why the check failed")
    personal_data_findings = FindingSerializer(many=True, required=False, help_text="officers only")
    personal_data_confirmed = serializers.BooleanField(required=False, help_text="officers only")
    publish_override_reason = serializers.CharField(
        required=False, help_text="officers only: why it was published despite personal-data findings")

    text_source = serializers.ChoiceField(
        choices=["extracted", "ocr", "none"], required=False,
        help_text="officers only: where the searched and checked text came from: the file's own text, OCR of a "
                  "scan, or none")
    scan_status = serializers.ChoiceField(
        choices=["pending", "done", "failed"], read_only=True,
        help_text="officers only: pending while OCR or the personal-data scan runs, failed when either could not "
                  "finish (publishing answers 409 until a retry or a replacement), else done")
    ocr_state = serializers.ChoiceField(
        choices=["", "pending", "done", "failed"], required=False,
        help_text="officers only: OCR of a scan without a text layer; blank when none was needed")
    ocr_error = serializers.CharField(required=False, help_text="officers only: why OCR failed")
    ocr_confidence = serializers.FloatField(
        required=False, allow_null=True, help_text="officers only: Tesseract's mean word confidence, 0-100")

    class Meta(DocumentListSerializer.Meta):
        fields = [f for f in DocumentListSerializer.Meta.fields if f != "headline"] + [
            "status", "responsible_official", "made_on", "made_place", "info_form", "retention", "sha256",
            *REVIEW_FIELDS,
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("reviewer"):
            for key in REVIEW_FIELDS:
                data.pop(key, None)
        return data


class DocumentCreateSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH)
    category = serializers.ChoiceField(choices=Category.choices)
    opd = serializers.CharField(max_length=16, help_text="OPD code")
    registration_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    responsible_official = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    made_on = serializers.DateField(required=False, allow_null=True, default=None)
    made_place = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    info_form = serializers.ChoiceField(choices=InfoForm.choices, required=False, default=InfoForm.SOFTCOPY)
    retention = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)


class DocumentCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    personal_data_findings = FindingSerializer(many=True)
    personal_data_check = serializers.CharField(
        help_text="pending | done | failed (no readable text) | error (the file could not be read safely)")
    scan_error = serializers.CharField(allow_blank=True, help_text="why the check failed, for the officer")
    sha256 = serializers.CharField()


class PublishSerializer(serializers.Serializer):
    confirm_personal_data = serializers.BooleanField(required=False, default=False)
    publish_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH,
        help_text="required with confirm_personal_data when the document has personal-data findings: why it is "
                  "published as it is (kept on the document and its history)")


class UnpublishSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
