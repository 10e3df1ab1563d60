"""POST /api/v1/requests/messages/: the requester writes to the PPID on a case, with registration number + tracking
code (the proof of being the requester, checked as GET /requests/track/ checks it)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ppid_portal.api import MessageThrottle, TrackThrottle
from requests_app.api.tracked import TrackedCaseMixin
from requests_app.services.messages import MESSAGE_MAX_LENGTH, message_errors, message_from_requester


class MessageCreateSerializer(serializers.Serializer):
    registration_number = serializers.CharField(max_length=40)
    tracking_code = serializers.CharField(max_length=40)
    # The length is counted as the service keeps the text (line breaks as one character): message_errors.
    text = serializers.CharField(allow_blank=True, trim_whitespace=False,
                                 help_text=f"plain text, at most {MESSAGE_MAX_LENGTH} characters")

    def validate_text(self, value):
        errors = message_errors(value)
        if errors:
            raise serializers.ValidationError(errors["text"])
        return value


class CaseMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    at = serializers.DateTimeField()
    text = serializers.CharField(source="note")
    author = serializers.ChoiceField(choices=["requester", "officer"], source="data.author")


class MessageCreateView(TrackedCaseMixin, APIView):
    parser_classes = [JSONParser, FormParser]
    # A failed lookup counts as the track API's do (and past that limit even the right code gets 429); every
    # message counts against the message rate, shared with the tracking page's form.
    throttle_classes = [TrackThrottle, MessageThrottle]

    @extend_schema(
        request=MessageCreateSerializer,
        responses={201: CaseMessageSerializer,
                   400: OpenApiResponse(description="a missing, empty or too long text, by field"),
                   404: OpenApiResponse(description="the registration number and tracking code do not match"),
                   409: OpenApiResponse(description="the request was withdrawn"),
                   429: OpenApiResponse(description="too many messages or failed lookups from this client")},
        description="The requester writes to the PPID on the case (a clarification, a question). The message is "
                    "a public event of the case's timeline and is sent to the case's officer; it does not stop "
                    "the statutory clock.",
    )
    def post(self, request):
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = self.tracked_case_or_404(data["registration_number"], data["tracking_code"])
        event = message_from_requester(case=case, text=data["text"])
        return Response(CaseMessageSerializer(event).data, status=status.HTTP_201_CREATED)
