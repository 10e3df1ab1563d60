"""API clients the documents tests share: anonymous and a signed-in PPID Pelaksana officer."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def officer_api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client
