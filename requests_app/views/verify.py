"""The public check of a letter: what the portal issued under a verification link, and whether a PDF file is
that letter byte for byte (same SHA-256). Shows no personal data: the letter's kind, number and date only."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ppid_portal.ratelimit import rate_limited
from ppid_portal.uploads import LETTER_CHECK_MAX_BYTES
from requests_app.models import IssuedLetter
from requests_app.services.issued_letters import pdf_sha256
from requests_app.validation import validate_upload

# The body is capped while it streams (ppid_portal.uploads); the file is checked again here, then read whole.
VERIFY_MAX_BYTES = LETTER_CHECK_MAX_BYTES


@require_http_methods(["GET", "POST"])
def letter_verify(request, token):
    letter = get_object_or_404(IssuedLetter.objects.select_related("opd"), token=token[:32])
    context = {"letter": letter, "max_mb": VERIFY_MAX_BYTES // (1024 * 1024)}
    status = 200
    if request.method == "POST":
        if rate_limited(request, "ppid_verify"):
            return render(request, "requests_app/throttled.html", status=429)
        upload = request.FILES.get("file")
        try:
            validate_upload(upload, allowed={"application/pdf": "pdf"}, max_bytes=VERIFY_MAX_BYTES)
        except ValidationError as exc:
            context["error"] = exc.messages[0]
            status = 400
        else:
            upload.seek(0)
            digest = pdf_sha256(upload.read())
            context["matches"] = digest == letter.sha256
            context["uploaded_sha256"] = digest
    if status == 400 and "error" not in context:
        context["error"] = _("Berkas tidak dapat diperiksa.")
    response = render(request, "requests_app/letter_verify.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response
