"""The list of exempted information (DIK): a refusal and a partial grant rest on an entry of the case's OPD valid on
the day of the decision, and the written notice quotes it; entries are decided and revised by the OPD's Atasan PPID
and PPID Utama with their history kept; the public list and API; the reminder before an entry ends, once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from rest_framework.test import APIClient

from opd_app.models import Role
from opd_app.services import officer_create
from ppid_portal.clock import WITA
from requests_app.deadlines.dik_expiry import dik_expiry_candidates, dik_expiry_horizon
from requests_app.deadlines.sweep import sweep_run
from requests_app.models import CaseAttachment, DikEntry, DikRevision, Notification, Status
from requests_app.models.dik import DIK_CONSEQUENCE_MAX_LENGTH, DIK_INFORMATION_MAX_LENGTH
from tests.conftest import DIK_CONSEQUENCE, dik_entry_make, pdf_text

WORK_AT = dt.datetime(2026, 3, 16, 9, 0, tzinfo=WITA)  # a Monday

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture(autouse=True)
def _working_day():
    with time_machine.travel(WORK_AT, tick=False):
        yield


@pytest.fixture
def case(submit):
    with time_machine.travel(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WITA), tick=False):
        return submit().case


@pytest.fixture
def foreign_atasan(opds):
    return officer_create(username="atasan.dpupr", opd_code="DPUPR", role=Role.ATASAN, password="pw-Secret-1",
                          email="atasan.dpupr@example.org")


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def answer(user, case, **body):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return api(user).post(f"/api/v1/cases/{case.registration_number}/actions/", {"action": "answer", **body},
                              format="json")


def notice_text(case) -> str:
    notice = case.attachments.get(kind=CaseAttachment.Kind.NOTICE)
    with notice.file.open("rb") as fh:
        return pdf_text(fh.read())


# ------------------------------------------------------------------------------------------- refusals on an entry

def test_a_refusal_without_an_entry_is_400_on_dik(case, officer):
    response = answer(officer, case, decision="rejected_exempt", note="Ditolak.")
    assert response.status_code == 400 and "dik" in response.json()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_refusal_on_an_expired_entry_is_400_on_dik(case, officer, opds):
    expired = dik_entry_make(opds["DINKES"], decided_on=dt.date(2024, 1, 2), valid_until=dt.date(2026, 3, 13))
    response = answer(officer, case, decision="rejected_exempt", dik=expired.pk)
    assert response.status_code == 400
    assert "sudah tidak berlaku sejak 2026-03-14" in response.json()["dik"][0]
    # An entry decided after the day of the decision does not ground it either.
    later = dik_entry_make(opds["DINKES"], decided_on=dt.date(2026, 3, 17), valid_until=dt.date(2030, 1, 1))
    assert answer(officer, case, decision="rejected_exempt", dik=later.pk).status_code == 400
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.dik_entry_id is None


def test_a_refusal_on_another_opds_entry_is_400_on_dik(case, officer, opds):
    foreign = dik_entry_make(opds["DPUPR"])
    response = answer(officer, case, decision="rejected_exempt", dik=foreign.pk)
    assert response.status_code == 400 and "dik" in response.json()


def test_a_refusal_on_a_valid_entry_quotes_it_in_the_notice(case, officer, dik_entry):
    response = answer(officer, case, decision="rejected_exempt", dik=dik_entry.pk, note="Ditolak.")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["decision"], body["exemption"], body["dik_entry"]) == ("rejected_exempt", "h", dik_entry.pk)
    case.refresh_from_db()
    assert case.dik_entry_id == dik_entry.pk and case.consequence_test == DIK_CONSEQUENCE
    text = notice_text(case)
    assert "Pasal 17 huruf h" in text
    assert "UU No. 17 Tahun 2023 tentang Kesehatan, Pasal 4 ayat (1) huruf i" in text  # the legal basis
    assert DIK_CONSEQUENCE in text
    assert "Pengecualian berlaku sampai : 31 Desember 2045" in text
    assert f"entri nomor {dik_entry.pk}" in text


def test_the_case_keeps_the_entrys_values_of_the_day_it_was_refused(case, officer, atasan, dik_entry):
    assert answer(officer, case, decision="rejected_exempt", dik=dik_entry.pk).status_code == 200
    response = api(atasan).patch(f"/api/v1/dik/{dik_entry.pk}/", {"exemption": "a", "consequence": "Baru."},
                                 format="json")
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.exemption, case.consequence_test) == ("h", DIK_CONSEQUENCE)


def test_a_partial_grant_states_what_was_withheld_and_on_which_entry(case, officer, dik_entry):
    response = answer(officer, case, decision="partially_granted", dik=dik_entry.pk, note="Data terlampir.")
    assert response.status_code == 400 and "withheld" in response.json()
    response = answer(officer, case, decision="partially_granted", withheld="Nama pasien per puskesmas.")
    assert response.status_code == 400 and "dik" in response.json()
    response = answer(officer, case, decision="partially_granted", withheld="x" * 2001, dik=dik_entry.pk)
    assert response.status_code == 400 and "withheld" in response.json()
    response = answer(officer, case, decision="partially_granted", withheld="Nama pasien per puskesmas.",
                      dik=dik_entry.pk, note="Data terlampir.")
    assert response.status_code == 200, response.content
    assert response.json()["withheld"] == "Nama pasien per puskesmas."
    case.refresh_from_db()
    text = notice_text(case)
    assert "dikabulkan sebagian" in text
    assert "Informasi yang tidak diberikan : Nama pasien per puskesmas." in text
    assert "Pasal 17 huruf h" in text and DIK_CONSEQUENCE in text and "31 Desember 2045" in text


NEW_ENTRY = {"dik_information": "Data pasien HIV per kecamatan", "exemption": "h",
             "dik_legal_basis": "UU No. 17 Tahun 2023 tentang Kesehatan, Pasal 4", "consequence_test":
             "Membuka data ini mengungkap rahasia pribadi pasien dan memicu stigma; menutupnya lebih bermanfaat.",
             "dik_valid_until": "2029-12-31"}


def test_the_atasan_refuses_on_a_new_entry_recorded_in_the_same_step(case, atasan):
    response = answer(atasan, case, decision="rejected_exempt", **NEW_ENTRY)
    assert response.status_code == 200, response.content
    entry = DikEntry.objects.get()
    assert (entry.opd.code, entry.information, entry.decided_on, entry.valid_until, entry.decided_by) == (
        "DINKES", "Data pasien HIV per kecamatan", dt.date(2026, 3, 16), dt.date(2029, 12, 31), atasan)
    case.refresh_from_db()
    assert case.dik_entry == entry and case.exemption == "h"
    assert "Data pasien HIV per kecamatan" in notice_text(case)


def test_a_pelaksana_picks_an_existing_entry_and_a_bad_new_entry_records_nothing(case, officer, atasan):
    response = answer(officer, case, decision="rejected_exempt", **NEW_ENTRY)
    assert response.status_code == 400 and "Atasan PPID" in response.json()["dik"][0]
    response = answer(atasan, case, decision="rejected_exempt", **{**NEW_ENTRY, "dik_valid_until": "2026-03-16"})
    assert response.status_code == 400 and "dik_valid_until" in response.json()
    assert not DikEntry.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_the_answer_form_offers_the_entries_valid_today_and_the_atasan_a_new_one(case, officer, atasan, opds,
                                                                                 dik_entry):
    expired = dik_entry_make(opds["DINKES"], information="Daftar lama", valid_until=dt.date(2026, 1, 31))
    foreign = dik_entry_make(opds["DPUPR"], information="Dokumen lelang")
    for user, new_entry in ((officer, False), (atasan, True)):
        client = Client()
        client.force_login(user)
        body = client.post(f"/petugas/kasus/{case.registration_number}/aksi/",
                           {"action": "answer", "decision": "rejected_exempt", "step": "decision"}).content.decode()
        assert f'<option value="{dik_entry.pk}">' in body
        assert f'<option value="{expired.pk}">' not in body and f'<option value="{foreign.pk}">' not in body
        assert ('name="dik_information"' in body) is new_entry


# ---------------------------------------------------------------------------------------- deciding and revising

ENTRY = {"opd": "DINKES", "information": "Rekam medis pasien", "exemption": "h",
         "legal_basis": "UU No. 17 Tahun 2023 tentang Kesehatan, Pasal 4", "consequence": DIK_CONSEQUENCE,
         "valid_until": "2030-12-31"}


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 401), ("citizen", 403), ("officer", 403), ("other_officer", 404), ("foreign_atasan", 404),
    ("atasan", 201), ("admin_utama", 201),
])
def test_who_may_add_an_entry(request, who, expected, opds):
    from django.contrib.auth import get_user_model

    user = {"anonymous": None,
            "citizen": lambda: get_user_model().objects.create_user(username="warga", password="pw-Secret-1")}.get(
        who, lambda: request.getfixturevalue(who))
    response = api(user() if user else None).post("/api/v1/dik/", ENTRY, format="json")
    assert response.status_code == expected, response.content
    assert DikEntry.objects.exists() is (expected == 201)
    if expected == 201:
        body = response.json()
        assert (body["opd"], body["decided_on"], body["expired"], body["history"]) == ("DINKES", "2026-03-16",
                                                                                       False, [])


@pytest.mark.parametrize(("who", "expected"), [
    ("anonymous", 401), ("officer", 403), ("other_officer", 404), ("foreign_atasan", 404), ("atasan", 200),
    ("admin_utama", 200),
])
def test_who_may_revise_an_entry(request, who, expected, dik_entry):
    user = request.getfixturevalue(who) if who != "anonymous" else None
    response = api(user).patch(f"/api/v1/dik/{dik_entry.pk}/", {"valid_until": "2046-06-30"}, format="json")
    assert response.status_code == expected, response.content
    dik_entry.refresh_from_db()
    assert (dik_entry.valid_until == dt.date(2046, 6, 30)) is (expected == 200)


def test_two_revisions_keep_the_previous_values_with_who_and_when(dik_entry, atasan, admin_utama):
    with time_machine.travel(dt.datetime(2026, 3, 17, 10, 0, tzinfo=WITA), tick=False):
        assert api(atasan).patch(f"/api/v1/dik/{dik_entry.pk}/", {"legal_basis": "UU 36/2009 Pasal 57"},
                                 format="json").status_code == 200
    with time_machine.travel(dt.datetime(2026, 3, 18, 11, 0, tzinfo=WITA), tick=False):
        response = api(admin_utama).patch(f"/api/v1/dik/{dik_entry.pk}/",
                                          {"valid_until": "2031-12-31", "exemption": "j"}, format="json")
    assert response.status_code == 200
    body = api().get(f"/api/v1/dik/{dik_entry.pk}/").json()
    assert (body["revision"], body["legal_basis"], body["exemption"], body["valid_until"]) == (
        3, "UU 36/2009 Pasal 57", "j", "2031-12-31")
    first, second = body["history"]
    assert (first["number"], first["legal_basis"], first["exemption"], first["valid_until"], first["revised_by"]) == (
        1, "UU No. 17 Tahun 2023 tentang Kesehatan, Pasal 4 ayat (1) huruf i", "h", "2045-12-31", "atasan.dinkes")
    assert first["revised_at"].startswith("2026-03-17T10:00")
    assert (second["number"], second["legal_basis"], second["valid_until"], second["revised_by"]) == (
        2, "UU 36/2009 Pasal 57", "2045-12-31", "admin.utama")
    dik_entry.refresh_from_db()
    assert dik_entry.decided_by == admin_utama
    # The officers' page shows the same history.
    client = Client()
    client.force_login(atasan)
    page = client.get(f"/petugas/dik/{dik_entry.pk}/").content.decode()
    assert "UU 36/2009 Pasal 57" in page and "atasan.dinkes" in page and "admin.utama" in page
    # A revision that changes nothing is refused and leaves no history.
    assert api(atasan).patch(f"/api/v1/dik/{dik_entry.pk}/", {"exemption": "j"}, format="json").status_code == 400
    assert DikRevision.objects.count() == 2


def test_the_officer_pages_add_and_revise_an_entry(atasan, officer, dik_entry):
    client = Client()
    client.force_login(atasan)
    response = client.post("/petugas/dik/baru/", {**ENTRY, "decided_on": "2026-03-16", "valid_until": "2026-03-16"})
    assert response.status_code == 400
    assert "harus sesudah tanggal penetapan" in response.content.decode()
    response = client.post("/petugas/dik/baru/", {**ENTRY, "decided_on": "2026-03-16"})
    assert response.status_code == 302
    entry = DikEntry.objects.exclude(pk=dik_entry.pk).get()
    assert response["Location"] == f"/petugas/dik/{entry.pk}/"
    data = {**ENTRY, "decided_on": "2026-03-16", "valid_until": "2031-01-31"}
    data.pop("opd")
    assert client.post(f"/petugas/dik/{entry.pk}/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.valid_until == dt.date(2031, 1, 31) and entry.revisions.get().valid_until == dt.date(2030, 12, 31)
    # Its PPID Pelaksana reads the entry, without the form.
    reader = Client()
    reader.force_login(officer)
    page = reader.get(f"/petugas/dik/{entry.pk}/").content.decode()
    assert "Rekam medis pasien" in page and 'name="consequence"' not in page
    assert reader.post(f"/petugas/dik/{entry.pk}/", data).status_code == 403
    assert reader.get("/petugas/dik/baru/").status_code == 403


@pytest.mark.parametrize(("field", "value"), [
    ("information", "x" * (DIK_INFORMATION_MAX_LENGTH + 1)), ("legal_basis", "x" * 501),
    ("consequence", "x" * (DIK_CONSEQUENCE_MAX_LENGTH + 1)), ("consequence", "   "), ("exemption", "z"),
    ("valid_until", "2026-03-16"), ("valid_until", "31/12/2030"), ("decided_on", "2026-03-17"),
])
def test_an_entry_over_its_limits_or_without_its_test_is_400(atasan, field, value):
    response = api(atasan).post("/api/v1/dik/", {**ENTRY, field: value}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not DikEntry.objects.exists()


# --------------------------------------------------------------------------------------------- the public list

def test_the_public_list_filters_by_opd_and_validity_and_pages(client, opds, dik_entry):
    for i in range(55):
        dik_entry_make(opds["DPUPR"], information=f"Dokumen penawaran lelang {i}", exemption="b")
    old = dik_entry_make(opds["DINKES"], information="Daftar lama", valid_until=dt.date(2026, 1, 31))
    anonymous = api()
    body = anonymous.get("/api/v1/dik/?opd=dinkes").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert {k: row[k] for k in ("id", "opd", "information", "exemption", "legal_basis", "consequence",
                                "decided_on", "valid_until", "expired")} == {
        "id": dik_entry.pk, "opd": "DINKES", "information": "Rekam medis pasien", "exemption": "h",
        "legal_basis": dik_entry.legal_basis, "consequence": DIK_CONSEQUENCE, "decided_on": "2020-01-02",
        "valid_until": "2045-12-31", "expired": False}
    expired = anonymous.get("/api/v1/dik/?opd=DINKES&validity=expired").json()["results"]
    assert [(r["id"], r["expired"]) for r in expired] == [(old.pk, True)]
    assert anonymous.get("/api/v1/dik/?opd=DINKES&validity=all").json()["count"] == 2
    assert anonymous.get("/api/v1/dik/?validity=never").status_code == 400
    everything = anonymous.get("/api/v1/dik/").json()
    assert everything["count"] == 56 and len(everything["results"]) == 50 and everything["next"]
    assert len(anonymous.get("/api/v1/dik/?page=2").json()["results"]) == 6
    assert anonymous.get("/api/v1/dik/?page=9").status_code == 404

    page = client.get("/dik/?opd=DINKES").content.decode()
    assert "Rekam medis pasien" in page and "Daftar lama" not in page and "Dokumen penawaran" not in page
    assert "Daftar lama" in client.get("/dik/?opd=DINKES&validity=expired").content.decode()
    regency = client.get("/dik/").content.decode()
    assert "Rekam medis pasien" in regency and "Halaman 1 dari 2" in regency
    assert 'href="/dik/?opd=DINKES"' in client.get("/dip/DINKES/").content.decode()


# ------------------------------------------------------------------------------------------- the expiry reminder

def test_the_atasan_is_reminded_30_working_days_before_an_entry_ends_once(opds, atasan, officer,
                                                                          django_capture_on_commit_callbacks):
    # 30 working days after Monday 16 March 2026, over Nyepi, Idul Fitri and their cuti bersama and Good Friday.
    horizon = dik_expiry_horizon(dt.date(2026, 3, 16))
    entry = dik_entry_make(opds["DINKES"], valid_until=horizon + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_run(dt.date(2026, 3, 16))["dik_expiry_reminded"] == 0  # not yet: 31 working days away
    with time_machine.travel(dt.datetime(2026, 3, 17, 9, 0, tzinfo=WITA), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert sweep_run()["dik_expiry_reminded"] == 1
        assert sweep_run()["dik_expiry_reminded"] == 0  # a re-run sends nothing
    rows = Notification.objects.filter(kind="dik_expiry")
    assert [r.recipient_email for r in rows] == ["atasan@example.org"]  # the Atasan, not the PPID Pelaksana
    sent = [m for m in mail.outbox if "Entri DIK" in m.subject]
    assert len(sent) == 1 and f"/petugas/dik/{entry.pk}/" in sent[0].body
    # A revised valid_until that ends soon again owes a new reminder for the new date, once.
    DikEntry.objects.filter(pk=entry.pk).update(valid_until=horizon)
    with time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=WITA), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert sweep_run()["dik_expiry_reminded"] == 1
        assert sweep_run()["dik_expiry_reminded"] == 0
    assert Notification.objects.filter(kind="dik_expiry").count() == 2


@pytest.mark.postgres
def test_the_expiry_window_is_read_through_the_valid_until_index(opds):
    for i in range(20):
        dik_entry_make(opds["DINKES"], information=f"Entri {i}")
    qs = dik_expiry_candidates(dt.date(2026, 3, 16), dt.date(2026, 4, 30))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE requests_app_dikentry")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dik_valid_until_idx" in plan, plan
