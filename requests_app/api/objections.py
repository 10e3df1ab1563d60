"""POST /api/v1/requests/objections/: a requester files a keberatan with registration number + tracking code."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ppid_portal.api import SubmitThrottle
from requests_app.api.tracked import NOT_MATCHED
from requests_app.models import ObjectionGround
from requests_app.selectors.tracking import find_tracked_case
from requests_app.services.objections import objection_file


class ObjectionCreateSerializer(serializers.Serializer):
    registration_number = serializers.CharField(max_length=40)
    tracking_code = serializers.CharField(max_length=40)
    ground = serializers.ChoiceField(choices=ObjectionGround.choices)
    reason = serializers.CharField(max_length=5000)


class ObjectionCreatedSerializer(serializers.Serializer):
    objection_number = serializers.CharField()
    filed_at = serializers.DateTimeField()
    due_date = serializers.DateField()


class ObjectionCreateView(APIView):
    throttle_classes = [SubmitThrottle]

    @extend_schema(request=ObjectionCreateSerializer, responses={201: ObjectionCreatedSerializer})
    def post(self, request):
        serializer = ObjectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = find_tracked_case(data["registration_number"], data["tracking_code"])
        if case is None:
            raise NotFound(NOT_MATCHED)
        objection = objection_file(case=case, ground=data["ground"], reason=data["reason"])
        body = {"objection_number": objection.objection_number, "filed_at": objection.filed_at,
                "due_date": objection.due_date}
        return Response(ObjectionCreatedSerializer(body).data, status=status.HTTP_201_CREATED)
