"""`{{ code|tracking_code }}`: a tracking code as XXXX-XXXX-XXXX, the way the pages show it."""

from django import template

from requests_app.tracking import display, normalise

register = template.Library()


@register.filter(name="tracking_code")
def tracking_code(code) -> str:
    return display(normalise(str(code or "")))
