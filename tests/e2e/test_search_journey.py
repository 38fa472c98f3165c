"""The header's search as a keyboard user meets it, and the comparison on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    OrganizationFactory,
    make_job,
    make_loop,
    member,
    schedule,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def acme(transactional_db):
    org = OrganizationFactory(name="Acme", slug="acme")
    member(org, Role.ADMIN, email="admin@acme.test", full_name="Avery Admin")
    return org


def test_slash_then_a_part_of_a_name_arrow_down_and_enter_open_the_candidate(
    page, live_server, log_in, acme
):
    ada = CandidateFactory(organization=acme, name="Ada Lovelace")
    CandidateFactory(organization=acme, name="Grace Hopper")
    log_in(page, "admin@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Your day")).to_be_visible()
    page.wait_for_load_state()

    page.keyboard.press("/")
    box = page.get_by_role("combobox", name="Search candidates, jobs, guides and loops")
    expect(box).to_be_focused()
    page.keyboard.type("lovel")
    option = page.get_by_role("option", name="Ada Lovelace")
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option", name="Grace Hopper")).to_have_count(0)

    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/o/acme/candidates/{ada.pk}/")
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()


def test_escape_closes_the_suggestions_and_slash_types_in_a_field(page, live_server, log_in, acme):
    CandidateFactory(organization=acme, name="Ada Lovelace")
    log_in(page, "admin@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/search/")
    page.get_by_label("Name, e-mail or title").fill("a/b")
    expect(page.get_by_label("Name, e-mail or title")).to_have_value("a/b")
    page.get_by_label("Name, e-mail or title").press("Escape")

    box = page.get_by_role("combobox", name="Search candidates, jobs, guides and loops")
    box.click()
    page.keyboard.type("ada")
    expect(page.get_by_role("option", name="Ada Lovelace")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("option", name="Ada Lovelace")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    # Enter with nothing chosen opens the page of every result.
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
    expect(page.get_by_role("link", name="Ada Lovelace")).to_be_visible()


def test_the_comparison_scrolls_in_its_own_box_on_a_phone(page, live_server, log_in, acme):
    job = make_job(acme, title="Backend Developer")
    panel = [member(acme) for _ in range(2)]
    loops = []
    for _ in range(5):
        loop = make_loop(acme, job=job)
        interview = schedule(loop, interviewers=panel, starts_at=timezone.now() - timedelta(1))
        for card in interview.scorecards.all():
            submit(card)
        loops.append(loop)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "admin@acme.test", PASSWORD)
    query = "&".join(f"loop={loop.pk}" for loop in loops)
    page.goto(f"{live_server.url}/o/acme/jobs/{job.pk}/compare/?{query}")
    expect(page.get_by_role("heading", name="Side by side")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    scroll = page.get_by_role("region", name="Comparison table")
    assert scroll.evaluate("el => el.scrollWidth > el.clientWidth")
