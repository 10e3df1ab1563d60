"""Absolute links to the portal's own pages, for what is read outside a request: e-mails, letters, SMS.

The address comes from PPID_SITE_URL (production refuses to start without it), never from a request's Host
header, so a forged Host can never put a foreign address into a message. Templates use
`{% load portal_links %}{% site_url 'track-case' case.registration_number %}`.
"""

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


def absolute_url(viewname: str, *args, query: str = "") -> str:
    """The full address of a named page: PPID_SITE_URL + its path (+ an optional query without the '?')."""
    base = settings.PPID_SITE_URL.rstrip("/")
    path = reverse(viewname, args=args)
    return f"{base}{path}{'?' + query if query else ''}"


@register.simple_tag
def site_url(viewname: str, *args) -> str:
    return absolute_url(viewname, *args)
