from rest_framework import exceptions, generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from ppid_portal.login_limit import THROTTLED_MESSAGE, login_blocked, login_failed

from .models import OPD


class OPDSerializer(serializers.ModelSerializer):
    class Meta:
        model = OPD
        fields = ["id", "code", "name", "kind", "is_ppid_utama"]


class OPDListView(generics.ListAPIView):
    """The OPD directory (public)."""

    serializer_class = OPDSerializer
    queryset = OPD.objects.all()
    pagination_class = None


class TokenObtainView(ObtainAuthToken):
    """Exchange a username and password for an API token (header `Authorization: Token …`).

    Failed attempts are limited per account and per client address; past the limit the answer is 429,
    even for the right password."""

    def post(self, request, *args, **kwargs):
        data = request.data if hasattr(request.data, "get") else {}
        username = data.get("username")
        username = username if isinstance(username, str) else ""
        if login_blocked(request, username):
            raise exceptions.Throttled(detail=THROTTLED_MESSAGE)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if username and data.get("password"):
                login_failed(request, username)
            raise exceptions.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
