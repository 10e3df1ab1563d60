"""create_officer: the project's password validators, and the utama role only at the PPID Utama's OPD."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from opd_app.models import Membership, Role
from opd_app.services import officer_create


def create(username, *args):
    call_command("create_officer", username, *args, stdout=StringIO())


@pytest.mark.parametrize("password", ["pendek1", "password123", "12345678901", "siti.dinkes.ppid"])
def test_weak_passwords_are_refused(opds, password):
    with pytest.raises(CommandError, match="Password refused"):
        create("siti.dinkes.ppid", "--opd", "DINKES", "--role", "pelaksana", "--password", password)
    assert not get_user_model().objects.filter(username="siti.dinkes.ppid").exists()


def test_password_too_close_to_the_email_is_refused(opds):
    with pytest.raises(CommandError, match="Password refused"):
        create("budi", "--opd", "DINKES", "--role", "pelaksana", "--email", "rahmat.hidayat@example.org",
               "--password", "rahmat.hidayat")


def test_weak_password_from_the_environment_is_refused_for_an_existing_account(officer, monkeypatch):
    monkeypatch.setenv("PPID_OFFICER_PASSWORD", "qwerty")
    with pytest.raises(CommandError, match="Password refused"):
        create("petugas.dinkes", "--opd", "DPUPR", "--role", "pelaksana")
    assert not Membership.objects.filter(user=officer, opd__code="DPUPR").exists()
    assert officer.__class__.objects.get(pk=officer.pk).check_password("pw-Secret-1")


def test_strong_password_creates_the_officer(opds):
    create("siti.dinkes", "--opd", "dinkes", "--role", "pelaksana", "--password", "Tenggarong-Mahakam-93")
    membership = Membership.objects.get(user__username="siti.dinkes")
    assert (membership.opd.code, membership.role) == ("DINKES", Role.PELAKSANA)


def test_utama_role_only_at_the_ppid_utama_opd(opds):
    with pytest.raises(CommandError, match="utama role"):
        create("raja.dinkes", "--opd", "DINKES", "--role", "utama", "--password", "Tenggarong-Mahakam-93")
    assert not get_user_model().objects.filter(username="raja.dinkes").exists()
    create("admin2.utama", "--opd", "DISKOMINFO", "--role", "utama", "--password", "Tenggarong-Mahakam-93")
    assert Membership.objects.get(user__username="admin2.utama").opd.is_ppid_utama


def test_the_service_refuses_utama_elsewhere_too(opds):
    with pytest.raises(ValueError, match="utama role"):
        officer_create(username="raja", opd_code="DPUPR", role=Role.UTAMA, password=None)
    assert not get_user_model().objects.filter(username="raja").exists()
