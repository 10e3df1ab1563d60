"""The page where an OPD's Atasan PPID (or PPID Utama) sets who signs the OPD's letters."""

import pytest

from opd_app.models import OPD

URL = "/petugas/opd/DINKES/penanda-tangan/"


@pytest.fixture
def atasan_client(client, atasan):
    client.force_login(atasan)
    return client


def test_atasan_sets_the_signatory_and_the_page_shows_it(atasan_client):
    page = atasan_client.get(URL).content.decode()
    assert "Kosongkan untuk memakai “PPID Pelaksana Dinas Kesehatan”." in page
    response = atasan_client.post(URL, {"title": "Kepala Bidang Informasi selaku PPID Pelaksana",
                                        "name": "  dr. Sri Wahyuni, M.Kes. ", "nip": "19750812  200212 2 004"})
    assert response.status_code == 302 and response.url == URL
    opd = OPD.objects.get(code="DINKES")
    assert (opd.signatory_title, opd.signatory_name, opd.signatory_nip) == (
        "Kepala Bidang Informasi selaku PPID Pelaksana", "dr. Sri Wahyuni, M.Kes.", "19750812 200212 2 004")
    page = atasan_client.get(URL).content.decode()
    assert "Kepala Bidang Informasi selaku PPID Pelaksana<br>" in page and "NIP. 19750812 200212 2 004" in page


def test_a_nip_is_18_digits_and_belongs_to_a_name(atasan_client):
    response = atasan_client.post(URL, {"title": "", "name": "Budi", "nip": "1975-08"})
    assert response.status_code == 400 and "NIP terdiri atas 18 angka." in response.content.decode()
    response = atasan_client.post(URL, {"title": "", "name": "", "nip": "197508122002122004"})
    assert response.status_code == 400 and "Isi nama penanda tangan" in response.content.decode()
    assert OPD.objects.get(code="DINKES").signatory_nip == ""


def test_over_long_values_are_refused(atasan_client):
    response = atasan_client.post(URL, {"title": "x" * 201, "name": "Budi", "nip": ""})
    assert response.status_code == 400
    assert OPD.objects.get(code="DINKES").signatory_title == ""


def test_utama_sets_any_opd_and_an_officer_cannot(client, admin_utama, officer):
    client.force_login(officer)
    assert client.post(URL, {"title": "", "name": "Orang lain", "nip": ""}).status_code == 404
    client.force_login(admin_utama)
    response = client.post("/petugas/opd/DPUPR/penanda-tangan/", {"title": "", "name": "Ir. Andi", "nip": ""})
    assert response.status_code == 302
    assert OPD.objects.get(code="DPUPR").signatory_name == "Ir. Andi"
    assert OPD.objects.get(code="DINKES").signatory_name == ""
