"""The sign-up page explains each field in one short line in the reader's language, not Django's own rules."""

import re

from django.test import Client
from django.utils import translation


def help_texts(html: str) -> dict[str, str]:
    return {m.group(1): " ".join(re.sub(r"<[^>]+>", " ", m.group(2)).split())
            for m in re.finditer(r'<div class="help" id="id_(\w+)_helptext">(.*?)</div>', html, re.S)}


def test_signup_help_is_short_indonesian_and_says_what_is_checked(opds):
    html = Client().get("/daftar/").content.decode()
    helps = help_texts(html)
    assert helps["username"] == "Dipakai untuk masuk. Hanya huruf, angka, dan tanda @ . + - _"
    assert helps["password1"] == ("Minimal 8 karakter, tidak hanya angka, tidak mirip nama atau e-mail Anda, "
                                  "dan tidak mudah ditebak.")
    assert helps["password2"] == "Ketik ulang kata sandi yang sama."
    # Django's bulleted password rules and its username sentence are gone; the field still points at its help.
    assert "<ul" not in html.split('id="id_password1_helptext"')[1].split("</div>")[0]
    assert "150" not in helps["username"]
    assert 'aria-describedby="id_password1_helptext"' in html


def test_signup_help_in_english(opds):
    client = Client()
    client.cookies["django_language"] = "en"
    # The middleware leaves the request's language active in this thread: put back what was there.
    with translation.override(translation.get_language()):
        helps = help_texts(client.get("/daftar/").content.decode())
    assert helps["password1"].startswith("At least 8 characters, not only digits")
    assert helps["password2"] == "Type the same password again."


def test_the_password_help_follows_the_configured_minimum(settings, opds):
    settings.AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                                          "OPTIONS": {"min_length": 12}}]
    from django.contrib.auth.password_validation import get_default_password_validators

    get_default_password_validators.cache_clear()
    try:
        assert help_texts(Client().get("/daftar/").content.decode())["password1"].startswith("Minimal 12 karakter")
    finally:
        get_default_password_validators.cache_clear()
