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


@pytest.mark.parametrize("role", [Role.INTERVIEWER, Role.HIRING_MANAGER])
def test_the_search_finds_nothing_the_member_may_not_open(role, client, org):
    """A loop the member is not on, of a job they do not manage: neither its candidate, nor
    the loop, nor the job; and no guide for an interviewer, who builds none."""
    from django_scopes import scopes_disabled

    from tests.factories import CandidateFactory, make_guide, make_job, make_loop, schedule
    from tests.html import visible_text

    viewer = member(org, role)
    job = make_job(org, title="Quartz Role")
    with scopes_disabled():
        candidate = CandidateFactory(organization=org, name="Quill Other", email="quill@a.test")
    loop = make_loop(org, job=job, candidate=candidate)
    schedule(loop, interviewers=[member(org)])
    mine = make_loop(org, job=make_job(org, title="Own Role", hiring_manager=viewer))
    schedule(mine, interviewers=[viewer])
    make_guide(org, title="Quartz Guide")
    client.force_login(viewer)
    queries = ["Quill", "quill@a.test", "Quartz Role", "Quill Other for"]
    if role == Role.INTERVIEWER:
        queries.append("Quartz Guide")
    for query in queries:
        for headers in ({}, {"HX-Request": "true"}):
            page = client.get(f"/o/{org.slug}/search/", {"q": query}, headers=headers)
            assert "Nothing found" in visible_text(page), query
    # The control: their own loop is found.
    with scopes_disabled():
        name = mine.candidate.name
    assert name in visible_text(client.get(f"/o/{org.slug}/search/", {"q": name}))
