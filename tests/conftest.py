"""Personas, as healthchecks has them: Alice may, Bob may not, Charlie is from elsewhere.

Tests run with django-scopes switched off so that they can set up and inspect any
organization's rows; every request made through `client` runs as in production, with no
scope until the middleware sets the request's organization.
"""

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled
from xdist.scheduler import LoadFileScheduling

from accounts.models import Role
from tests.factories import OrganizationFactory, member

# Files whose tests pytest-xdist hands out one by one rather than as a whole file: each test is
# long and sets up its own data (the every-page check, one test per role).
ONE_BY_ONE = {"tests/e2e/test_every_page.py"}


class BrowserTestsFirst(LoadFileScheduling):
    """`--dist loadfile` (a file's tests on one worker), except that ONE_BY_ONE's tests go out
    singly, and the longest units of work go out first (ONE_BY_ONE's, then the other browser
    tests, then the rest as xdist orders them, most tests first), so that no worker is left
    running a long one alone at the end while the other idles."""

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return nodeid if path in ONE_BY_ONE else path

    @staticmethod
    def _rank(unit: str) -> int:
        return (
            0 if unit.split("::", 1)[0] in ONE_BY_ONE else 1 if unit.startswith("tests/e2e/") else 2
        )

    def _assign_work_unit(self, node) -> None:
        for unit in sorted(self.workqueue, key=self._rank):
            self.workqueue.move_to_end(unit)
        super()._assign_work_unit(node)


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return BrowserTestsFirst(config, log)
    return None


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
