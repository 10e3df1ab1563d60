"""Citizens may register; filing needs no account; an account keeps the history of its own requests only."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from requests_app.models import Case
from tests.conftest import png_bytes, request_data


def signup(client, username="warga1", email="warga1@example.org"):
    return client.post("/daftar/", {"username": username, "first_name": "Warga Satu", "email": email,
                                    "password1": "Kukar-Tenggarong-77", "password2": "Kukar-Tenggarong-77"})


def test_signup_logs_in_and_own_requests_are_listed(opds, calendar):
    client = Client()
    response = signup(client)
    assert response.status_code == 302 and response["Location"] == "/permohonan-saya/"
    data = request_data()
    data["identity_document"] = SimpleUploadedFile("k.png", png_bytes(), content_type="image/png")
    assert client.post("/permohonan/baru/", data).status_code == 302
    case = Case.objects.get()
    assert case.requester_user.username == "warga1"
    page = client.get("/permohonan-saya/").content.decode()
    assert case.registration_number in page
    # Without the tracking code, the account holder still sees its own case.
    assert client.get(f"/lacak/{case.registration_number}/").status_code == 200

    other = Client()
    signup(other, "warga2", "warga2@example.org")
    assert case.registration_number not in other.get("/permohonan-saya/").content.decode()
    assert other.get(f"/lacak/{case.registration_number}/").status_code == 302


def test_signup_rejects_duplicate_email(opds):
    signup(Client())
    response = signup(Client(), "lain", "WARGA1@example.org")
    assert response.status_code == 400
    assert "sudah terdaftar" in response.content.decode()


def test_login_routes_officers_to_queue_and_citizens_to_their_requests(officer, opds):
    client = Client()
    response = client.post("/masuk/", {"username": "petugas.dinkes", "password": "pw-Secret-1"}, follow=True)
    assert response.redirect_chain[-1][0] == "/petugas/"
    signup(Client())
    citizen = Client()
    response = citizen.post("/masuk/", {"username": "warga1", "password": "Kukar-Tenggarong-77"}, follow=True)
    assert response.redirect_chain[-1][0] == "/permohonan-saya/"
    assert citizen.get("/petugas/").status_code == 404


def test_signups_are_throttled_per_client(opds, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "ppid_submit": "2/hour"}}
    codes = [signup(Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"), f"warga{i}", f"warga{i}@example.org").status_code
             for i in range(3)]
    assert codes == [302, 302, 429]
