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

    # Tasks that earlier tests queued without a worker to run them.
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        drop_connection_pools(app)  # the worker closed those that requests had opened
        yield worker
    drop_connection_pools(app)


def drop_connection_pools(app):
    """Make the app open its broker connections anew: it keeps its pools once made, and kombu
    keeps producer pools (over those connections) in a registry of its own."""
    import kombu.pools

    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    """Celery's broker unreachable: the app's connections point at a port nobody listens on."""
    from config.celery import app

    working = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    drop_connection_pools(app)
    yield
    app.conf.broker_url = working
    drop_connection_pools(app)
