"""Public statistics and the admin compliance figures / annual report. Thin: parse, call a selector, shape."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance_app.reports import annual_report_pdf
from compliance_app.selectors import compliance_figures, period_from_params, public_stats, published_report
from opd_app.api_permissions import IsUtamaAdmin
from opd_app.models import OPD
from ppid_portal.files import stored_file_response


class StatsTotalSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    overdue_open = serializers.IntegerField()
    median_working_days = serializers.FloatField(allow_null=True)
    objections = serializers.IntegerField()
    granted = serializers.IntegerField(help_text="answered: granted in full")
    partially_granted = serializers.IntegerField()
    refused = serializers.IntegerField(help_text="refused on a Pasal 17 exemption (rejected_exempt) only")
    not_held = serializers.IntegerField(help_text="answered that the body does not hold the information (not a "
                                                  "refusal: the notice names the holder)")
    not_documented = serializers.IntegerField(help_text="answered that the information is not yet documented")
    refusals_by_letter = serializers.DictField(child=serializers.IntegerField(),
                                               help_text="Pasal 17 letter (a-j) -> refusals on it")


class StatsRowSerializer(StatsTotalSerializer):
    opd = serializers.CharField()
    name = serializers.CharField()


class StatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    opds = StatsRowSerializer(many=True)
    total = StatsTotalSerializer()


class ObjectionsDetailSerializer(serializers.Serializer):
    filed = serializers.IntegerField()
    upheld = serializers.IntegerField()
    dismissed = serializers.IntegerField()
    overdue = serializers.IntegerField()


class LetterDeliveriesSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="letters to hand over issued in the period")
    delivered = serializers.IntegerField()
    delivered_late = serializers.IntegerField(help_text="handed over after their due day")
    waiting = serializers.IntegerField(help_text="no handover recorded yet")
    waiting_overdue = serializers.IntegerField(help_text="still waiting past their due day")


class ComplianceTotalSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    answered_late = serializers.IntegerField()
    overdue_open = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text="% on time of answered + overdue_open")
    median_working_days = serializers.FloatField(allow_null=True)
    p90_working_days = serializers.FloatField(allow_null=True)
    decisions = serializers.DictField(child=serializers.IntegerField())
    refusals_by_letter = serializers.DictField(child=serializers.IntegerField())
    forwarded = serializers.IntegerField()
    objections = serializers.IntegerField()
    objections_detail = ObjectionsDetailSerializer()
    disputes = serializers.IntegerField()
    letter_deliveries = LetterDeliveriesSerializer()


class ComplianceRowSerializer(ComplianceTotalSerializer):
    opd = serializers.CharField()
    name = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    opds = ComplianceRowSerializer(many=True)
    total = ComplianceTotalSerializer()


def _year(request) -> int:
    try:
        return period_from_params({"year": request.query_params.get("year", "")}).year
    except ValueError as exc:
        raise ValidationError({"year": [str(exc)]}) from exc


class StatsView(APIView):
    """Public: the figures without personal data, per OPD, for citizens to compare."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)], responses={200: StatsSerializer})
    def get(self, request):
        stats = public_stats(year=_year(request))
        return Response(StatsSerializer(stats).data)


class ComplianceView(APIView):
    permission_classes = [IsUtamaAdmin]

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT), OpenApiParameter("opd", OpenApiTypes.STR),
                    OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE)],
        responses={200: ComplianceSerializer},
    )
    def get(self, request):
        try:
            period = period_from_params(request.query_params)
        except ValueError as exc:
            raise ValidationError({"detail": [str(exc)]}) from exc
        codes = None
        code = (request.query_params.get("opd") or "").strip().upper()
        if code:
            if not OPD.objects.filter(code=code).exists():
                raise ValidationError({"opd": [f"OPD tidak dikenal: {code}."]})
            codes = [code]
        figures = compliance_figures(period=period, opd_codes=codes)
        return Response(ComplianceSerializer({"year": period.year, "start": period.start, "end": period.end,
                                              "opds": figures["opds"], "total": figures["total"]}).data)


class ComplianceReportView(APIView):
    permission_classes = [IsUtamaAdmin]

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)],
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request):
        year = _year(request)
        response = HttpResponse(annual_report_pdf(year), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="laporan-layanan-informasi-publik-{year}.pdf"'
        return response



class PublishedReportView(APIView):
    """Public: the yearly service report as PPID Utama published it (UU 14/2008 Pasal 12), the year's latest
    publication. 404 until the year's report is published."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True,
                                     description="the report's year (the year the requests were received)")],
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the published PDF"),
                   400: OpenApiResponse(description="year missing or not a year"),
                   404: OpenApiResponse(description="no report published for the year")},
    )
    def get(self, request):
        if not (request.query_params.get("year") or "").strip():
            raise ValidationError({"year": [_("Tahun wajib diisi, misalnya ?year=2025.")]})
        year = _year(request)
        publication = published_report(year)
        if publication is None:
            raise NotFound(_("Laporan tahun %(y)s belum diterbitkan.") % {"y": year})
        return stored_file_response(publication.file.open("rb"), content_type="application/pdf",
                                    filename=f"laporan-layanan-informasi-publik-{year}.pdf")
