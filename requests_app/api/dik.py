"""The list of exempted information (DIK): GET /api/v1/dik/ (public, paged), POST /api/v1/dik/ (the OPD's Atasan
PPID or PPID Utama), GET/PATCH /api/v1/dik/<id>/ (the entry with its revision history; PATCH revises it)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from opd_app.api_permissions import IsOfficer
from opd_app.permissions import can_decide_dik
from ppid_portal.clock import today_wita
from requests_app.models import DikEntry, DikRevision, Exemption
from requests_app.models.dik import (
    DIK_CONSEQUENCE_MAX_LENGTH,
    DIK_INFORMATION_MAX_LENGTH,
    DIK_LEGAL_BASIS_MAX_LENGTH,
    DIK_REVISED_FIELDS,
)
from requests_app.permissions import dik_entry_for_staff_or_404, dik_opd_or_404
from requests_app.selectors.dik import DIK_VALIDITY, dik_public_list
from requests_app.services.dik import dik_create, dik_entry_errors, dik_revise


class DikEntrySerializer(serializers.ModelSerializer):
    opd = serializers.CharField(source="opd.code", read_only=True)
    opd_name = serializers.CharField(source="opd.name", read_only=True)
    exemption_label = serializers.CharField(source="get_exemption_display", read_only=True)
    expired = serializers.SerializerMethodField(help_text="valid_until has passed: it can no longer ground a refusal")

    class Meta:
        model = DikEntry
        fields = ["id", "opd", "opd_name", "information", "exemption", "exemption_label", "legal_basis",
                  "consequence", "decided_on", "valid_until", "expired", "revision"]

    def get_expired(self, obj) -> bool:
        return obj.valid_until < self.context.get("today", today_wita())


class DikRevisionSerializer(serializers.ModelSerializer):
    revised_by = serializers.SerializerMethodField()

    class Meta:
        model = DikRevision
        fields = ["number", *DIK_REVISED_FIELDS, "revised_by", "revised_at"]

    def get_revised_by(self, obj) -> str | None:
        return obj.revised_by.username if obj.revised_by_id else None


class DikEntryDetailSerializer(DikEntrySerializer):
    history = DikRevisionSerializer(source="revisions", many=True, read_only=True,
                                    help_text="the values before each revision, oldest first, with who and when")

    class Meta(DikEntrySerializer.Meta):
        fields = [*DikEntrySerializer.Meta.fields, "history"]


class DikEntryWriteSerializer(serializers.Serializer):
    """A new entry, or the fields a revision changes (PATCH: any of them)."""

    opd = serializers.CharField(max_length=16, help_text="the OPD's code (create only)")
    information = serializers.CharField(max_length=DIK_INFORMATION_MAX_LENGTH)
    exemption = serializers.ChoiceField(choices=Exemption.choices, help_text="UU 14/2008 Pasal 17 letter")
    legal_basis = serializers.CharField(max_length=DIK_LEGAL_BASIS_MAX_LENGTH,
                                        help_text="the other law and its article")
    consequence = serializers.CharField(max_length=DIK_CONSEQUENCE_MAX_LENGTH,
                                        help_text="the consequence test (uji konsekuensi, Pasal 19): the harm "
                                                  "disclosure would cause and why it outweighs the public interest")
    decided_on = serializers.DateField(required=False, help_text="default today; not in the future")
    valid_until = serializers.DateField(help_text="after decided_on (Pasal 20: not for ever)")


def _check(data: dict) -> None:
    errors = dik_entry_errors(**{f: data.get(f) for f in DIK_REVISED_FIELDS})
    if errors:
        raise ValidationError(errors)


class DikListView(generics.ListAPIView):
    """The DIK of every OPD (or one, `?opd=`), newest decisions first; paged."""

    serializer_class = DikEntrySerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsOfficer()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today_wita()}

    @extend_schema(parameters=[
        OpenApiParameter("opd", OpenApiTypes.STR, description="one OPD's code"),
        OpenApiParameter("validity", OpenApiTypes.STR, enum=list(DIK_VALIDITY),
                         description="valid (default: entries in force today), expired, or all (each with `expired`)"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        validity = p.get("validity") or "valid"
        if validity not in DIK_VALIDITY:
            raise ValidationError({"validity": ["valid, expired atau all."]})
        return dik_public_list(opd=(p.get("opd") or "")[:16], validity=validity, today=today_wita())

    @extend_schema(request=DikEntryWriteSerializer, responses={201: DikEntryDetailSerializer},
                   description="Add an entry to an OPD's DIK: its Atasan PPID or PPID Utama (403 for a PPID Pelaksana, "
                               "404 for an OPD the user does not work for).")
    def post(self, request):
        serializer = DikEntryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        opd = _opd_for_decider(request.user, data.pop("opd"))
        data.setdefault("decided_on", today_wita())
        _check(data)
        entry = dik_create(actor=request.user, opd=opd, **data)
        return Response(DikEntryDetailSerializer(entry, context={"today": today_wita()}).data,
                        status=status.HTTP_201_CREATED)


def _opd_for_decider(user, code: str):
    """The OPD of a new entry: one whose DIK the user decides. A PPID Pelaksana of it may see but not decide (403);
    an OPD the user does not work for is 404, as every object of another OPD."""
    from opd_app.models import OPD

    opd = OPD.objects.filter(code=(code or "").strip().upper()).first()
    if opd is not None and not can_decide_dik(user, opd.pk):
        from requests_app.permissions import intake_opds_for

        if intake_opds_for(user).filter(pk=opd.pk).exists():
            raise PermissionDenied("Hanya Atasan PPID OPD ini atau PPID Utama yang dapat menetapkan DIK.")
    return dik_opd_or_404(user, code)


class DikDetailView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else [IsOfficer()]

    @extend_schema(responses={200: DikEntryDetailSerializer},
                   description="One entry (public), with the values before each revision.")
    def get(self, request, pk):
        entry = DikEntry.objects.select_related("opd").filter(pk=pk).first()
        if entry is None:
            raise NotFound()
        return Response(DikEntryDetailSerializer(entry, context={"today": today_wita()}).data)

    @extend_schema(request=DikEntryWriteSerializer(partial=True), responses={200: DikEntryDetailSerializer},
                   description="Revise an entry (any of information, exemption, legal_basis, consequence, "
                               "decided_on, valid_until; `opd` cannot change). The values it had are kept in its "
                               "history. The OPD's Atasan PPID or PPID Utama; 403 for its PPID Pelaksana, 404 for "
                               "another OPD's officers.")
    def patch(self, request, pk):
        entry = dik_entry_for_staff_or_404(request.user, pk)
        if not can_decide_dik(request.user, entry.opd_id):
            raise PermissionDenied("Hanya Atasan PPID OPD ini atau PPID Utama yang dapat mengubah DIK.")
        serializer = DikEntryWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k in DIK_REVISED_FIELDS}
        _check({**{f: getattr(entry, f) for f in DIK_REVISED_FIELDS}, **changes})
        entry = dik_revise(entry=entry, actor=request.user, **changes)
        return Response(DikEntryDetailSerializer(entry, context={"today": today_wita()}).data)
