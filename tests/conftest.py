"""Personas, as healthchecks has them: Alice may, Bob may not, Charlie is from elsewhere.

Tests run with django-scopes switched off so that they can set up and inspect any
organization's rows; every request made through `client` runs as in production, with no
scope until the middleware sets the request's organization.
"""

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from accounts.models import Role
from tests.factories import OrganizationFactory, member


class ProductionScopeClient(Client):
    def request(self, **request):
        with scope():
            return super().request(**request)


@pytest.fixture(autouse=True)
def _scopes_off_in_tests():
    with scopes_disabled():
        yield


@pytest.fixture
def client():
    return ProductionScopeClient()


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Alpha", slug="alpha")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Bravo", slug="bravo")


@pytest.fixture
def alice(org):
    """The admin of Alpha: may do everything in it."""
    return member(org, Role.ADMIN, email="alice@alpha.test", full_name="Alice Admin")


@pytest.fixture
def bob(org):
    """An interviewer in Alpha: a member who may not manage it."""
    return member(org, Role.INTERVIEWER, email="bob@alpha.test", full_name="Bob Interviewer")


@pytest.fixture
def charlie(other_org):
    """The admin of Bravo: an outsider to Alpha with every right in his own organization."""
    return member(other_org, Role.ADMIN, email="charlie@bravo.test", full_name="Charlie Outsider")


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread of this process, on the real Redis.

    Its tasks run on their own database connection, so tests that use it see only committed
    rows: hence `transactional_db`.
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker
