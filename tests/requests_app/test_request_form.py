"""The request form's defaults and messages: the untouched choices are valid together, a copy's format and delivery
are asked only for a copy, and every message sits beside its own field."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app.models import Case
from tests.conftest import png_bytes

# Only what a person must type or choose; every choice the form preselects is left as it comes.
PERSONAL = {
    "opd": "DINKES",
    "name": "Budi Santoso",
    "identity_number": "6403012345678901",
    "address": "Jl. Diponegoro No. 5, Tenggarong",
    "phone": "081298765432",
    "information_requested": "Daftar puskesmas beserta jam layanannya",
    "purpose": "Keperluan keluarga",
}


@pytest.fixture
def citizen(opds, calendar):
    return Client()


def untouched_defaults(client) -> dict:
    """The values the browser sends for the form's preselected choices, read from the rendered page."""
    page = client.get("/permohonan/baru/").content.decode()
    values = {}
    for name in ("requester_type", "copy_format", "delivery_method"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
        values[name] = re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)
    values["obtain_method"] = re.search(r'<input type="radio" name="obtain_method" value="([^"]+)"[^>]*checked',
                                        page).group(1)
    return values


def post(client, data):
    upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
    return client.post("/permohonan/baru/", {**data, "identity_document": upload})


def field_block(page: str, field: str) -> str:
    return re.search(rf'<div class="field[^"]*" id="f-{field}">(.*?)\n</div>', page, re.S).group(1)


def test_posting_the_untouched_defaults_with_the_personal_fields_succeeds(citizen):
    defaults = untouched_defaults(citizen)
    assert defaults == {"requester_type": "individual", "copy_format": "softcopy", "delivery_method": "pickup",
                        "obtain_method": "copy"}
    response = post(citizen, {**PERSONAL, **defaults})  # a phone and no e-mail
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert (case.obtain_method, case.copy_format, case.delivery_method) == ("copy", "softcopy", "pickup")
    assert case.email == ""


def test_the_form_no_longer_offers_a_copy_without_format_and_names_its_sections_apart(citizen):
    page = citizen.get("/permohonan/baru/").content.decode()
    assert "tidak perlu" not in page
    assert "<h2>OPD yang dituju</h2>" in page and "<h2>Tujuan</h2>" not in page
    assert "Tujuan penggunaan informasi" in page
    assert "Format salinan (bila meminta salinan)" in page and "Cara menerima salinan" in page
    # The copy's fields are grouped so the script can hide them; without it they stay, with a note.
    assert re.search(r'<div id="copy-fields"[^>]*>\s*<p class="help" id="copy-fields-note">Dua isian berikut hanya '
                     r"berlaku bila Anda meminta salinan", page)
    assert '<script src="/static/js/request.js" defer></script>' in page
    assert "E-mail wajib diisi bila dikirim lewat e-mail." in field_block(page, "email")


def test_viewing_drops_the_copy_format_the_form_sends_by_default(citizen):
    defaults = untouched_defaults(citizen)
    response = post(citizen, {**PERSONAL, **defaults, "obtain_method": "view"})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.obtain_method == "view" and case.copy_format == ""


def test_delivery_by_email_without_an_email_says_so_beside_the_email_field(citizen):
    response = post(citizen, {**PERSONAL, **untouched_defaults(citizen), "delivery_method": "email"})
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'<p class="field-error" id="id_email_error">(.*?)</p>', page).group(1)
    assert error == "E-mail wajib diisi bila dikirim lewat e-mail."
    assert page.count('class="field-error"') == 1  # only the e-mail field is marked
    # What was typed and chosen is kept; the file must be chosen again, and the page says so beside it.
    assert 'value="Budi Santoso"' in page and 'value="081298765432"' in page
    assert re.search(r'<option value="email"[^>]*selected', page)
    assert "Pilih berkasnya sekali lagi" in field_block(page, "identity_document")
    assert Case.objects.count() == 0


def test_each_required_text_has_its_own_message(citizen):
    data = {**PERSONAL, **untouched_defaults(citizen), "name": " ", "purpose": " "}
    page = post(citizen, data).content.decode()
    assert "Nama lengkap wajib diisi." in field_block(page, "name")
    assert "Tujuan penggunaan informasi wajib diisi." in field_block(page, "purpose")


def test_a_copy_without_format_is_refused_on_the_format_field(citizen):
    page = post(citizen, {**PERSONAL, **untouched_defaults(citizen), "copy_format": ""}).content.decode()
    assert "Pilih format salinan (softcopy atau hardcopy)." in field_block(page, "copy_format")


def test_the_email_message_in_english(citizen):
    citizen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = post(citizen, {**PERSONAL, **untouched_defaults(citizen), "delivery_method": "email"}).content.decode()
    assert "An e-mail address is required when it is sent by e-mail." in field_block(page, "email")
    assert "<h2>Agency the request is for</h2>" in page
