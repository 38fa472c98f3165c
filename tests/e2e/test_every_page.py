"""Every page each role can reach, on a phone: nothing scrolls sideways at 390 px, and axe-core
finds no "serious" or "critical" violation of WCAG 2.2 AA.

The pages come from the URL sweeps' machinery (tests/sweep.py): every route of the project,
its parameters filled as the sweeps fill them, in the demo's organization so that lists and
tables have the demo's realistic sizes; plus the pages of the demo's fullest loops, whose
debriefs and kits hold the most. A page counts as reachable by a role when it answers that
role's GET with HTML. Each role has one browser context, and each page is loaded once for both
checks.

One test per role, so that pytest-xdist can run the roles on different workers (tests/conftest.py
hands this file's tests out one by one, before the other files).
"""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from accounts.models import Membership, Organization, Role
from candidates.models import Loop
from demo.data import DEMO_PASSWORD
from tests.sweep import NOT_SWEPT, URL_CASES, all_routes, url_for

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
AXE = Axe()
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}


def sweep_pages(org: Organization) -> list[str]:
    """One URL per route (Django's admin and the API left out, as the sweeps leave them out)."""
    urls = []
    for route in all_routes():
        if route.name.split(":")[0] in NOT_SWEPT:
            continue
        kwargs = URL_CASES[route.name].make(org) if route.object_params else {}
        if route.in_organization:
            kwargs["org_slug"] = org.slug
        urls.append(url_for(route, **kwargs))
    return urls


def demo_pages(org: Organization) -> list[str]:
    """The loop page and debrief of the demo's two loops with the most scorecards (the widest
    debriefs), and the kits of the first."""
    slug = org.slug
    loops = (
        Loop.objects.filter(job__organization=org)
        .annotate(cards=Count("interviews__scorecards"))
        .order_by("-cards", "pk")[:2]
    )
    urls = []
    for loop in loops:
        urls.append(reverse("candidates:loop-detail", args=[slug, loop.pk]))
        urls.append(reverse("debriefs:debrief", args=[slug, loop.pk]))
    for interview in loops[0].interviews.all():
        urls.append(reverse("scorecards:kit", args=[slug, interview.pk]))
    return urls


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())
    return Organization.objects.get(slug="acme")


def problems_on(page, url: str) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    found = [f"{url}: {width} px wide"] if width > PHONE["width"] else []
    for violation in AXE.run(page, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(f"{url}: {violation['id']} ({violation['impact']}) at {targets}")
    return found


def visit(browser, base: str, email: str | None, urls: list[str]) -> tuple[int, list[str]]:
    """Logs in as `email` (no one if None) and checks every page of `urls` that answers HTML."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    if email:
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url)
    reached, problems = 0, []
    for url in dict.fromkeys(urls):
        # Asked first through the context's own requests (same cookies): downloads and the
        # pages a role may not open are left out without the browser opening them.
        answer = context.request.get(base + url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page.goto(base + url)
        reached += 1
        problems += problems_on(page, url)
    context.close()
    return reached, problems


def the_sweeps_interviewer(org: Organization) -> str:
    """The sweeps' interviews are this interviewer's: their kit is among the pages."""
    return Membership.objects.filter(organization=org, role=Role.INTERVIEWER).first().user.email


# Who looks (an e-mail, or how to find it in the demo; None: no one logged in), and how many
# pages each reaches at least: a login that failed would check nothing.
PEOPLE = {
    "admin": ("admin@acme.test", 41),
    "hiring_manager": ("hm@acme.test", 1),
    "recruiter": ("recruiter@acme.test", 1),
    "interviewer": (the_sweeps_interviewer, 6),
    "logged_out": (None, 3),
}


@pytest.mark.parametrize("role", PEOPLE)
def test_every_page_each_role_reaches_fits_a_phone_and_passes_axe(browser, live_server, demo, role):
    urls = sweep_pages(demo) + demo_pages(demo)
    email, at_least = PEOPLE[role]
    if callable(email):
        email = email(demo)
    reached, problems = visit(browser, live_server.url, email, urls)
    assert reached >= at_least, (role, reached)
    assert not problems, "\n".join(f"{role}: {problem}" for problem in problems)
