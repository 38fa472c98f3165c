"""Interviewer training in the browser: the hiring manager seats a member as a shadow, the
shadow scores and submits, then reads how their scores compare with the panel's; the debrief's
tallies count the panel only."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from candidates.models import Interview
from scorecards.models import Scorecard
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    OrganizationFactory,
    make_job,
    make_loop,
    member,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def loop(transactional_db):
    """Marie Curie's loop, nothing scheduled yet; Hedy hires, Ada interviews, Grace trains."""
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    hedy = member(org, Role.HIRING_MANAGER, email="hm@acme.test", full_name="Hedy Lamarr")
    member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    member(org, Role.INTERVIEWER, email="grace@acme.test", full_name="Grace Hopper")
    job = make_job(org, hiring_manager=hedy)
    return make_loop(org, job=job, candidate=CandidateFactory(organization=org, name="Marie Curie"))


def test_a_shadow_scores_compares_with_the_panel_and_is_left_out_of_the_tallies(
    browser, browser_context_args, live_server, log_in, loop
):
    contexts = []

    def logged_in(email):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        page = context.new_page()
        log_in(page, email, PASSWORD)
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    try:
        # 1. Hedy schedules the first stage, held yesterday: Ada on the panel, Grace shadowing.
        hedy = logged_in("hm@acme.test")
        hedy.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/schedule/")
        yesterday = timezone.localdate() - timedelta(days=1)
        hedy.get_by_label("Stage").select_option(label="Stage 1")
        hedy.get_by_label("Date", exact=True).fill(yesterday.isoformat())
        hedy.get_by_label("Start").fill("10:00")
        hedy.get_by_label("End", exact=True).fill("11:00")
        hedy.get_by_role("group", name="Interviewers").get_by_label("Ada Lovelace").check()
        shadows = hedy.get_by_role("group", name=re.compile("^Shadows"))
        shadows.get_by_label("Grace Hopper").check()
        hedy.get_by_role("button", name="Schedule", exact=True).click()
        anyway = hedy.get_by_role("button", name="Schedule anyway")
        if anyway.count():  # the time has gone by: the page asks once more
            anyway.click()
        expect(hedy).to_have_url(re.compile(rf"/loops/{loop.pk}/$"))
        interview = Interview.objects.get(loop=loop)
        seats = {card.interviewer.email: card.seat for card in interview.scorecards.all()}
        assert seats == {"ada@acme.test": "panel", "grace@acme.test": "shadow"}
        criteria = list(interview.stage.criteria.order_by("position"))
        # Ada's feedback is in: 3 on every criterion, Strong Hire.
        submit(interview.scorecards.get(interviewer__email="ada@acme.test"), recommendation=4)

        # 2. Grace fills the kit as anyone would, told that she is shadowing.
        grace = logged_in("grace@acme.test")
        grace.goto(f"{live_server.url}/o/acme/interviews/{interview.pk}/")
        expect(grace.locator("#shadowing")).to_contain_text("You are shadowing this interview.")
        expect(grace.get_by_role("heading", name="You and the panel")).to_have_count(0)
        for criterion in criteria:
            grace.get_by_role("radio", name=f"{criterion.name}: outstanding").check()
        grace.get_by_role("radio", name="Hire", exact=True).check()
        grace.locator("#id_summary").fill("Clear on pipelines; I would probe judgement.")
        grace.get_by_role("button", name="Submit feedback").click()
        expect(grace.get_by_text("Your feedback is submitted.")).to_be_visible()
        card = Scorecard.objects.get(interviewer__email="grace@acme.test")
        assert card.status == Scorecard.Status.SUBMITTED and card.is_shadow

        # 3. Then she reads her scores beside the panel's: her 4, the mean and Ada's 3 on each.
        comparison = grace.locator("#comparison")
        expect(comparison.get_by_role("heading", name="You and the panel")).to_be_visible()
        expect(comparison.get_by_role("columnheader", name="Ada Lovelace")).to_be_visible()
        for criterion in criteria:
            row = comparison.get_by_role("row").filter(
                has=grace.get_by_role("rowheader", name=criterion.name, exact=True)
            )
            expect(row.get_by_role("cell")).to_have_text(["4", "3.0", "3"])
        expect(comparison).to_contain_text("The panel's recommendations show once the debrief")

        # 4. The debrief counts the panel alone: Grace is listed apart, in no tally.
        hedy.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/debrief/")
        expect(hedy.locator(".debrief-roster")).to_contain_text(
            "Grace Hopper Stage 1, shadowing (not counted)"
        )
        hedy.get_by_role("button", name="Open the discussion").click()
        expect(hedy.get_by_role("button", name="Reveal the recommendations")).to_be_visible()
        hedy.once("dialog", lambda dialog: dialog.accept())
        hedy.get_by_role("button", name="Reveal the recommendations").click()
        expect(hedy.get_by_text("The recommendations are revealed.")).to_be_visible()
        hedy.reload()
        tally = hedy.locator("#recommendations .distribution")
        expect(
            tally.locator(".bar-row").filter(has_text=re.compile(r"^Strong Hire"))
        ).to_contain_text("1")
        expect(tally.locator(".bar-row").filter(has_text=re.compile(r"^Hire"))).to_contain_text("0")
        rows = hedy.locator("#recommendations tbody").get_by_role("row")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Ada Lovelace")
        expect(hedy.locator("#shadow-cards")).to_contain_text("Grace Hopper (shadow)")
    finally:
        for context in contexts:
            context.close()
