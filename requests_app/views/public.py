"""Citizen pages: file a request, the receipt, tracking."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from ppid_portal.ratelimit import count_hit, limit_reached, rate_limited
from requests_app import letters
from requests_app.forms import RequestForm, TrackForm
from requests_app.models import Case, CaseAttachment
from requests_app.permissions import can_view_tracking, cases_requested_by, grant_requester_access, is_requester
from requests_app.selectors.tracking import find_tracked_case, tracking_page
from requests_app.services.actions import case_withdraw
from requests_app.services.intake import request_submit
from requests_app.tracking import display

NEW_CODE_COOKIE = "ppid_new_code"
NEW_CODE_MAX_AGE = 15 * 60
WITHDRAW_NOTE_MAX_LENGTH = 1000  # the timeline note of a withdrawal


@require_http_methods(["GET", "POST"])
def request_create(request):
    initial = {"opd": request.GET.get("opd")} if request.GET.get("opd") else None
    form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if rate_limited(request, "ppid_submit"):
            return render(request, "requests_app/throttled.html", status=429)
        if form.is_valid():
            data = dict(form.cleaned_data)
            opd = data.pop("opd")
            document = data.pop("identity_document")
            submission = request_submit(opd=opd, data=data, identity_document=document, requester_user=request.user,
                                        language=translation.get_language() or "id")
            grant_requester_access(request, submission.case)
            response = redirect("request-done", registration_number=submission.case.registration_number)
            # The code is shown once and never stored on the server (not even in the session table): it rides to
            # the confirmation page in a short-lived signed cookie on the requester's own device.
            response.set_signed_cookie(
                NEW_CODE_COOKIE, f"{submission.case.registration_number}:{submission.tracking_code}",
                salt=NEW_CODE_COOKIE, max_age=NEW_CODE_MAX_AGE, path=response["Location"], httponly=True,
                secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
            return response
        messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "requests_app/request_form.html", {"form": form}, status=400 if form.errors else 200)


def request_done(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not can_view_tracking(request, case):
        raise Http404
    carried = request.get_signed_cookie(NEW_CODE_COOKIE, default="", salt=NEW_CODE_COOKIE, max_age=NEW_CODE_MAX_AGE)
    number, _sep, code = carried.partition(":")
    shown = display(code) if code and number == registration_number else None
    response = render(request, "requests_app/request_done.html", {"case": case, "tracking_code": shown})
    response.delete_cookie(NEW_CODE_COOKIE, path=request.path, samesite="Lax")
    return response


def receipt_pdf(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not can_view_tracking(request, case):
        raise Http404
    response = HttpResponse(letters.receipt_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-bukti-{case.registration_number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def track(request):
    # A link with the number only (an e-mail's link to the tracking page, followed without a tracking session)
    # fills the form in and lets the requester type the code; it is not a failed attempt.
    prefill = request.GET.get("registration_number") if not request.GET.get("tracking_code") else None
    data = request.POST or (request.GET if request.GET.get("registration_number") and not prefill else None)
    form = TrackForm(data, initial={"registration_number": prefill[:40]} if prefill and not data else None)
    case = None
    if data is not None and form.is_valid():
        # Checked before the lookup: past the limit even a right code gets no answer, so guessing cannot go on.
        if limit_reached(request, "ppid_track"):
            return render(request, "requests_app/throttled.html", status=429)
        case = find_tracked_case(form.cleaned_data["registration_number"], form.cleaned_data["tracking_code"])
        if case is None:
            count_hit(request, "ppid_track")
            form.add_error(None, _("Nomor registrasi atau kode pelacakan tidak cocok."))
        else:
            grant_requester_access(request, case)
            return redirect("track-case", registration_number=case.registration_number)
    return render(request, "requests_app/track.html", {"form": form}, status=404 if form.non_field_errors() else 200)


def track_case(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not can_view_tracking(request, case):
        return _to_tracking_form(case.registration_number)
    context = {
        "case": case,
        # Staff of the case's OPD may look; the withdraw / keberatan / dispute forms are for the requester only.
        "is_requester": is_requester(request, case),
        "timeline": case.events.filter(public=True),
        **tracking_page(case),
    }
    return render(request, "requests_app/track_case.html", context)


def _to_tracking_form(registration_number: str):
    """The tracking form with the number filled in: the code is never in a URL, so a link from an e-mail lands
    here whenever the browser holds no tracking session."""
    response = redirect("track")
    response["Location"] += "?" + urlencode({"registration_number": registration_number})
    return response


def attachment_download(request, registration_number, attachment_id):
    case = get_object_or_404(Case, registration_number=registration_number)
    attachment = get_object_or_404(CaseAttachment, pk=attachment_id, case=case)
    if not can_view_tracking(request, case) or not attachment.public:
        raise Http404
    return stored_file_response(attachment.file.open("rb"), filename=attachment.filename,
                                content_type=attachment.content_type)


@login_required
def my_requests(request):
    """A registered requester's own requests with their status and deadlines."""
    cases = (cases_requested_by(request.user, Case.objects.all()).select_related("opd")
             .prefetch_related("objections").order_by("-received_at"))
    return render(request, "requests_app/my_requests.html", {"cases": cases})


@require_http_methods(["GET", "POST"])
def track_withdraw(request, registration_number):
    """The requester withdraws an open request (proven by the tracking code or the account; a staff role is no
    proof: 404 as for a stranger). Withdrawing cannot be undone, so it takes two steps: this page asks, and only
    its confirming form (confirm=1) withdraws."""
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not is_requester(request, case):
        raise Http404
    note = request.POST.get("note", "")[:WITHDRAW_NOTE_MAX_LENGTH]
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            case_withdraw(case=case, note=note)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Permohonan telah dicabut."))
        return redirect("track-case", registration_number=registration_number)
    if not case.is_open:
        messages.error(request, _("Permohonan ini tidak dapat dicabut lagi."))
        return redirect("track-case", registration_number=registration_number)
    return render(request, "requests_app/track_withdraw.html", {"case": case, "note": note})
