"""Schemathesis fuzzes every operation of the live OpenAPI document, with a key that may write,
in an organization with data: no answer is a 5xx, none breaks the schema (bounded examples)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from accounts.models import Role
from config.wsgi import application
from tests.api.conftest import make_key
from tests.factories import make_loop, member, reveal, schedule, submit

# The document as the running application serves it (schemathesis asks for it as "localhost").
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def keep_connection():
    """Requests through the WSGI application share the test's transaction, as the test client's
    do: the application must not close the connection at each request's end."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(org, settings, keep_connection):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.API_RATE_LIMIT = 100_000
    for _ in range(2):
        loop = make_loop(org)
        submit(schedule(loop, interviewers=[member(org)]).scorecards.get())
        reveal(loop, by=member(org, Role.HIRING_MANAGER))
    return make_key(org, can_write=True)


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_breaks_its_schema(case, token):
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # No 5xx, and every answer as the document says. Left out: whether a well-formed
        # cursor the API never gave is refused (no schema says which strings are cursors),
        # and whether unknown query parameters are ignored (they are, as most APIs do).
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
            checks.response_headers_conformance,
        ],
    )
    assert response.status_code < 500
