"""The header says who is signed in: a name and the role and OPD in short, from the roles a page loads anyway."""

import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opd_app.models import Role


def header_who(response) -> str:
    html = response.content.decode()
    match = re.search(r'<li class="who" id="signed-in-as">(.*?)</li>', html, re.S)
    assert match, "no signed-in line in the header"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_officer_header_names_the_officer_role_and_opd(client, officer):
    officer.first_name, officer.last_name = "Budi", "Santoso"
    officer.save()
    client.force_login(officer)
    assert header_who(client.get("/petugas/")) == "Masuk sebagai Budi Santoso · PPID Pelaksana DINKES"


def test_header_falls_back_to_username_and_names_the_widest_role(client, opds, atasan):
    from opd_app.models import Membership

    Membership.objects.create(user=atasan, opd=opds["DINKES"], role=Role.PELAKSANA)
    client.force_login(atasan)
    assert header_who(client.get("/")) == "Masuk sebagai atasan.dinkes · Atasan PPID DINKES +1"


def test_admin_header_says_ppid_utama_without_an_opd(client, admin_utama):
    client.force_login(admin_utama)
    assert header_who(client.get("/")) == "Masuk sebagai admin.utama · PPID Utama"


def test_citizen_header_says_pemohon_and_english_translates_the_role(opds):
    user = get_user_model().objects.create_user(
        "warga1", "warga1@example.org", "Kukar-Tenggarong-77", first_name="Warga Satu")
    client = Client()
    client.force_login(user)
    assert header_who(client.get("/permohonan-saya/")) == "Masuk sebagai Warga Satu · Pemohon"
    client.cookies["django_language"] = "en"
    # The middleware leaves the request's language active in this thread: put back what was there.
    with translation.override(translation.get_language()):
        assert header_who(client.get("/permohonan-saya/")) == "Signed in as Warga Satu · Requester"


def test_anonymous_header_has_no_signed_in_line(client, opds):
    assert 'id="signed-in-as"' not in client.get("/").content.decode()


def test_roles_and_header_come_from_one_membership_query_per_page(client, officer):
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/petugas/")
    assert response.status_code == 200
    membership = [q["sql"] for q in queries.captured_queries if '"opd_app_membership"' in q["sql"]]
    assert len(membership) == 1, membership
