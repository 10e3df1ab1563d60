"""{{ document.personal_data_findings|findings_in_words }}: the scanner's findings in the reader's words."""

from django import template

from documents_app.services.scanning import describe_findings

register = template.Library()


@register.filter
def findings_in_words(findings) -> str:
    return describe_findings(findings or [])
