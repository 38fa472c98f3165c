"""Rule 5 of DESIGN.md, tried on every URL pattern: bad input gets a clear 4xx, never a 500,
and user text comes back escaped."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_scopes import scope

from accounts.models import Role
from tests.factories import PASSWORD, member
from tests.html import visible_text
from tests.sweep import FORM_CASES, URL_CASES, all_routes, url_for

pytestmark = pytest.mark.django_db

ROUTES = all_routes()
SCRIPT = "<script>alert('rubric')</script>"

# Values every form of the project might receive, each wrong in its own way.
JUNK = {
    "email": "not an address",
    "username": "x" * 300 + "@example.test",
    "password": "",
    "role": "emperor",
    "name": "",
    "full_name": "n" * 5000,
    "company_name": SCRIPT,
    "time_zone": "Mars/Olympus",
    "feedback_due_hours": "-5",
    "reminder_interval_hours": "1e9",
    "password1": "x",
    "password2": "y",
    "new_password1": "\x00",
    "new_password2": "",
    "old_password": "",
    "next": "https://evil.example/",
    "page": "-1",
    "pk": "abc",
}

BIG_ID = 2**70  # beyond any database integer

# Values to put, one at a time, into a form that is otherwise valid.
SPOILERS = [
    "",
    "\x00",
    "line one\nline two",
    "\u202e\u0007bell",
    "x" * 20_000,
    SCRIPT,
    "12345678901234567890",
    "-1",
    "🙂" * 50,
]


def kwargs_for(route, org):
    return URL_CASES[route.name].make(org) if route.object_params else {}


def url_in(route, org):
    slug = {"org_slug": org.slug} if route.in_organization else {}
    return url_for(route, **slug, **kwargs_for(route, org))


def test_every_url_has_a_name_and_every_organization_url_its_slug():
    routes = all_routes()
    assert not [r.route for r in routes if "<unnamed" in r.name]
    assert [r.route for r in routes if r.route.startswith("o/") and not r.in_organization] == []
    assert [r.route for r in routes if r.in_organization and not r.route.startswith("o/")] == []


def test_every_form_case_is_a_url():
    assert set(FORM_CASES) <= {r.name for r in all_routes()}


def clear_error(response) -> bool:
    return response.status_code < 500 and (
        response.status_code < 400 or len(visible_text(response)) > 20
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("persona", ["admin", "interviewer", "anonymous"])
def test_junk_never_gets_a_500(route, persona, client, org, alice):
    if persona != "anonymous":
        client.force_login(alice if persona == "admin" else member(org, Role.INTERVIEWER))
    url = url_for(
        route, **({"org_slug": org.slug} if route.in_organization else {}), **kwargs_for(route, org)
    )
    for headers in ({}, {"HX-Request": "true"}):
        get = client.get(
            url, {"page": "-1", "q": SCRIPT + "\x00", "next": "//evil.example"}, headers=headers
        )
        post = client.post(url, JUNK, headers=headers)
        assert clear_error(get), f"GET {url}: {get.status_code}"
        assert clear_error(post), f"POST {url}: {post.status_code}"
        if post.status_code in (301, 302):
            assert not post.url.startswith(("http", "//")), f"POST {url} redirects off-site"


def raw_url(route, **kwargs) -> str:
    """The route with these values written in as they are, whether or not it would match."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.route)


@pytest.mark.sqlite
@pytest.mark.parametrize("route", [r for r in ROUTES if r.int_params], ids=lambda r: r.name)
def test_an_id_too_large_for_the_database_answers_404(route, client, org, alice):
    """Each id of the URL in turn, the others those of real rows: one past the largest 64-bit
    integer, 2**64, and beyond."""
    client.force_login(alice)
    valid = {"org_slug": org.slug, **kwargs_for(route, org)}
    for name in route.int_params:
        for too_large in (2**63, 2**64, BIG_ID):
            url = raw_url(route, **(valid | {name: too_large}))
            statuses = {client.get(url).status_code, client.post(url).status_code}
            assert 404 in statuses and statuses <= {404, 405}, (url, statuses)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.in_organization], ids=lambda r: r.name)
def test_a_stale_form_gets_a_clear_4xx(route, org, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = url_for(route, org_slug=org.slug, **kwargs_for(route, org))
    with scope():
        response = client.post(url, {"role": "recruiter", "name": "Changed"})
    assert response.status_code == 403
    assert "This form has expired" in response.text


@pytest.mark.parametrize("name", sorted(FORM_CASES))
def test_a_spoiled_field_in_a_valid_form_gets_a_clear_answer(name, client, org, alice):
    tried = post_spoiled(name, SPOILERS, client, org, alice)
    assert tried, f"{name}: no field was spoiled"


@pytest.mark.sqlite
@pytest.mark.parametrize("name", sorted(FORM_CASES))
def test_an_id_too_large_for_the_database_in_any_field_gets_a_clear_answer(
    name, client, org, alice
):
    tried = post_spoiled(name, [str(2**63), f"{2**64},{2**63}"], client, org, alice)
    assert tried, f"{name}: no field was spoiled"


def post_spoiled(name, spoilers, client, org, alice) -> int:
    """Posts the form of `name`, valid but for one field at a time set to each spoiler; answers
    how many spoiled posts were answered clearly."""
    persona, valid_form = FORM_CASES[name]
    route = next(r for r in ROUTES if r.name == name)

    def post(data, headers=None):
        # Each post starts afresh: a new invitation link, no lockout, Alice's own password.
        AccessAttempt.objects.all().delete()
        alice.set_password(PASSWORD)
        alice.save()
        client.logout()
        if persona == "admin":
            client.force_login(alice)
        return client.post(url_in(route, org), data, headers=headers or {})

    control = post(valid_form(org))
    assert control.status_code in (200, 302), f"{name}: the valid form itself fails"
    if control.status_code == 200:
        assert "errorlist" not in control.text, f"{name}: the valid form is not valid"
    tried = 0
    for field in valid_form(org):
        for spoiler in spoilers:
            for headers in ({}, {"HX-Request": "true"}):
                response = post({**valid_form(org), field: spoiler}, headers)
                assert clear_error(response), f"{name}: {field}={spoiler[:20]!r}"
                assert response.status_code != 429, f"{name}: locked out, nothing tested"
                tried += 1
    return tried


def test_an_oversized_post_gets_a_clear_400(client, org, alice):
    client.force_login(alice)
    before = (org.name, org.company_name)
    response = client.post(
        f"/o/{org.slug}/settings/", {"name": "x", "company_name": "y" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 400
    org.refresh_from_db()
    assert (org.name, org.company_name) == before


def test_user_text_is_escaped_on_every_page(client, org, alice):
    client.force_login(alice)
    client.post(
        f"/o/{org.slug}/settings/",
        {
            "name": SCRIPT[:100],
            "company_name": SCRIPT,
            "location": SCRIPT,
            "time_zone": "UTC",
            "feedback_due_hours": "24",
            "reminder_interval_hours": "24",
            "kit_email_hours": "24",
            "paper_size": "a4",
            "stuck_after_days": "7",
            "leniency_minimum": "10",
            "shadows_to_qualify": "2",
        },
    )
    member(org, Role.INTERVIEWER, full_name=SCRIPT, email="x@example.test")
    org.refresh_from_db()
    assert org.name == SCRIPT[:100]
    pages = [
        url_for(route, org_slug=org.slug, **kwargs_for(route, org))
        for route in ROUTES
        if route.in_organization
    ]
    for url in pages:
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # a calendar or a résumé: text as written, read by no browser as a page
        assert "<script>alert" not in response.text, url
    members = client.get(f"/o/{org.slug}/members/").text
    assert re.search(r"&lt;script&gt;alert\(&#x27;rubric&#x27;\)&lt;/script&gt;", members)
