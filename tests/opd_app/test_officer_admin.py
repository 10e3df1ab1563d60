"""The officer-account pages of PPID Utama admins: a new officer sets their own password from an e-mailed link,
roles follow the utama rule, deactivation locks the account out, the last admin and the admin themselves are
protected, everyone else gets 404, the list pages and searches, and over-long input is a 4xx."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from opd_app.models import Membership, Role
from opd_app.services import officer_create

User = get_user_model()
NEW_PASSWORD = "Mahakam-Tenggarong-58"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(admin_utama):
    return as_user(admin_utama)


def new_officer(admin, **overrides):
    data = {"username": "rahmat.dinkes", "full_name": "Rahmat Hidayat", "email": "rahmat@example.org",
            "opd": "DINKES", "role": Role.PELAKSANA, **overrides}
    return admin.post("/petugas/pengguna/baru/", data)


def follow_link(body: str, password: str) -> Client:
    [link] = re.findall(r"https?://\S+/akun/sandi/\S+/", body)
    client = Client()
    form_url = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])["Location"]
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302 and response["Location"] == "/akun/sandi/selesai/"
    return client


def test_a_new_officer_gets_a_link_sets_a_password_and_signs_in(admin, admin_utama):
    form = admin.get("/petugas/pengguna/baru/").content.decode()
    assert 'name="password' not in form  # the admin never chooses or sees the password
    response = new_officer(admin)
    account = User.objects.get(username="rahmat.dinkes")
    assert response.status_code == 302 and response["Location"] == f"/petugas/pengguna/{account.pk}/"
    assert not account.has_usable_password()
    assert (account.get_full_name(), account.email) == ("Rahmat Hidayat", "rahmat@example.org")
    assert [(m.opd.code, m.role) for m in Membership.objects.filter(user=account)] == [("DINKES", Role.PELAKSANA)]
    [message] = mail.outbox
    assert message.to == ["rahmat@example.org"] and "buat kata sandi" in message.subject
    assert "rahmat.dinkes" in message.body
    detail = admin.get(response["Location"]).content.decode()
    assert "Tautan untuk membuat kata sandi dikirim ke rahmat@example.org" in detail

    follow_link(message.body, NEW_PASSWORD)
    officer = Client()
    assert officer.post("/masuk/", {"username": "rahmat.dinkes", "password": NEW_PASSWORD}).status_code == 302
    assert officer.get("/petugas/").status_code == 200


def test_create_keeps_the_typed_values_and_says_what_is_wrong_beside_the_field(admin, officer):
    response = new_officer(admin, username="petugas.DINKES", full_name="Budi Santoso", email="budi@example.org")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nama pengguna ini sudah dipakai akun lain." in page
    assert 'value="Budi Santoso"' in page and 'value="budi@example.org"' in page
    response = new_officer(admin, email="PETUGAS@example.org")
    assert response.status_code == 400 and "Alamat e-mail ini sudah dipakai akun lain." in response.content.decode()
    assert not User.objects.filter(username="rahmat.dinkes").exists() and mail.outbox == []


def test_the_utama_role_only_at_the_ppid_utama_opd(admin, officer):
    response = new_officer(admin, role=Role.UTAMA)
    assert response.status_code == 400
    assert "hanya diberikan di OPD PPID Utama" in response.content.decode()
    assert not User.objects.filter(username="rahmat.dinkes").exists()

    response = admin.post(f"/petugas/pengguna/{officer.pk}/peran/", {"opd": "DPUPR", "role": Role.UTAMA})
    assert response.status_code == 400 and "hanya diberikan di OPD PPID Utama" in response.content.decode()
    response = admin.post(f"/petugas/pengguna/{officer.pk}/peran/", {"opd": "DPUPR", "role": Role.ATASAN})
    assert response.status_code == 302
    # The same role twice is refused; an officer of two OPDs sees both.
    response = admin.post(f"/petugas/pengguna/{officer.pk}/peran/", {"opd": "DPUPR", "role": Role.ATASAN})
    assert response.status_code == 400 and "sudah memegang peran itu" in response.content.decode()
    assert sorted(Membership.objects.filter(user=officer).values_list("opd__code", "role")) == [
        ("DINKES", Role.PELAKSANA), ("DPUPR", Role.ATASAN)]


def test_removing_a_role_asks_first_and_the_last_role_stays(admin, officer):
    extra = Membership.objects.create(user=officer, opd_id=Membership.objects.get(user=officer).opd_id,
                                      role=Role.ATASAN)
    url = f"/petugas/pengguna/{officer.pk}/peran/{extra.pk}/cabut/"
    assert "Cabut peran?" in admin.get(url).content.decode()
    assert admin.post(url).status_code == 200 and Membership.objects.filter(pk=extra.pk).exists()  # unconfirmed
    assert admin.post(url, {"confirm": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=extra.pk).exists()
    last = Membership.objects.get(user=officer)
    response = admin.post(f"/petugas/pengguna/{officer.pk}/peran/{last.pk}/cabut/", {"confirm": "1"})
    assert response.status_code == 400 and "peran terakhir" in response.content.decode()
    assert Membership.objects.filter(pk=last.pk).exists()


def test_a_deactivated_officer_cannot_sign_in_and_loses_the_session(admin, officer):
    session = as_user(officer)
    assert session.get("/petugas/").status_code == 200
    url = f"/petugas/pengguna/{officer.pk}/nonaktifkan/"
    assert "Nonaktifkan akun?" in admin.get(url).content.decode()
    assert User.objects.get(pk=officer.pk).is_active  # asking changed nothing
    assert admin.post(url, {"confirm": "1"}).status_code == 302
    assert not User.objects.get(pk=officer.pk).is_active
    response = Client().post("/masuk/", {"username": "petugas.dinkes", "password": "pw-Secret-1"})
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
    assert session.get("/petugas/").status_code == 302  # the open session ends too
    # No password link for an inactive account, from the admin or from "Lupa kata sandi?".
    response = admin.post(f"/petugas/pengguna/{officer.pk}/kata-sandi/", {"confirm": "1"})
    assert response.status_code == 400 and mail.outbox == []
    # Reactivated, the password works again.
    assert admin.post(f"/petugas/pengguna/{officer.pk}/aktifkan/", {"confirm": "1"}).status_code == 302
    assert Client().login(username="petugas.dinkes", password="pw-Secret-1")


def test_an_admin_cannot_deactivate_or_demote_themselves(admin, admin_utama):
    officer_create(username="admin2.utama", opd_code="DISKOMINFO", role=Role.UTAMA, password=None,
                   email="admin2@example.org")
    response = admin.post(f"/petugas/pengguna/{admin_utama.pk}/nonaktifkan/", {"confirm": "1"})
    assert response.status_code == 400 and "akun Anda sendiri" in response.content.decode()
    own = Membership.objects.get(user=admin_utama, role=Role.UTAMA)
    Membership.objects.create(user=admin_utama, opd=own.opd, role=Role.ATASAN)
    response = admin.post(f"/petugas/pengguna/{admin_utama.pk}/peran/{own.pk}/cabut/", {"confirm": "1"})
    assert response.status_code == 400 and "sendiri" in response.content.decode()
    assert User.objects.get(pk=admin_utama.pk).is_active and Membership.objects.filter(pk=own.pk).exists()
    assert 'id="officer-deactivate-link"' not in admin.get(f"/petugas/pengguna/{admin_utama.pk}/").content.decode()


def test_the_last_active_utama_admin_stays(opds, admin_utama):
    other = officer_create(username="admin2.utama", opd_code="DISKOMINFO", role=Role.UTAMA, password=None,
                           email="admin2@example.org")
    # admin2 may deactivate admin.utama while both are active; then admin.utama is the one left to protect.
    second = as_user(other)
    assert second.post(f"/petugas/pengguna/{admin_utama.pk}/nonaktifkan/", {"confirm": "1"}).status_code == 302
    superuser = User.objects.create_superuser("root", "root@example.org", "pw-Secret-1")
    root = as_user(superuser)
    response = root.post(f"/petugas/pengguna/{other.pk}/nonaktifkan/", {"confirm": "1"})
    assert response.status_code == 400 and "Admin PPID Utama aktif terakhir" in response.content.decode()
    assert User.objects.get(pk=other.pk).is_active
    membership = Membership.objects.get(user=other)
    Membership.objects.create(user=other, opd=membership.opd, role=Role.ATASAN)
    response = root.post(f"/petugas/pengguna/{other.pk}/peran/{membership.pk}/cabut/", {"confirm": "1"})
    assert response.status_code == 400 and Membership.objects.filter(pk=membership.pk).exists()


def test_the_admin_sends_a_reset_link_after_confirming(admin, officer):
    url = f"/petugas/pengguna/{officer.pk}/kata-sandi/"
    assert "Kirim tautan kata sandi?" in admin.get(url).content.decode() and mail.outbox == []
    assert admin.post(url, {"confirm": "1"}).status_code == 302
    [message] = mail.outbox
    assert message.to == ["petugas@example.org"]
    assert User.objects.get(pk=officer.pk).check_password("pw-Secret-1")  # the old one works until a new is set
    follow_link(message.body, NEW_PASSWORD)
    assert Client().login(username="petugas.dinkes", password=NEW_PASSWORD)


@pytest.mark.parametrize("who", ["officer", "atasan", "other_officer", "citizen"])
@pytest.mark.parametrize("path", ["", "baru/", "{pk}/", "{pk}/nonaktifkan/", "{pk}/kata-sandi/", "{pk}/aktifkan/"])
def test_everyone_but_utama_gets_404(request, who, path, officer):
    user = (User.objects.create_user("warga", "warga@example.org", "pw-Secret-1") if who == "citizen"
            else request.getfixturevalue(who))
    url = "/petugas/pengguna/" + path.format(pk=officer.pk)
    client = as_user(user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert User.objects.get(pk=officer.pk).is_active and mail.outbox == []
    assert Client().get(url)["Location"].startswith("/masuk/")


def test_a_citizen_account_is_not_an_officer_account(admin, db):
    citizen = User.objects.create_user("warga", "warga@example.org", "pw-Secret-1")
    assert admin.get(f"/petugas/pengguna/{citizen.pk}/").status_code == 404
    assert admin.post(f"/petugas/pengguna/{citizen.pk}/nonaktifkan/", {"confirm": "1"}).status_code == 404
    assert User.objects.get(pk=citizen.pk).is_active


def test_the_list_pages_by_fifty_and_searches(admin, admin_utama):
    for i in range(60):
        officer_create(username=f"petugas{i:02d}", opd_code="DINKES", role=Role.PELAKSANA, password=None,
                       email=f"p{i}@example.org", full_name=f"Petugas Nomor{i:02d}")
    officer_create(username="siti.dpupr", opd_code="DPUPR", role=Role.ATASAN, password=None,
                   email="siti@example.org", full_name="Siti Rahmawati")
    User.objects.create_user("warga", "warga@example.org", "pw-Secret-1")  # no role: not listed
    first = admin.get("/petugas/pengguna/").content.decode()
    assert first.count('data-label="Nama pengguna"') == 50 and "Halaman 1 dari 2" in first
    second = admin.get("/petugas/pengguna/?page=2").content.decode()
    assert second.count('data-label="Nama pengguna"') == 12 and "warga" not in second
    for bad in ("0", "abc", "99999999999999999999", "²"):
        assert admin.get(f"/petugas/pengguna/?page={bad}").status_code == 200
    found = admin.get("/petugas/pengguna/?q=siti rahma").content.decode()
    assert found.count('data-label="Nama pengguna"') == 1 and "Atasan PPID — DPUPR" in found
    assert admin.get("/petugas/pengguna/?q=SITI.DPUPR").content.decode().count('data-label="Nama pengguna"') == 1
    assert "Tidak ada petugas yang cocok" in admin.get("/petugas/pengguna/?q=tidakada").content.decode()


def test_the_menu_offers_the_page_to_utama_only(admin, officer):
    assert 'href="/petugas/pengguna/"' in admin.get("/").content.decode()
    assert 'href="/petugas/pengguna/"' not in as_user(officer).get("/").content.decode()


@pytest.mark.parametrize(("field", "value"), [
    ("username", "x" * 151), ("full_name", "x" * 151), ("email", "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".id"),
    ("opd", "X" * 300), ("role", "x" * 300),
])
def test_overlong_input_is_a_400_beside_the_field(admin, field, value):
    response = new_officer(admin, **{field: value})
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not User.objects.filter(email="rahmat@example.org").exists()


def test_an_overlong_search_is_a_400_with_a_message(admin):
    response = admin.get("/petugas/pengguna/?q=" + "x" * 201)
    assert response.status_code == 400 and "200" in response.content.decode()
