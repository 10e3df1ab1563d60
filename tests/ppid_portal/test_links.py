"""Links in messages read outside a request point at PPID_SITE_URL, never at a request's Host."""

from django.template import Context, Template
from django.test import override_settings

from ppid_portal.links import absolute_url


@override_settings(PPID_SITE_URL="https://ppid.kukarkab.go.id/")
def test_absolute_url_joins_the_site_address_and_the_path_once():
    assert absolute_url("track") == "https://ppid.kukarkab.go.id/lacak/"
    assert absolute_url("track", query="x=1") == "https://ppid.kukarkab.go.id/lacak/?x=1"


@override_settings(PPID_SITE_URL="https://ppid.kukarkab.go.id")
def test_the_site_url_tag_gives_the_same_address_as_the_function():
    text = Template("{% load portal_links %}{% site_url 'track' %}").render(Context({}))
    assert text == absolute_url("track")
    assert text.startswith("https://ppid.kukarkab.go.id/")
