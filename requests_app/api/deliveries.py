"""The letters to deliver, for officers: GET /api/v1/deliveries/ and POST /api/v1/deliveries/<id>/handover/."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from opd_app.api_permissions import IsOfficer
from ppid_portal.clock import today_wita
from requests_app.models import HandoverMethod, LetterDelivery
from requests_app.models.delivery import HANDOVER_NOTE_MAX_LENGTH, RECIPIENT_NAME_MAX_LENGTH
from requests_app.permissions import delivery_for_officer_or_404
from requests_app.selectors.deliveries import DELIVERY_STATUSES, WAITING, delivery_list_for
from requests_app.services.deliveries import letter_handover


class DeliverySerializer(serializers.ModelSerializer):
    letter_label = serializers.CharField(source="get_letter_display", read_only=True)
    letter_number = serializers.SerializerMethodField()
    registration_number = serializers.CharField(source="case.registration_number", read_only=True)
    objection_number = serializers.SerializerMethodField()
    opd = serializers.CharField(source="opd.code", read_only=True)
    requester_name = serializers.CharField(source="case.name", read_only=True)
    requester_address = serializers.CharField(source="case.address", read_only=True)
    delivery_method = serializers.CharField(source="case.delivery_method", read_only=True,
                                            help_text="how the requester asked to get the information")
    overdue = serializers.SerializerMethodField()
    delivered_late = serializers.BooleanField(read_only=True)
    delivered_by = serializers.SerializerMethodField()
    letter_url = serializers.SerializerMethodField(help_text="the letter to print (officers' pages, session login)")
    receipt_url = serializers.SerializerMethodField(help_text="the receipt of delivery once handed over")

    class Meta:
        model = LetterDelivery
        fields = ["id", "letter", "letter_label", "letter_number", "registration_number", "objection_number", "opd",
                  "requester_name", "requester_address", "delivery_method", "issued_at", "due_on", "overdue",
                  "delivered_at", "delivered_late", "method", "recipient_name", "note", "delivered_by", "letter_url",
                  "receipt_url"]

    def get_letter_number(self, obj) -> str:
        return obj.attachment.letter_number if obj.attachment_id else ""

    def get_objection_number(self, obj) -> str | None:
        return obj.objection.objection_number if obj.objection_id else None

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.get("today"))

    def get_delivered_by(self, obj) -> str | None:
        return obj.delivered_by.username if obj.delivered_by_id else None

    def _absolute(self, name: str, obj) -> str:
        path = reverse(name, args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_letter_url(self, obj) -> str:
        return self._absolute("delivery-letter", obj)

    def get_receipt_url(self, obj) -> str | None:
        return self._absolute("delivery-receipt", obj) if obj.receipt_file else None


class HandoverSerializer(serializers.Serializer):
    delivered_at = serializers.DateTimeField(help_text="when it was handed over (ISO 8601 with offset; not in the "
                                                       "future, not before the letter was issued)")
    method = serializers.ChoiceField(choices=HandoverMethod.choices)
    recipient_name = serializers.CharField(max_length=RECIPIENT_NAME_MAX_LENGTH, help_text="to whom")
    note = serializers.CharField(max_length=HANDOVER_NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")


class DeliveryListView(generics.ListAPIView):
    """The letters of the user's OPDs that wait to be handed over (past their due day first, then the oldest), or
    those handed over (the latest first)."""

    serializer_class = DeliverySerializer
    permission_classes = [IsOfficer]

    @extend_schema(parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=list(DELIVERY_STATUSES),
                         description="waiting (default) or delivered"),
        OpenApiParameter("opd", OpenApiTypes.STR, description="one OPD's code"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        status = p.get("status") or WAITING
        if status not in DELIVERY_STATUSES:
            raise ValidationError({"status": [f"waiting atau delivered, bukan {status[:20]!r}."]})
        return delivery_list_for(self.request.user, status=status, opd=(p.get("opd") or "")[:16],
                                 today=self.get_serializer_context()["today"]).select_related("delivered_by")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.setdefault("today", today_wita())
        return context


class DeliveryHandoverView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(request=HandoverSerializer, responses={200: DeliverySerializer},
                   description="Record that the letter was handed over: the receipt of delivery (PDF) is kept and "
                               "the case gets a `letter_delivered` event. 409 when already recorded; 404 for a "
                               "letter of another OPD.")
    def post(self, request, pk):
        delivery = delivery_for_officer_or_404(request.user, pk)
        serializer = HandoverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = letter_handover(delivery=delivery, actor=request.user, **serializer.validated_data)
        return Response(DeliverySerializer(delivery, context={"request": request, "today": today_wita()}).data)
