import pytest
from django.test import Client

from api.keys import create_key
from tests.conftest import ProductionScopeClient


class ApiClient(ProductionScopeClient):
    """A client that sends a key as `Authorization: Bearer`."""

    def __init__(self, token: str | None = None):
        super().__init__(headers={"Authorization": f"Bearer {token}"} if token else {})


def make_key(organization, *, can_write: bool = False) -> str:
    return create_key(organization=organization, name="ATS", can_write=can_write, user=None)[1]


@pytest.fixture
def api(org) -> Client:
    """A read key of Alpha."""
    return ApiClient(make_key(org))


@pytest.fixture
def outsider_api(other_org) -> Client:
    """A read key of Bravo: every one of Alpha's objects is 404 to it."""
    return ApiClient(make_key(other_org))
