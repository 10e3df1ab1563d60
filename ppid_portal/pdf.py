"""The one WeasyPrint renderer: a Django template and a context become PDF bytes."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict, *, language: str = "id") -> bytes:
    # Imported lazily: WeasyPrint loads Pango at import, which web requests that never print don't need.
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, {"regency": settings.PPID_REGENCY_NAME, **context})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
