from django.shortcuts import render

from .models import OPD


def home(request):
    opds = OPD.objects.all()
    return render(request, "opd_app/home.html", {"opds": opds})


def directory(request):
    return render(request, "opd_app/directory.html", {"opds": OPD.objects.all()})
