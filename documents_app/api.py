"""REST endpoints of the library. Thin: parse, call a selector or a service, shape."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from documents_app import search, selectors
from documents_app.permissions import Refusal, can_manage_documents, is_reviewer, officer_refusal
from documents_app.serializers import (
    DocumentCreatedSerializer,
    DocumentCreateSerializer,
    DocumentDetailSerializer,
    DocumentListSerializer,
    PublishSerializer,
    UnpublishSerializer,
    search_rows_data,
)
from documents_app.services import intake, publication
from opd_app.models import OPD
from ppid_portal.limits import SEARCH_QUERY_MAX_LENGTH
from ppid_portal.pages import page_response


def _officer(request, *, names_a_document: bool = False):
    refusal = officer_refusal(request.user, names_a_document=names_a_document)
    if refusal is Refusal.SIGN_IN:
        raise NotAuthenticated()
    if refusal is Refusal.NOT_FOUND:
        raise NotFound()
    if refusal is Refusal.FORBIDDEN:
        raise PermissionDenied(_("Hanya petugas PPID."))
    return request.user


def _context(request, document) -> dict:
    return {"request": request, "reviewer": is_reviewer(request.user, document)}


class DocumentListCreateView(generics.ListAPIView):
    """Public: published documents (search, filters). Officers: upload a draft."""

    serializer_class = DocumentListSerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends: list = []

    def get_queryset(self):
        p = self.request.query_params
        return search.document_search(q=p.get("q", ""), opd=p.get("opd", ""), category=p.get("category", ""))

    def list(self, request, *args, **kwargs):
        """A full-text query on PostgreSQL: one statement for the page (search.document_search_page), the
        same JSON as the paginated list. Everything else: the generic list."""
        p = request.query_params
        if len(p.get("q", "")) > SEARCH_QUERY_MAX_LENGTH:
            raise ValidationError({"q": [_("Kata kunci terlalu panjang (maksimal %(n)s karakter).")
                                         % {"n": SEARCH_QUERY_MAX_LENGTH}]})

        def fetch(offset, limit):
            page = search.document_search_page(q=p.get("q", ""), opd=p.get("opd", ""),
                                               category=p.get("category", ""), offset=offset, limit=limit)
            return None if page is None else (page.total, page.rows)

        response = page_response(self, request, fetch, lambda rows: search_rows_data(rows, request))
        return response if response is not None else super().list(request, *args, **kwargs)

    @extend_schema(parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="full-text query (websearch syntax)"),
        OpenApiParameter("opd", OpenApiTypes.STR, description="OPD code"),
        OpenApiParameter("category", OpenApiTypes.STR, enum=["berkala", "serta_merta", "setiap_saat"]),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentCreatedSerializer})
    def post(self, request):
        user = _officer(request)
        serializer = DocumentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        opd = OPD.objects.filter(code=data.pop("opd").strip().upper()).first()
        # An OPD the officer does not work for reads like an unknown one.
        if opd is None or not can_manage_documents(user, opd.pk):
            raise ValidationError({"opd": [_("OPD tidak dikenal atau bukan OPD Anda.")]})
        upload = data.pop("file")
        registration_number = data.pop("registration_number", "")
        document = intake.document_create(actor=user, opd=opd, upload=upload, meta=data,
                                            registration_number=registration_number, process_now=True)
        body = {"id": document.pk, "status": document.status, "sha256": document.sha256,
                "personal_data_findings": document.personal_data_findings,
                "personal_data_check": document.scan_state, "scan_error": document.scan_error}
        return Response(DocumentCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class DocumentDetailView(APIView):
    @extend_schema(responses={200: DocumentDetailSerializer})
    def get(self, request, pk: int):
        document = selectors.document_get_visible(request.user, pk)
        return Response(DocumentDetailSerializer(document, context=_context(request, document)).data)


class DocumentPublishView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=PublishSerializer, responses={200: DocumentDetailSerializer})
    def post(self, request, pk: int):
        user = _officer(request, names_a_document=True)
        document = selectors.document_get_for(user, pk)
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = publication.document_publish(document=document, actor=user,
                                             confirm_personal_data=serializer.validated_data["confirm_personal_data"],
                                             override_reason=serializer.validated_data["publish_override_reason"])
        return Response(DocumentDetailSerializer(document, context=_context(request, document)).data)


class DocumentUnpublishView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=UnpublishSerializer, responses={200: DocumentDetailSerializer})
    def post(self, request, pk: int):
        user = _officer(request, names_a_document=True)
        document = selectors.document_get_for(user, pk)
        serializer = UnpublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = publication.document_unpublish(document=document, actor=user,
                                               reason=serializer.validated_data["reason"])
        return Response(DocumentDetailSerializer(document, context=_context(request, document)).data)


