from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from .models import OPD


def home(request):
    opds = OPD.objects.all()
    return render(request, "opd_app/home.html", {"opds": opds, "notice_url": reverse("service-notice")})


def directory(request):
    return render(request, "opd_app/directory.html", {"opds": OPD.objects.all()})


def service_notice(request):
    """The maklumat pelayanan: legal basis, procedure, time limits and fees, as a public page."""
    return render(request, "opd_app/service_notice.html", {
        "regency": settings.PPID_REGENCY_NAME,
        "request_url": reverse("request-create"),
        "track_url": reverse("track"),
    })
