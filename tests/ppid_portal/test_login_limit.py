"""Failed logins are limited per account and per client on the login page, the admin login and the token
endpoint; past the limit even the right password gets 429."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

PASSWORD = "pw-Secret-1"
SUPER_PASSWORD = "Kukar-Admin-2026!"


@pytest.fixture(autouse=True)
def login_rate(settings):
    settings.PPID_THROTTLE_LOGIN = "3/hour"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root.ppid", "root@example.org", SUPER_PASSWORD)


def page_login(username, password, address="192.0.2.10", **extra):
    return Client(REMOTE_ADDR=address).post("/masuk/", {"username": username, "password": password}, **extra)


def admin_login(username, password, address="192.0.2.10"):
    return Client(REMOTE_ADDR=address).post("/django-admin/login/?next=/django-admin/",
                                            {"username": username, "password": password,
                                             "next": "/django-admin/"})


def token_login(username, password, address="192.0.2.10", **extra):
    return APIClient(REMOTE_ADDR=address).post("/api/v1/auth/token/", {"username": username, "password": password},
                                               format="json", **extra)


def test_login_page_refuses_the_right_password_after_too_many_failures(officer):
    assert [page_login("petugas.dinkes", "salah").status_code for _ in range(3)] == [200, 200, 200]
    response = page_login("petugas.dinkes", PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_login_page_below_the_limit_logs_in(officer):
    page_login("petugas.dinkes", "salah")
    assert page_login("petugas.dinkes", PASSWORD).status_code == 302


def test_account_is_counted_case_folded_across_addresses(officer):
    for i, name in enumerate(["petugas.dinkes", "PETUGAS.DINKES", " Petugas.Dinkes "]):
        assert page_login(name, "salah", address=f"203.0.113.{i}").status_code == 200
    assert page_login("petugas.dinkes", PASSWORD, address="203.0.113.99").status_code == 429


def test_client_is_counted_across_accounts_and_forged_forwarding_headers(officer):
    for i in range(3):
        page_login(f"tebakan{i}", "salah", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert page_login("petugas.dinkes", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77").status_code == 429
    # The account itself is not locked for other clients.
    assert page_login("petugas.dinkes", PASSWORD, address="192.0.2.11").status_code == 302


def test_a_missing_password_is_not_a_failed_login(officer):
    for _ in range(5):
        assert page_login("petugas.dinkes", "").status_code == 200
    assert page_login("petugas.dinkes", PASSWORD).status_code == 302


def test_admin_login_is_limited(superuser):
    for _ in range(3):
        assert admin_login("root.ppid", "salah").status_code == 200
    response = admin_login("root.ppid", SUPER_PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert admin_login("root.ppid", SUPER_PASSWORD, address="192.0.2.11").status_code == 429  # the account


def test_admin_login_below_the_limit_logs_in(superuser):
    admin_login("root.ppid", "salah")
    assert admin_login("root.ppid", SUPER_PASSWORD).status_code == 302


def test_token_endpoint_is_limited(officer):
    assert [token_login("petugas.dinkes", "salah").status_code for _ in range(3)] == [400, 400, 400]
    response = token_login("petugas.dinkes", PASSWORD)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.json()["detail"][0]


def test_token_endpoint_below_the_limit_gives_a_token(officer):
    token_login("petugas.dinkes", "salah")
    response = token_login("petugas.dinkes", PASSWORD)
    assert response.status_code == 200 and response.json()["token"]


def test_token_endpoint_takes_odd_bodies_without_a_5xx(officer):
    api = APIClient()
    assert api.post("/api/v1/auth/token/", [1, 2], format="json").status_code == 400
    assert api.post("/api/v1/auth/token/", {"username": ["x"], "password": 5}, format="json").status_code == 400


def test_one_count_across_page_admin_and_token(officer):
    assert page_login("petugas.dinkes", "salah").status_code == 200
    assert admin_login("petugas.dinkes", "salah").status_code == 200
    assert token_login("petugas.dinkes", "salah").status_code == 400
    assert token_login("petugas.dinkes", PASSWORD, address="192.0.2.50").status_code == 429


def test_login_limit_holds_with_the_cache_server_down(officer, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    assert page_login("petugas.dinkes", PASSWORD).status_code == 302
    assert [token_login("petugas.dinkes", "salah").status_code for _ in range(3)] == [400, 400, 400]
    assert page_login("petugas.dinkes", PASSWORD).status_code == 429
    assert token_login("petugas.dinkes", PASSWORD).status_code == 429
