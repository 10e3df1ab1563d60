"""Seeding never undoes what the admins did: seed_opd only creates the missing OPD (--update overwrites on
purpose), and seed_holidays never brings back a day an admin deleted or moved (--restore-deleted does)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from opd_app.models import OPD
from requests_app.models import Holiday, RemovedHoliday
from requests_app.services.holidays import holiday_add, holiday_delete, holiday_update

NEW_YEAR_2026 = dt.date(2026, 1, 1)


def _seed(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_seed_opd_keeps_an_edited_name_and_letterhead_and_update_overwrites(db):
    _seed("seed_opd")
    OPD.objects.filter(code="DINKES").update(name="Dinas Kesehatan Kab. Kukar", address="Jl. Diponegoro No. 1",
                                             head_title="Kepala Dinas Kesehatan dan KB")
    OPD.objects.filter(code="DPUPR").delete()

    assert "1 created, 0 updated" in _seed("seed_opd")
    dinkes = OPD.objects.get(code="DINKES")
    assert (dinkes.name, dinkes.address, dinkes.head_title) == (
        "Dinas Kesehatan Kab. Kukar", "Jl. Diponegoro No. 1", "Kepala Dinas Kesehatan dan KB")
    assert OPD.objects.count() == 28

    assert "0 created, 28 updated" in _seed("seed_opd", "--update")
    dinkes.refresh_from_db()
    assert dinkes.name == "Dinas Kesehatan"
    assert dinkes.address.startswith("Tenggarong")


def test_seed_holidays_keeps_a_deleted_holiday_deleted(db):
    _seed("seed_holidays", "--years", "2026")
    seeded = Holiday.objects.get(date=NEW_YEAR_2026)
    holiday_delete(holiday=seeded)

    out = _seed("seed_holidays", "--years", "2026")
    assert not Holiday.objects.filter(date=NEW_YEAR_2026).exists()
    assert "0 added" in out and "1 deleted by an admin stay deleted" in out

    out = _seed("seed_holidays", "--years", "2026", "--restore-deleted")
    assert "1 added" in out
    assert Holiday.objects.get(date=NEW_YEAR_2026).kind == "national"
    assert not RemovedHoliday.objects.exists()


def test_seed_holidays_keeps_a_moved_holiday_where_the_admin_put_it(db):
    _seed("seed_holidays", "--years", "2026")
    holiday = Holiday.objects.get(date=NEW_YEAR_2026)
    holiday_update(holiday=holiday, date=dt.date(2026, 1, 2), name="Tahun Baru (digeser)", kind=holiday.kind)

    _seed("seed_holidays", "--years", "2026")
    assert not Holiday.objects.filter(date=NEW_YEAR_2026).exists()
    assert Holiday.objects.get(date=dt.date(2026, 1, 2)).name == "Tahun Baru (digeser)"


def test_adding_a_deleted_day_again_by_hand_forgets_its_removal(db):
    _seed("seed_holidays", "--years", "2026")
    holiday_delete(holiday=Holiday.objects.get(date=NEW_YEAR_2026))
    holiday_add(date=NEW_YEAR_2026, name="Tahun Baru Masehi", kind="national")
    assert not RemovedHoliday.objects.exists()
    Holiday.objects.filter(date=NEW_YEAR_2026).delete()  # a row gone without the calendar page (a restore, SQL)
    _seed("seed_holidays", "--years", "2026")
    assert Holiday.objects.filter(date=NEW_YEAR_2026).exists()


@pytest.mark.parametrize("action", ["delete_model", "delete_selected"])
def test_a_deletion_in_the_django_admin_is_remembered_too(admin_utama, action):
    _seed("seed_holidays", "--years", "2026")
    holiday = Holiday.objects.get(date=NEW_YEAR_2026)
    admin_utama.is_staff = admin_utama.is_superuser = True
    admin_utama.save()
    client = Client()
    client.force_login(admin_utama)
    if action == "delete_model":
        response = client.post(f"/django-admin/requests_app/holiday/{holiday.pk}/delete/", {"post": "yes"})
    else:
        response = client.post("/django-admin/requests_app/holiday/", {"action": "delete_selected", "post": "yes",
                                                                "_selected_action": [holiday.pk]})
    assert response.status_code == 302
    assert RemovedHoliday.objects.filter(date=NEW_YEAR_2026).exists()
    _seed("seed_holidays", "--years", "2026")
    assert not Holiday.objects.filter(date=NEW_YEAR_2026).exists()
