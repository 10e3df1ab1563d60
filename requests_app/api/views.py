"""REST endpoints for intake, tracking and the officer case queue. Thin: parse, call a service, shape."""

from django.core.paginator import Paginator
from django.db import transaction
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from opd_app.api_permissions import IsOfficer
from ppid_portal.api import SubmitThrottle, TrackThrottle
from ppid_portal.clock import today_wita
from ppid_portal.pages import page_response
from requests_app.api.serializers import (
    CASE_LIST_VALUES,
    ActionSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    DeskRequestCreatedSerializer,
    DeskRequestSerializer,
    RequestCreatedSerializer,
    RequestCreateSerializer,
    TrackSerializer,
)
from requests_app.api.tracked import TrackedCaseMixin
from requests_app.models import Case
from requests_app.permissions import case_for_officer_or_404, intake_opd_or_404
from requests_app.selectors.queue import case_list_for, open_queue_page
from requests_app.services.actions import case_act
from requests_app.services.intake import request_record, request_submit


class RequestCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    throttle_classes = [SubmitThrottle]

    @extend_schema(request=RequestCreateSerializer, responses={201: RequestCreatedSerializer})
    def post(self, request):
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        opd = data.pop("opd")
        submission = request_submit(opd=opd, data=data, identity_document=data.pop("identity_document"),
                                    authority_document=data.pop("authority_document"), requester_user=request.user,
                                    language=translation.get_language() or "id")
        return Response(RequestCreatedSerializer(_created_body(submission)).data, status=status.HTTP_201_CREATED)


def _created_body(submission) -> dict:
    case = submission.case
    return {
        "registration_number": case.registration_number, "tracking_code": submission.tracking_code,
        "status": case.status, "received_at": case.received_at, "due_date": case.due_date, "opd": case.opd.code,
        "channel": case.channel,
    }

class TrackView(TrackedCaseMixin, APIView):
    throttle_classes = [TrackThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("registration_number", OpenApiTypes.STR, required=True),
                    OpenApiParameter("tracking_code", OpenApiTypes.STR, required=True)],
        responses={200: TrackSerializer},
    )
    def get(self, request):
        case = self.tracked_case_or_404(request.query_params.get("registration_number", ""),
                                        request.query_params.get("tracking_code", ""))
        return Response(TrackSerializer(case).data)


class _CaseRowsPaginator(Paginator):
    """Counts the plain queryset (no joins) and reads the page as values() rows (the nine columns the list shows):
    no Case/OPD/User instances per row, which cost more than the queue's SQL itself (measured in bench/)."""

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(object_list.values(*CASE_LIST_VALUES), number, paginator)


class CaseListPagination(PageNumberPagination):
    django_paginator_class = _CaseRowsPaginator


class CaseListView(generics.ListAPIView):
    """The officer's queue (GET) and a request received at the desk, by letter, phone, e-mail or fax, recorded for
    the requester (POST)."""

    serializer_class = CaseListSerializer
    permission_classes = [IsOfficer]
    pagination_class = CaseListPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(parameters=[
        OpenApiParameter("status", OpenApiTypes.STR), OpenApiParameter("overdue", OpenApiTypes.BOOL),
        OpenApiParameter("opd", OpenApiTypes.STR),
        OpenApiParameter("assigned", OpenApiTypes.STR, enum=["mine", "unassigned"]),
        OpenApiParameter("show", OpenApiTypes.STR, enum=["all"],
                         description="without `status`: the open cases by default, every case with show=all"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": DeskRequestSerializer, "application/json": DeskRequestSerializer},
        responses={201: DeskRequestCreatedSerializer},
        summary="Record a request received at the desk, by letter, phone, e-mail or fax",
        description=(
            "An officer of the OPD (or PPID Utama) records a request for its requester: the fields of "
            "POST /requests/ (the identity document optional: the case then shows it is owed), `channel` (desk, "
            "letter, phone, email or fax; default desk), `received_at` (ISO 8601 with offset, default now; never in "
            "the future, at most 30 days back, earlier than now only with `received_note`). The statutory clock runs "
            "from `received_at`; the tracking code is in this answer only. An OPD the officer does not work for is "
            "404, as for one that does not exist."),
    )
    def post(self, request, *args, **kwargs):
        # The OPD first: another OPD's code is 404 whatever else the body holds, as for any object of another OPD.
        # (None at all is a field error, below.)
        if str(request.data.get("opd") or "").strip():
            intake_opd_or_404(request.user, str(request.data.get("opd")))
        serializer = DeskRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        opd = data.pop("opd")
        submission = request_record(
            opd=opd, data=data, recorded_by=request.user, channel=data.pop("channel"),
            received_at=data.pop("received_at"), received_note=data.pop("received_note"),
            identity_document=data.pop("identity_document"), authority_document=data.pop("authority_document"))
        return Response(DeskRequestCreatedSerializer(_created_body(submission)).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        p = self.request.query_params
        # The page is read as values() rows by CaseListPagination: never the requester's data the list does not show.
        return case_list_for(self.request.user, status=p.get("status", ""), overdue=p.get("overdue"),
                             opd=p.get("opd", ""), mine=p.get("assigned", ""), show=p.get("show", ""))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today_wita()}

    def list(self, request, *args, **kwargs):
        """The default view (no filter) reads its page with two hand-written statements (open_queue_page); any
        filter, and SQLite, take the generic list over case_list_for. The same JSON either way."""
        if any(request.query_params.get(k) for k in ("status", "overdue", "opd", "assigned", "show")):
            return super().list(request, *args, **kwargs)
        context = self.get_serializer_context()
        response = page_response(
            self, request, lambda offset, limit: open_queue_page(request.user, offset=offset, limit=limit),
            lambda rows: CaseListSerializer(rows, many=True, context=context).data)
        return response if response is not None else super().list(request, *args, **kwargs)


def _detail_queryset_case(user, registration_number):
    case = case_for_officer_or_404(user, registration_number)
    return Case.objects.select_related("opd", "assigned_to").prefetch_related("events__actor").get(pk=case.pk)


class CaseDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(responses={200: CaseDetailSerializer})
    def get(self, request, registration_number):
        return Response(CaseDetailSerializer(_detail_queryset_case(request.user, registration_number)).data)


class CaseLetterView(APIView):
    """One letter of the case exactly as issued (the bytes whose SHA-256 its verification page shows)."""

    permission_classes = [IsOfficer]

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request, registration_number, token):
        from ppid_portal.files import stored_file_response
        from requests_app.services.issued_letters import kept_letters_for_case

        case = case_for_officer_or_404(request.user, registration_number)
        letter = kept_letters_for_case(case).filter(token=token[:32]).first()
        if letter is None:
            raise NotFound
        return stored_file_response(letter.file.open("rb"), filename=letter.filename or "surat.pdf",
                                    content_type="application/pdf")


class CaseActionView(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=ActionSerializer, responses={200: CaseDetailSerializer})
    def post(self, request, registration_number):
        case = case_for_officer_or_404(request.user, registration_number)
        serializer = ActionSerializer(data=request.data)
        if not serializer.is_valid():
            raise ValidationError(serializer.errors)
        data = dict(serializer.validated_data)
        files = data.pop("files", []) or request.FILES.getlist("files")
        with transaction.atomic():
            case_act(case=case, actor=request.user, action=data.pop("action"), data=data, files=files)
        return Response(CaseDetailSerializer(_detail_queryset_case(request.user, registration_number)).data)
