"""The PPID's registers (Perki SLIP): the rows counted by hand on a seeded year, the same rows in every printed
format, who sees which rows, the filters, paging, and a fixed number of queries whatever the year's size.

The seeded year (2026 calendar, every act done through the services with time frozen):

DINKES  R1 web, 2 Feb 09:00, granted 4 Feb → 2 working days; a keberatan on ground d is filed and still open.
        R2 by letter, no e-mail, pickup: partially granted 13 Feb → 9 wd; the notice waits in the letters to deliver
           and is handed over on 16 Feb.
        R3 web, 4 Feb, extended 13 Feb, refused on Pasal 17 letter h on 2 Mar → 16 wd; keberatan dismissed by the
           Atasan PPID on 16 Mar and taken to the Komisi Informasi on 18 Mar.
        R4 web, 3 Feb, forwarded to DPUPR on 4 Feb, answered there not held on 6 Feb.
        R5 web, 9 Mar, not documented 11 Mar → 2 wd; keberatan upheld by PPID Utama (on the Atasan's behalf).
        R6 web, 15 Jun, still open (Diterima).
        one request of 2025, in no 2026 register.
"""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opd_app.models import Role
from opd_app.services import officer_create
from ppid_portal.clock import WITA
from requests_app.models import CaseEvent, EventKind, LetterDelivery, Objection
from requests_app.selectors.registers import (
    OBJECTION_COLUMNS,
    REQUEST_COLUMNS,
    RegisterFilters,
    objection_register_objections,
    objection_register_rows,
    request_register_cases,
    request_register_rows,
)
from requests_app.services.actions import case_answer, case_extend, case_forward
from requests_app.services.deliveries import letter_handover
from requests_app.services.intake import request_record, request_submit
from requests_app.services.objections import objection_answer, objection_file, objection_refer
from tests.conftest import dik_entry_make, pdf_text, png_bytes, request_data


def at(m, d, hh=9, mm=0, y=2026):
    return dt.datetime(y, m, d, hh, mm, tzinfo=WITA)


def _submit(opds, moment, opd="DINKES", **overrides):
    data = request_data(**overrides)
    data.pop("opd")
    with time_machine.travel(moment, tick=False):
        upload = SimpleUploadedFile("ktp.png", png_bytes(), content_type="image/png")
        return request_submit(opd=opds[opd], data=data, identity_document=upload).case


def _at(moment, fn, **kw):
    with time_machine.travel(moment, tick=False):
        return fn(**kw)


@pytest.fixture
def year(opds, calendar, officer, atasan, other_officer, admin_utama):
    atasan.first_name, atasan.last_name = "Andi", "Pratama"
    atasan.save(update_fields=["first_name", "last_name"])
    dinkes = opds["DINKES"]
    dinkes.head_title = "Kepala Dinas Kesehatan"
    dinkes.save(update_fields=["head_title"])
    c = {}
    c[1] = _submit(opds, at(2, 2), name="Rina Satu")
    c[1] = _at(at(2, 4, 14), case_answer, case=c[1], actor=officer, decision="granted")
    data = request_data(name="Budi Surat", email="", phone="081299990000", delivery_method="pickup",
                        obtain_method="copy", copy_format="hardcopy")
    data.pop("opd")
    with time_machine.travel(at(2, 2, 10), tick=False):
        c[2] = request_record(opd=dinkes, data=data, recorded_by=officer, channel="letter").case
    dik = dik_entry_make(dinkes, decided_on=dt.date(2025, 6, 2), valid_until=dt.date(2028, 6, 30))
    c[2] = _at(at(2, 13, 15), case_answer, case=c[2], actor=officer, decision="partially_granted",
               note="Sebagian data belum tersedia.", cost_note="Rp 5.000 fotokopi", dik=dik.pk,
               withheld="Nama pasien pada rekapitulasi.")
    notice = LetterDelivery.objects.get(case=c[2], letter="notice")
    _at(at(2, 16, 10), letter_handover, delivery=notice, actor=officer, delivered_at=at(2, 16, 10),
        method="in_person", recipient_name="Budi Surat")
    c[3] = _submit(opds, at(2, 4, 10), name="Citra Tiga")
    c[3] = _at(at(2, 13), case_extend, case=c[3], actor=officer, reason="Informasi tersebar di beberapa bidang.")
    c[3] = _at(at(3, 2, 10), case_answer, case=c[3], actor=officer, decision="rejected_exempt", dik=dik.pk)
    c[4] = _submit(opds, at(2, 3), name="Dedi Empat")
    c[4] = _at(at(2, 4, 8), case_forward, case=c[4], actor=officer, to_opd=opds["DPUPR"])
    c[4] = _at(at(2, 6, 10), case_answer, case=c[4], actor=other_officer, decision="not_held",
               holder="Balai Wilayah Sungai")
    c[5] = _submit(opds, at(3, 9), name="Eka Lima")
    c[5] = _at(at(3, 11, 10), case_answer, case=c[5], actor=officer, decision="not_documented")
    c[6] = _submit(opds, at(6, 15), name="Fajar Enam")
    c[2025] = _submit(opds, at(12, 1, y=2025), name="Tahun Lalu")
    o = {}
    o[1] = _at(at(2, 10), objection_file, case=c[1], ground="d", reason="Tidak sesuai permintaan.")
    o[3] = _at(at(3, 3), objection_file, case=c[3], ground="a", reason="Penolakan tidak berdasar.")
    o[3] = _at(at(3, 16, 11), objection_answer, objection=o[3], actor=atasan, outcome="dismissed",
               answer="Penolakan sudah sesuai Pasal 17 huruf h.")
    o[3] = _at(at(3, 18), objection_refer, objection=o[3])
    o[5] = _at(at(3, 12), objection_file, case=c[5], ground="e", reason="Informasi tidak diberikan.")
    o[5] = _at(at(3, 20, 9), objection_answer, objection=o[5], actor=admin_utama, outcome="upheld",
               answer="PPID agar mendokumentasikan dan memberikan informasi.")
    return {"cases": c, "objections": o}


def _rows(user, **filters):
    f = RegisterFilters(year=filters.pop("year", 2026), **filters)
    return request_register_rows(user, request_register_cases(user, f))


def _objection_rows(user, **filters):
    f = RegisterFilters(year=filters.pop("year", 2026), **filters)
    return objection_register_rows(user, objection_register_objections(user, f))


def _by_number(rows, key="registration_number"):
    return {r[key]: r for r in rows}


def test_request_register_rows_match_the_hand_count(year, officer, opds):
    c = year["cases"]
    rows = _by_number(_rows(officer, opd=opds["DINKES"]))
    assert set(rows) == {c[n].registration_number for n in (1, 2, 3, 4, 5, 6)}
    r1, r2, r3, r4, r5, r6 = (rows[c[n].registration_number] for n in (1, 2, 3, 4, 5, 6))
    assert (r1["received_on"], r1["channel"], r1["decision_label"], r1["working_days"]) == (
        dt.date(2026, 2, 2), "web", "Dikabulkan seluruhnya", 2)
    assert r1["notice_date"] == dt.date(2026, 2, 4) and not r1["extended"] and not r1["forwarded"]
    assert (r1["name"], r1["contact"]) == ("Rina Satu", "081234567890 / siti@example.org")
    assert r1["handover_label"] == ""  # e-mailed: nothing to hand over
    assert (r2["channel_label"], r2["decision_label"], r2["working_days"]) == ("Surat", "Dikabulkan sebagian", 9)
    assert r2["obtain_label"] == "Mendapatkan salinan (Hardcopy)" and r2["delivery_label"] == "Mengambil langsung"
    assert (r2["notice_handover"], r2["notice_delivered_on"]) == ("delivered", dt.date(2026, 2, 16))
    assert r2["handover_label"] == "Diserahkan 16/02/2026" and r2["cost"] == "Rp 5.000 fotokopi"
    assert r2["contact"] == "081299990000"
    assert (r3["decision"], r3["exemption"], r3["working_days"], r3["extended"]) == ("rejected_exempt", "h", 16, True)
    assert r3["exemption_label"].startswith("h. ") and r3["notice_date"] == dt.date(2026, 3, 2)
    # Both rest on the OPD's DIK entry; the partial grant says what was withheld.
    dik_label = f"Entri nomor {r3['dik_entry']}, ditetapkan 2 Juni 2025, berlaku sampai 30 Juni 2028"
    assert r3["dik_label"] == r2["dik_label"] == dik_label and r3["dik_entry"] == c[3].dik_entry_id
    assert r2["withheld"] == "Nama pasien pada rekapitulasi." and r1["dik_label"] == r1["withheld"] == ""
    assert r4["forwarded"] and r4["forwarded_to"] == ["DPUPR"] and r4["forwarded_label"] == "Ya, ke DPUPR"
    assert r4["decision"] == "not_held" and r4["opd"] == "DPUPR" and r4["registered_opd"] == "DINKES"
    # Forwarded away: the row stays in the registering OPD's register without the requester's identity.
    assert not r4["identity_shown"] and (r4["name"], r4["address"], r4["contact"]) == ("", "", "")
    assert (r5["decision_label"], r5["working_days"]) == ("Informasi belum didokumentasikan", 2)
    assert (r6["status_label"], r6["decision_label"], r6["notice_date"], r6["working_days"]) == (
        "Diterima", "", None, None)


def test_forwarded_request_is_in_the_receiving_opds_register_with_identity(year, other_officer, officer):
    c = year["cases"]
    rows = _by_number(_rows(other_officer))
    assert set(rows) == {c[4].registration_number}
    assert rows[c[4].registration_number]["name"] == "Dedi Empat"


def test_objection_register_rows_match_the_hand_count(year, officer):
    o, c = year["objections"], year["cases"]
    rows = _by_number(_objection_rows(officer), "objection_number")
    assert set(rows) == {o[n].objection_number for n in (1, 3, 5)}
    open_, dismissed, upheld = (rows[o[n].objection_number] for n in (1, 3, 5))
    assert (open_["status_label"], open_["outcome_label"], open_["atasan_name"], open_["disputed"]) == (
        "Diajukan", "", "", False)
    assert open_["ground"] == "d" and open_["registration_number"] == c[1].registration_number
    assert (dismissed["requester"], dismissed["ground_label"][:2]) == ("Citra Tiga", "a.")
    assert (dismissed["outcome_label"], dismissed["answered_on"]) == ("Ditolak", dt.date(2026, 3, 16))
    assert (dismissed["atasan_name"], dismissed["atasan_position"]) == (
        "Andi Pratama", "Kepala Dinas Kesehatan, selaku Atasan PPID")
    assert dismissed["disputed"] and dismissed["referred_on"] == dt.date(2026, 3, 18)
    assert dismissed["dispute_label"] == "Ya, 18/03/2026" and dismissed["purpose"] == "Bahan liputan"
    assert (upheld["outcome_label"], upheld["answered_on"]) == ("Dikabulkan", dt.date(2026, 3, 20))
    assert upheld["atasan_position"] == "a.n. Atasan PPID Dinas Kesehatan, PPID Utama"
    assert upheld["dispute_label"] == "Tidak"


def test_month_and_year_filters(year, officer, opds):
    c = year["cases"]
    assert {r["registration_number"] for r in _rows(officer, month=2)} == {
        c[n].registration_number for n in (1, 2, 3, 4)}
    assert {r["registration_number"] for r in _rows(officer, month=6)} == {c[6].registration_number}
    assert [r["registration_number"] for r in _rows(officer, year=2025)] == [c[2025].registration_number]
    assert {r["objection_number"] for r in _objection_rows(officer, month=3)} == {
        year["objections"][3].objection_number, year["objections"][5].objection_number}


# --- the API --------------------------------------------------------------------------------------------------


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_api_lists_the_register_paged(year, officer, monkeypatch):
    monkeypatch.setattr("requests_app.api.registers.RegisterPagination.page_size", 4)
    client = _api(officer)
    first = client.get("/api/v1/registers/requests/?year=2026&opd=DINKES")
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 6 and len(body["results"]) == 4 and body["next"]
    second = client.get(body["next"]).json()
    numbers = [r["registration_number"] for r in body["results"] + second["results"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 6
    r3 = next(r for r in body["results"] + second["results"]
              if r["registration_number"] == year["cases"][3].registration_number)
    assert (r3["working_days"], r3["extended"], r3["notice_date"]) == (16, True, "2026-03-02")
    objections = client.get("/api/v1/registers/objections/?year=2026").json()
    assert objections["count"] == 3


def test_api_refuses_anonymous_and_citizens(year, django_user_model):
    citizen = django_user_model.objects.create_user("warga", password="pw-Secret-1")
    for url in ("/api/v1/registers/requests/", "/api/v1/registers/objections/"):
        assert _api().get(url).status_code == 401
        assert _api(citizen).get(url).status_code == 403
        assert _api(citizen).get(url + "?format=csv").status_code == 403


def test_another_opds_officer_sees_none_of_its_rows_and_404_asking_for_it(year, other_officer):
    c = year["cases"]
    client = _api(other_officer)
    rows = client.get("/api/v1/registers/requests/?year=2026").json()["results"]
    assert [r["registration_number"] for r in rows] == [c[4].registration_number]  # forwarded to DPUPR
    assert client.get("/api/v1/registers/objections/?year=2026").json()["count"] == 0
    for url in ("/api/v1/registers/requests/?opd=DINKES", "/api/v1/registers/objections/?opd=DINKES",
                "/api/v1/registers/requests/?opd=DINKES&format=pdf", "/petugas/register/?opd=DINKES"):
        response = client.get(url) if url.startswith("/api") else _page(other_officer).get(url)
        assert response.status_code == 404, url
    csv_rows = _csv(client.get("/api/v1/registers/requests/?year=2026&format=csv").content)
    assert [r[0] for r in csv_rows[1:]] == [c[4].registration_number]


def test_utama_sees_every_opd_and_filters_by_one(year, admin_utama):
    client = _api(admin_utama)
    assert client.get("/api/v1/registers/requests/?year=2026").json()["count"] == 6
    assert client.get("/api/v1/registers/requests/?year=2026&opd=DPUPR").json()["count"] == 1
    assert client.get("/api/v1/registers/requests/?year=2026&opd=dinkes").json()["count"] == 6


@pytest.mark.parametrize("query, field", [
    ("year=abc", "year"), ("year=1999", "year"), ("year=99999999999999999999", "year"), ("year=²⁰²⁶", "year"),
    ("month=13", "month"), ("month=0", "month"), ("month=-1", "month"), ("month=x", "month"),
    ("format=docx", "format"), ("format=" + "x" * 5000, "format"),
])
def test_bad_filters_are_400_with_the_field(year, officer, query, field):
    for url in ("/api/v1/registers/requests/", "/api/v1/registers/objections/"):
        response = _api(officer).get(f"{url}?{query}")
        assert response.status_code == 400 and field in response.json(), (url, query)
    page = _page(officer).get(f"/petugas/register/?{query}")
    assert page.status_code == 400 and b'id="register-error"' in page.content


# --- the printed register: the same rows in CSV, XLSX and PDF -------------------------------------------------


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_xlsx_and_pdf_carry_the_same_rows(year, officer):
    from openpyxl import load_workbook

    c, client = year["cases"], _api(officer)
    numbers = sorted(c[n].registration_number for n in (1, 2, 3, 4, 5, 6))
    response = client.get("/api/v1/registers/requests/?year=2026&opd=DINKES&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="register-permohonan-dinkes-2026.csv"' in response["Content-Disposition"]
    table = _csv(response.content)
    assert table[0] == [str(col.heading) for col in REQUEST_COLUMNS]
    by_number = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
    assert sorted(by_number) == numbers
    r3 = by_number[c[3].registration_number]
    assert (r3["Lama menjawab (hari kerja)"], r3["Diperpanjang"], r3["Tanggal diterima"]) == ("16", "Ya", "2026-02-04")
    assert by_number[c[4].registration_number]["Diteruskan"] == "Ya, ke DPUPR"

    xlsx = client.get("/api/v1/registers/requests/?year=2026&opd=DINKES&format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == table[0]
    assert sorted(v[0] for v in values[1:]) == numbers
    x3 = next(v for v in values[1:] if v[0] == c[3].registration_number)
    assert x3[16] == 16 and x3[17] == "Ya" and x3[1].date() == dt.date(2026, 2, 4)
    assert x3[13].startswith("Entri nomor ")  # the DIK entry the refusal rests on

    pdf = client.get("/api/v1/registers/requests/?year=2026&opd=DINKES&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for number in numbers:
        assert number in text
    assert "REGISTER PERMOHONAN INFORMASI PUBLIK" in text.upper() and "DINAS KESEHATAN" in text.upper()
    assert "Hal. 1 / " in text and "Rina Satu" in text and "Tenggarong," in text


def test_objection_register_printed_with_the_atasan(year, atasan):
    from pypdf import PdfReader

    client = _api(atasan)
    table = _csv(client.get("/api/v1/registers/objections/?year=2026&format=csv").content)
    assert table[0] == [str(col.heading) for col in OBJECTION_COLUMNS]
    dismissed = next(r for r in table[1:] if r[0] == year["objections"][3].objection_number)
    assert dismissed[7:] == ["Ditolak", "2026-03-16", "Andi Pratama", "Kepala Dinas Kesehatan, selaku Atasan PPID",
                             "Ya, 18/03/2026"]
    pdf = client.get("/api/v1/registers/objections/?year=2026&format=pdf").content
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = pdf_text(pdf)
    assert "Andi Pratama" in text and year["objections"][5].objection_number in text


def test_pdf_repeats_the_header_on_every_page(opds, calendar, officer):
    for i in range(40):
        _submit(opds, at(2, 2, 9, i), name=f"Pemohon {i}",
                information_requested="Data jumlah puskesmas dan tenaga kesehatan per kecamatan " * 3)
    pdf = _api(officer).get("/api/v1/registers/requests/?year=2026&format=pdf").content
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    for n, page in enumerate(pages, start=1):
        text = " ".join((page.extract_text() or "").split())
        assert "Nomor registrasi" in text and f"Hal. {n} / {len(pages)}" in text


def test_export_headings_in_english_for_an_english_reader(year, officer):
    client = _api(officer)
    table = _csv(client.get("/api/v1/registers/requests/?year=2026&format=csv", HTTP_ACCEPT_LANGUAGE="en").content)
    assert "Registration number" in table[0] and "Nomor registrasi" not in table[0]


# --- the page ---------------------------------------------------------------------------------------------------


def _page(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_page_shows_the_register_as_a_stacked_table_with_download_links(year, officer):
    c = year["cases"]
    response = _page(officer).get("/petugas/register/?year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table id="register" class="stack">' in html and 'data-label="Lama menjawab (hari kerja)"' in html
    assert c[3].registration_number in html and "Citra Tiga" in html and "(ditangani OPD lain)" in html
    for fmt in ("csv", "xlsx", "pdf"):
        assert f"format={fmt}" in html
    download = _page(officer).get("/petugas/register/?year=2026&format=csv")
    assert download.status_code == 200 and len(_csv(download.content)) == 7
    objections = _page(officer).get("/petugas/register/?kind=objections&year=2026").content.decode()
    assert year["objections"][3].objection_number in objections and "Andi Pratama" in objections


def test_page_is_paged_by_100(opds, calendar, officer, monkeypatch):
    monkeypatch.setattr("requests_app.views.registers.REGISTER_PAGE_SIZE", 2)
    for i in range(3):
        _submit(opds, at(2, 2, 9, i))
    first = _page(officer).get("/petugas/register/?year=2026").content.decode()
    second = _page(officer).get("/petugas/register/?year=2026&page=2").content.decode()
    assert "Halaman 1 dari 2" in first and "Halaman 2 dari 2" in second
    assert first.count('<th scope="row"') == 2 and second.count('<th scope="row"') == 1


def test_page_refuses_anonymous_and_citizens(year, django_user_model):
    citizen = django_user_model.objects.create_user("warga", password="pw-Secret-1")
    response = _page().get("/petugas/register/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]
    assert _page(citizen).get("/petugas/register/").status_code == 404
    assert _page(citizen).get("/petugas/register/?format=csv").status_code == 404


# --- a fixed number of queries whatever the year's size ---------------------------------------------------------


def _grow(opds, officer, atasan, n: int, start: int):
    """n requests with an extension event, a forward, a notice to deliver and a keberatan answered and disputed."""
    from requests_app.models import Case

    for i in range(start, start + n):
        case = _submit(opds, at(2, 2, 9, i), name=f"Pemohon {i}")
        now = at(2, 3, 9, i)
        CaseEvent.objects.create(case=case, at=now, kind=EventKind.FORWARDED, actor=officer,
                                 data={"from_opd": "DINKES", "to_opd": "DINKES"})
        Case.objects.filter(pk=case.pk).update(forward_count=1, extended_due_date=dt.date(2026, 2, 25))
        LetterDelivery.objects.create(case=case, opd=case.opd, letter="notice", issued_at=now, due_on=now.date(),
                                      delivered_at=now if i % 2 else None)
        Objection.objects.create(objection_number=f"KEB-DINKES-2026-{i:05d}", case=case, opd=case.opd, ground="c",
                                 reason="Tidak ditanggapi.", status="referred_to_commission", outcome="dismissed",
                                 filed_at=now, received_on=now.date(), due_date=dt.date(2026, 3, 20),
                                 answered_at=now, answered_by=atasan if i % 2 else officer, referred_at=now)


def _count(user, fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_register_queries_do_not_grow_with_the_year(opds, calendar, officer, atasan, monkeypatch):
    monkeypatch.setattr("requests_app.letters.attach_letter", lambda case, name, actor=None: None)
    api = _api(officer)
    api.get("/api/v1/registers/requests/")  # the token's first use
    urls = ["/api/v1/registers/requests/?year=2026", "/api/v1/registers/objections/?year=2026",
            "/api/v1/registers/requests/?year=2026&format=csv", "/api/v1/registers/objections/?year=2026&format=xlsx"]
    _grow(opds, officer, atasan, 3, 0)
    _rows(officer)  # the officer's roles, read once per request
    small = [_count(officer, lambda u=url: api.get(u)) for url in urls]
    small_rows = _count(officer, lambda: _rows(officer)), _count(officer, lambda: _objection_rows(officer))
    _grow(opds, officer, atasan, 6, 3)
    large = [_count(officer, lambda u=url: api.get(u)) for url in urls]
    large_rows = _count(officer, lambda: _rows(officer)), _count(officer, lambda: _objection_rows(officer))
    assert api.get(urls[0]).json()["count"] == 9
    assert small == large
    assert small_rows == large_rows and large_rows[0] <= 4 and large_rows[1] <= 3


def test_every_column_is_a_key_of_the_rows(year, admin_utama):
    rows, objections = _rows(admin_utama), _objection_rows(admin_utama)
    for col in REQUEST_COLUMNS:
        assert col.key in rows[0]
    for col in OBJECTION_COLUMNS:
        assert col.key in objections[0]
    assert {col.key for col in REQUEST_COLUMNS if col.identity} == {"name", "address", "contact", "occupation"}


def test_identity_withheld_in_the_register_of_an_officer_with_both_opds(year, opds):
    """An officer of both OPDs handles the forwarded request now (DPUPR): the identity shows."""
    both = officer_create(username="petugas.dua", opd_code="DINKES", role=Role.PELAKSANA, password="pw-Secret-1",
                          email="dua@example.org")
    from opd_app.models import Membership

    Membership.objects.create(user=both, opd=opds["DPUPR"], role=Role.PELAKSANA)
    rows = _by_number(_rows(both))
    assert rows[year["cases"][4].registration_number]["name"] == "Dedi Empat"


def test_openapi_describes_the_registers_with_their_query_parameters(db):
    from io import StringIO

    import yaml
    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    paths = yaml.safe_load(out.getvalue())["paths"]
    for path in ("/api/v1/registers/requests/", "/api/v1/registers/objections/"):
        get = paths[path]["get"]
        assert {p["name"] for p in get["parameters"]} >= {"year", "month", "opd", "format", "page"}
        assert set(get["responses"]["200"]["content"]) >= {"application/json", "text/csv", "application/pdf"}
