"""GET/POST /api/v1/holidays/ (GET public with ?year=, POST for PPID Utama admins) and
PUT/PATCH/DELETE /api/v1/holidays/<date>/ (admins). Every edit re-derives open clocks."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from opd_app.api_permissions import ReadOrUtamaAdmin
from ppid_portal.clock import today_wita
from requests_app.models import Holiday, HolidayKind
from requests_app.services.holidays import holiday_add, holiday_delete, holiday_update


class HolidaySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=HolidayKind.choices)

    class Meta:
        model = Holiday
        fields = ["date", "name", "kind"]
        # Uniqueness is the service's check (one message, also for the pages).
        extra_kwargs = {"date": {"validators": []}}


def _year(request) -> int:
    raw = request.query_params.get("year")
    if not raw:
        return today_wita().year
    try:
        year = int(raw)
    except ValueError:
        raise ValidationError({"year": ["Tahun harus berupa angka, mis. 2026."]}) from None
    if not 1900 <= year <= 2200:
        raise ValidationError({"year": ["Tahun di luar jangkauan."]})
    return year


class HolidayListView(APIView):
    permission_classes = [ReadOrUtamaAdmin]

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
                   responses={200: HolidaySerializer(many=True)})
    def get(self, request):
        rows = Holiday.objects.filter(date__year=_year(request)).order_by("date")
        return Response(HolidaySerializer(rows, many=True).data)

    @extend_schema(request=HolidaySerializer, responses={201: HolidaySerializer})
    def post(self, request):
        serializer = HolidaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        holiday = holiday_add(actor=request.user, **serializer.validated_data)
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)


class HolidayDetailView(APIView):
    permission_classes = [ReadOrUtamaAdmin]

    def _get(self, date):
        return get_object_or_404(Holiday, date=date)

    @extend_schema(responses={200: HolidaySerializer})
    def get(self, request, date):
        return Response(HolidaySerializer(self._get(date)).data)

    @extend_schema(request=HolidaySerializer, responses={200: HolidaySerializer})
    def put(self, request, date):
        return self._update(request, date, partial=False)

    @extend_schema(request=HolidaySerializer, responses={200: HolidaySerializer})
    def patch(self, request, date):
        return self._update(request, date, partial=True)

    def _update(self, request, date, partial):
        holiday = self._get(date)
        serializer = HolidaySerializer(holiday, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = {"date": holiday.date, "name": holiday.name, "kind": holiday.kind, **serializer.validated_data}
        holiday = holiday_update(holiday=holiday, actor=request.user, **data)
        return Response(HolidaySerializer(holiday).data)

    @extend_schema(responses={204: None})
    def delete(self, request, date):
        holiday_delete(holiday=self._get(date), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
