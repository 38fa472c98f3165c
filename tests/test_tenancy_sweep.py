"""Rule 1 of DESIGN.md, tried on every URL pattern the project has.

A member of another organization, or no member at all, learns nothing and changes nothing:
every object URL answers 404 exactly as for a missing object.
"""

import pytest

from tests.html import visible_text
from tests.sweep import (
    URL_CASES,
    all_routes,
    routes_with_parameters,
    snapshot,
    tenant_object_routes,
    url_for,
)

pytestmark = pytest.mark.django_db

ORG_ROUTES = [r for r in all_routes() if r.in_organization]


def kwargs_for(route, org):
    return URL_CASES[route.name].make(org) if route.object_params else {}


def missing_kwargs(kwargs):
    return {k: 987654321 if isinstance(v, int) else f"missing-{v}" for k, v in kwargs.items()}


def test_every_url_with_a_parameter_has_a_case_in_the_sweep():
    missing = [r.route for r in routes_with_parameters() if r.name not in URL_CASES]
    assert not missing, f"Add these URL patterns to URL_CASES in tests/sweep.py: {missing}"
    known = {r.name for r in routes_with_parameters()}
    assert set(URL_CASES) <= known, f"Cases for URLs that no longer exist: {set(URL_CASES) - known}"


def test_the_sweep_reads_the_project_urls():
    names = {r.name for r in all_routes()}
    assert {"workspace:home", "accounts:member-role", "login", "healthz"} <= names
    assert {name for name in names if name.startswith("admin:")} == {"admin:login"}


@pytest.mark.parametrize("route", tenant_object_routes(), ids=lambda r: r.name)
def test_an_id_of_another_organization_answers_404(route, client, org, other_org, alice, charlie):
    kwargs = kwargs_for(route, org)
    client.force_login(charlie)
    before = snapshot()
    foreign = url_for(route, org_slug=other_org.slug, **kwargs)
    missing = url_for(route, org_slug=other_org.slug, **missing_kwargs(kwargs))
    statuses = set()
    for method in (client.get, client.post):
        for headers in ({}, {"HX-Request": "true"}):
            response = method(foreign, headers=headers)
            answer_for_missing = method(missing, headers=headers)
            # 405 for a method the view never takes is fine: a missing id gets it too.
            assert response.status_code in (404, 405), f"{method.__name__} {foreign}"
            assert response.status_code == answer_for_missing.status_code
            assert visible_text(response) == visible_text(answer_for_missing)
            statuses.add(response.status_code)
    assert 404 in statuses
    assert snapshot() == before

    # The control: in its own organization, the same id is found.
    client.force_login(alice)
    own = url_for(route, org_slug=org.slug, **kwargs)
    assert client.get(own).status_code != 404
    assert client.post(own).status_code != 404


@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_a_non_member_gets_404_for_every_page_of_an_organization(
    route, client, org, alice, charlie
):
    kwargs = kwargs_for(route, org)
    client.force_login(charlie)
    before = snapshot()
    url = url_for(route, org_slug=org.slug, **kwargs)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_an_unknown_organization_answers_404(route, client, org, charlie):
    kwargs = kwargs_for(route, org)
    client.force_login(charlie)
    url = url_for(route, org_slug="no-such-organization", **kwargs)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(route, client, org, alice):
    kwargs = kwargs_for(route, org)
    before = snapshot()
    url = url_for(route, org_slug=org.slug, **kwargs)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    assert snapshot() == before


def test_the_search_finds_nothing_of_another_organization(client, org, other_org, alice, charlie):
    from tests.factories import CandidateFactory, make_guide, make_job, make_loop

    job = make_job(other_org, title="Bravo Secret Role")
    candidate = CandidateFactory(organization=other_org, name="Zora Bravo", email="zora@b.test")
    make_loop(other_org, job=job, candidate=candidate)
    make_guide(other_org, title="Bravo Secret Guide")
    make_loop(org)
    queries = ("Zora", "zora@b.test", "Bravo Secret", "Secret Guide", "Zora Bravo for")
    client.force_login(alice)
    for query in queries:
        for headers in ({}, {"HX-Request": "true"}):
            page = client.get(f"/o/{org.slug}/search/", {"q": query}, headers=headers)
            assert "Nothing found" in visible_text(page), query
            assert 'role="option"' not in page.text
    # The control: in his own organization, Charlie finds each of them.
    client.force_login(charlie)
    for query in queries:
        assert "Nothing found" not in visible_text(
            client.get(f"/o/{other_org.slug}/search/", {"q": query})
        )
