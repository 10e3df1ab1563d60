"""Citizen pages: file a request, the receipt, tracking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ppid_portal.errors import DomainError
from ppid_portal.files import stored_file_response
from ppid_portal.links import absolute_url
from ppid_portal.ratelimit import count_hit, limit_reached, rate_limited
from requests_app import letters
from requests_app.forms import ForgotCodeForm, MessageForm, RequestForm, TrackForm
from requests_app.models import Case, CaseAttachment
from requests_app.permissions import can_view_tracking, cases_requested_by, grant_requester_access, is_requester
from requests_app.selectors.tracking import find_tracked_case, opd_named_by, tracking_page
from requests_app.services.actions import case_withdraw
from requests_app.services.intake import request_submit
from requests_app.services.messages import message_from_requester, message_refusal
from requests_app.services.tracking_codes import tracking_code_reissue
from requests_app.tracking import display
from requests_app.views.new_code import new_code_carried, new_code_carry, new_code_shown, receipt_code_carried

# The new tracking code rides on the requester's device in a signed cookie for the case's pages under
# /permohonan/<number>/ (views.new_code): the confirmation page shows it once, the receipt downloaded just after
# prints it.
WITHDRAW_NOTE_MAX_LENGTH = 1000  # the timeline note of a withdrawal


def _case_pages_path(registration_number: str) -> str:
    """/permohonan/<number>/: the path under which the confirmation page and the receipt both lie."""
    return reverse("request-receipt", args=[registration_number]).rsplit("/", 1)[0] + "/"


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
            submission = request_submit(opd=opd, data=data, identity_document=data.pop("identity_document"),
                                        authority_document=data.pop("authority_document"),
                                        requester_user=request.user, language=translation.get_language() or "id")
            number = submission.case.registration_number
            grant_requester_access(request, submission.case)
            response = redirect("request-done", registration_number=number)
            new_code_carry(response, number, submission.tracking_code, path=_case_pages_path(number))
            return response
        messages.error(request, _("Periksa kembali isian yang ditandai."))
    return render(request, "requests_app/request_form.html", {"form": form}, status=400 if form.errors else 200)


def request_done(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not can_view_tracking(request, case):
        raise Http404
    code = new_code_carried(request, registration_number)
    context = {
        "case": case,
        "tracking_code": display(code) if code else None,
        # To keep or pass on: the tracking page with the number filled in, never the code.
        "share_url": absolute_url("track", query=urlencode({"registration_number": case.registration_number})),
    }
    response = render(request, "requests_app/request_done.html", context)
    response["Cache-Control"] = "no-store"
    if code:
        # Shown once: the cookie leaves this page and stays for the receipt only.
        new_code_shown(request, response, path=_case_pages_path(registration_number),
                       receipt_path=reverse("request-receipt", args=[registration_number]))
    return response


def receipt_pdf(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not can_view_tracking(request, case):
        raise Http404
    code = receipt_code_carried(request, registration_number)
    pdf = letters.receipt_copy_pdf(case, tracking_code=display(code) if code else "")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-bukti-{case.registration_number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def track(request):
    # A link may fill in the registration number (the confirmation page's share link); the code is only ever typed.
    lookup = request.POST or (request.GET if request.GET.get("tracking_code") else None)
    form = TrackForm(lookup, initial={"registration_number": request.GET.get("registration_number", "")[:40]})
    if lookup is not None and form.is_valid():
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


@require_http_methods(["GET", "POST"])
def track_forgot(request):
    """"Lupa kode?": a new code to the e-mail on record. Every valid request gets the same answer (a redirect to the
    same words), whether or not the number exists and the contact matched."""
    if request.method == "GET" and "terkirim" in request.GET:
        number = request.GET.get("terkirim", "")[:40].strip().upper()
        return render(request, "requests_app/track_forgot.html",
                      {"answered": True, "number": number, "opd": opd_named_by(number)})
    form = ForgotCodeForm(request.POST or None,
                          initial={"registration_number": request.GET.get("registration_number", "")[:40]})
    if request.method == "POST":
        # Every attempt counts (a right one sends an e-mail): a flood neither guesses contacts nor fills a mailbox.
        if rate_limited(request, "ppid_code_reissue"):
            return render(request, "requests_app/throttled.html", status=429)
        if form.is_valid():
            number = form.cleaned_data["registration_number"].strip().upper()
            tracking_code_reissue(registration_number=number, contact=form.cleaned_data["contact"])
            return redirect(f"{reverse('track-forgot')}?{urlencode({'terkirim': number})}")
    return render(request, "requests_app/track_forgot.html", {"form": form}, status=400 if form.errors else 200)


def track_case(request, registration_number):
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not can_view_tracking(request, case):
        return _to_tracking_form(case.registration_number)
    return _track_page(request, case)


def _track_page(request, case, *, message_form=None, status=200):
    """The tracking page; `message_form` is the requester's message just posted, shown again with its error."""
    requester = is_requester(request, case)
    context = {
        "case": case,
        # Staff of the case's OPD may look; the withdraw / keberatan / dispute / message forms are for the
        # requester only.
        "is_requester": requester,
        "timeline": case.events.filter(public=True),
        # The conversation: the requester may write while the case takes messages (services.messages).
        "message_form": (message_form or MessageForm()) if requester and message_refusal(case) is None else None,
        **tracking_page(case),
    }
    return render(request, "requests_app/track_case.html", context, status=status)


@require_POST
def track_message(request, registration_number):
    """The requester writes to the PPID from the tracking page (the session the tracking code opened, or the
    requester's own account; a staff role is no proof: 404 as for a stranger). Counted against the same message
    rate as the API. A mistake shows the page again with the text kept and the error beside it."""
    case = get_object_or_404(Case.objects.select_related("opd"), registration_number=registration_number)
    if not is_requester(request, case):
        raise Http404
    if rate_limited(request, "ppid_message"):
        return render(request, "requests_app/throttled.html", status=429)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _track_page(request, case, message_form=form, status=400)
    try:
        message_from_requester(case=case, text=form.cleaned_data["text"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pesan Anda terkirim kepada petugas PPID."))
    # To the top of the page, where the confirmation (or why it could not be sent) is shown.
    return redirect("track-case", registration_number=registration_number)


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
