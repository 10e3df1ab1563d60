"""The PPID's registers for officers: GET /api/v1/registers/requests/ and GET /api/v1/registers/objections/, paged
JSON, or the printed register with ?format=csv|xlsx|pdf."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from opd_app.api_permissions import IsOfficer
from requests_app.registers import CONTENT_TYPES, register_file, register_filename
from requests_app.selectors.registers import (
    OBJECTIONS,
    REGISTER_FORMATS,
    REGISTER_PAGE_SIZE,
    REQUESTS,
    RegisterFilterError,
    register_filters,
    register_format,
    register_queryset,
    register_rows,
)


class RegisterPagination(PageNumberPagination):
    page_size = REGISTER_PAGE_SIZE


class FormatIsAFile(BaseContentNegotiation):
    """`format` names the printed register's file here, not a renderer: the answer is JSON unless the view returns
    the file itself (a bad format is the view's 400, not DRF's 404)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _parameters() -> list:
    return [
        OpenApiParameter("year", OpenApiTypes.INT, description="the year received (filed); default this year"),
        OpenApiParameter("month", OpenApiTypes.INT, description="1-12: only that month"),
        OpenApiParameter("opd", OpenApiTypes.STR, description="one OPD's code (one of the reader's; any for PPID "
                                                             "Utama); another OPD's is 404"),
        OpenApiParameter("format", OpenApiTypes.STR, enum=["json", *REGISTER_FORMATS],
                         description="json (default, paged) or the printed register: csv, xlsx, or a landscape A4 "
                                     "PDF on the OPD's letterhead to sign (every row of the period, not a page)"),
        OpenApiParameter("page", OpenApiTypes.INT),
    ]


FILE_RESPONSES = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="with format=csv"),
    (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
        OpenApiResponse(OpenApiTypes.BINARY, description="with format=xlsx"),
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="with format=pdf"),
}


class _RegisterView(APIView):
    permission_classes = [IsOfficer]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FormatIsAFile
    kind = REQUESTS

    def register(self, request):
        try:
            filters = register_filters(request.user, request.query_params)
            fmt = register_format(request.query_params)
        except RegisterFilterError as exc:
            raise ValidationError({exc.field: [exc.message]}) from exc
        records = register_queryset(request.user, self.kind, filters)
        if fmt:
            response = HttpResponse(register_file(request.user, self.kind, filters, records, fmt),
                                    content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'attachment; filename="{register_filename(self.kind, filters, fmt)}"'
            return response
        paginator = RegisterPagination()
        page = paginator.paginate_queryset(records, request, view=self)
        return paginator.get_paginated_response(register_rows(request.user, self.kind, page))


class RequestRegisterView(_RegisterView):
    kind = REQUESTS

    @extend_schema(
        parameters=_parameters(),
        responses={(200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description="{count, next, previous, results: [row]}: one row per request (number, "
                                             "date received, channel, requester's name, address and contact "
                                             "for who may see them, information, purpose, how to obtain, status, "
                                             "decision, Pasal 17 letter, the DIK entry relied on and what was "
                                             "withheld, notice date, working days, extended, "
                                             "forwarded, delivery and the notice's handover, cost)"),
            **FILE_RESPONSES},
        summary="Register of requests (Perki SLIP)",
        description="The requests received in the year (or month) by the reader's OPDs (every OPD for PPID Utama), "
                    "in number order, 100 a page.")
    def get(self, request):
        return self.register(request)


class ObjectionRegisterView(_RegisterView):
    kind = OBJECTIONS

    @extend_schema(
        parameters=_parameters(),
        responses={(200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description="{count, next, previous, results: [row]}: one row per keberatan "
                                             "(number, date filed, requester, request number, purpose, Pasal 35 "
                                             "ground, the Atasan PPID's answer and its date, their name and "
                                             "position, dispute to the Komisi Informasi)"),
            **FILE_RESPONSES},
        summary="Register of keberatan (Perki SLIP)",
        description="The keberatan filed in the year against the reader's OPDs (every OPD for PPID Utama), in number "
                    "order, 100 a page.")
    def get(self, request):
        return self.register(request)
