"""A PPID Utama admin on a 360 px phone, in Bahasa Indonesia: adds an officer (who sets their own password from the
e-mailed link and signs in) and deactivates another after the confirmation; the officers' table reads as cards."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from opd_app.models import Membership
from tests.browser.support import PHONE, check_page, login, page_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_an_officer_and_deactivates_one_on_a_phone(new_page, admin_utama, officer):
    page = new_page(viewport=PHONE)
    login(page, "admin.utama", then="/petugas/")
    assert page.locator("header a[href='/petugas/pengguna/']").inner_text() == "Akun petugas"
    page.goto("/petugas/pengguna/")
    check_page(page, "officers-01-list")
    # Each row a labelled card on a phone.
    label = page.evaluate("() => getComputedStyle(document.querySelector('#officers tbody td'), '::before').content")
    assert "Nama" in label

    # A new officer: a wrong OPD/role pair keeps what was typed and says why beside the field.
    page.click("#officer-new-link")
    page.fill("#id_username", "rahmat.dinkes")
    page.fill("#id_full_name", "Rahmat Hidayat")
    page.fill("#id_email", "rahmat@example.org")
    page.select_option("#id_opd", "DINKES")
    page.select_option("#id_role", "utama")
    page.click("main form.card button[type=submit]")
    assert "hanya diberikan di OPD PPID Utama" in page.inner_text("#f-role .field-error")
    assert page.input_value("#id_full_name") == "Rahmat Hidayat"
    check_page(page, "officers-02-new-refused")
    page.select_option("#id_role", "pelaksana")
    page.click("main form.card button[type=submit]")
    page.wait_for_url("**/petugas/pengguna/*/")
    assert "Tautan untuk membuat kata sandi dikirim ke rahmat@example.org" in page.inner_text(".messages")
    assert "Petugas PPID Pelaksana" in page.inner_text("#officer-roles")
    check_page(page, "officers-03-created")

    # The officer sets a password from the e-mail and signs in.
    [message] = mail.outbox
    [link] = re.findall(r"https?://\S+/akun/sandi/\S+/", message.body)
    newcomer = new_page(viewport=PHONE)
    newcomer.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    newcomer.fill("#id_new_password1", "Mahakam-Tenggarong-58")
    newcomer.fill("#id_new_password2", "Mahakam-Tenggarong-58")
    newcomer.click("main form.card button[type=submit]")
    newcomer.wait_for_url("**/akun/sandi/selesai/")
    login(newcomer, "rahmat.dinkes", password="Mahakam-Tenggarong-58", then="/petugas/")
    assert "Rahmat Hidayat" in newcomer.inner_text("#signed-in-as")

    # Deactivating asks first; Batal keeps the account, the button deactivates it.
    page.goto("/petugas/pengguna/?q=petugas.dinkes")
    page.click("#officers a:has-text('petugas.dinkes')")
    page.click("#officer-deactivate-link")
    assert page.inner_text("h1") == "Nonaktifkan akun?"
    check_page(page, "officers-04-deactivate-confirm")
    page.click("#officer-confirm a:has-text('Batal')")
    assert get_user_model().objects.get(pk=officer.pk).is_active
    page.click("#officer-deactivate-link")
    page.click("#officer-confirm button[type=submit]")
    page.wait_for_url(f"**/petugas/pengguna/{officer.pk}/")
    assert "nonaktif" in page.inner_text("#officer-state")
    assert not get_user_model().objects.get(pk=officer.pk).is_active
    assert Membership.objects.filter(user=officer).exists()  # the roles stay, for the history
    assert page_width(page) <= PHONE["width"]

    # The deactivated officer cannot sign in.
    gone = new_page(viewport=PHONE)
    gone.goto("/masuk/")
    gone.fill("#id_username", "petugas.dinkes")
    gone.fill("#id_password", "pw-Secret-1")
    gone.click("main button[type=submit]")
    gone.wait_for_load_state("load")
    assert "/masuk/" in gone.url and gone.locator("#signed-in-as").count() == 0
