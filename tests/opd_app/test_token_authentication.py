"""API tokens: the user and their PPID roles in one statement; bad or inactive tokens are 401."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opd_app.authentication import user_with_roles_for_token
from opd_app.models import Membership, Role


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_token_loads_the_user_with_every_role_in_one_query(officer, opds):
    Membership.objects.create(user=officer, opd=opds["DPUPR"], role=Role.ATASAN)
    key = Token.objects.create(user=officer).key
    with CaptureQueriesContext(connection) as ctx:
        user = user_with_roles_for_token(key)
    assert len(ctx.captured_queries) == 1
    assert user.pk == officer.pk and user.username == officer.username
    assert sorted(user._ppid_roles_cache) == sorted(Membership.objects.filter(user=officer).values_list("opd_id",
                                                                                                         "role"))
    assert user_with_roles_for_token("0" * 40) is None


def test_token_of_a_user_without_roles_is_a_citizen(db, django_user_model):
    citizen = django_user_model.objects.create_user("warga", "warga@example.org", "x")
    client = token_client(citizen)
    user = user_with_roles_for_token(citizen.auth_token.key)
    assert user.pk == citizen.pk and user._ppid_roles_cache == []
    assert client.get("/api/v1/cases/").status_code == 403


def test_queue_api_with_a_token_sees_only_its_opd_and_asks_for_roles_no_more(officer, other_officer, submit):
    mine = submit().case
    client = token_client(officer)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/cases/").json()
    assert [r["registration_number"] for r in body["results"]] == [mine.registration_number]
    assert not any("opd_app_membership" in q["sql"] and "authtoken" not in q["sql"] for q in ctx.captured_queries)
    assert token_client(other_officer).get("/api/v1/cases/").json()["count"] == 0


@pytest.mark.parametrize("header", ["Token " + "0" * 40, "Token", "Token a b"])
def test_bad_tokens_are_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_anonymous_api_request_is_401_asking_for_a_token(db):
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_inactive_user_token_is_401(officer):
    client = token_client(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
