"""The queries of each list endpoint, pinned and constant in the page's size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import ApiClient, make_key
from tests.factories import make_job, make_loop, member, schedule, submit

LISTS = ["/api/v1/jobs", "/api/v1/candidates", "/api/v1/loops", "/api/v1/scorecards"]


def _loops(org, job, interviewers, count):
    for _ in range(count):
        interview = schedule(make_loop(org, job=job), interviewers=interviewers)
        for card in interview.scorecards.all():
            submit(card)


def _queries(client, url, limit) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"limit": limit}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_costs_the_same_for_a_page_of_2_as_of_40(url, org, django_assert_max_num_queries):
    job, interviewers = make_job(org), [member(org), member(org)]
    _loops(org, job, interviewers, 40)
    client = ApiClient(make_key(org))
    client.get(url)  # the key's first use writes when it was used
    small = _queries(client, url, 2)
    with django_assert_max_num_queries(12):
        large = _queries(client, url, 40)
    assert small == large
