"""The roles table of DESIGN.md, tried on every URL of jobs, candidates, loops, debriefs and
reference calls.

An interviewer manages nothing and takes part only in the loops they interview in, and a hiring
manager reaches only the jobs they manage: every such URL answers 403 or 404 to them and
changes nothing.
"""

import pytest

from accounts.models import Role
from tests.factories import member
from tests.sweep import URL_CASES, all_routes, snapshot, url_for

pytestmark = pytest.mark.django_db

# Everyone's own pages, and the interview pages that answer an interviewer of them (tested in
# tests/candidates/test_scheduling.py).
FOR_EVERY_MEMBER = {"scorecards:my-interviews"}

MANAGEMENT_ROUTES = [
    r
    for r in all_routes()
    if r.name.split(":")[0] in {"candidates", "scorecards", "debriefs", "references"}
    and r.name not in FOR_EVERY_MEMBER
]


def test_the_sweep_covers_the_management_urls():
    names = {r.name for r in MANAGEMENT_ROUTES}
    assert {
        "candidates:job-detail",
        "candidates:interview-new",
        "candidates:candidate-erase",
        "debriefs:decision",
        "references:reference-call",
    } <= names


def kwargs_for(route, org):
    return URL_CASES[route.name].make(org) if route.object_params else {}


# A hiring manager opens jobs and adds candidates: the pages without an object are theirs too.
CASES = [(route, Role.INTERVIEWER) for route in MANAGEMENT_ROUTES] + [
    (route, Role.HIRING_MANAGER) for route in MANAGEMENT_ROUTES if route.object_params
]


@pytest.mark.parametrize(("route", "role"), CASES, ids=lambda case: getattr(case, "name", case))
def test_a_member_without_the_right_learns_and_changes_nothing(route, role, client, org):
    url = url_for(route, org_slug=org.slug, **kwargs_for(route, org))
    client.force_login(member(org, role))
    before = snapshot()
    for method in (client.get, client.post):
        for headers in ({}, {"HX-Request": "true"}):
            response = method(url, {"confirm": "erase", "status": "hired"}, headers=headers)
            assert response.status_code in (403, 404, 405), f"{method.__name__} {url}"
    assert snapshot() == before
