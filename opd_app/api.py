from rest_framework import generics, serializers

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
    filter_backends = []
