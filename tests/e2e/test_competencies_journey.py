"""A hiring manager links a criterion to the competency it measures in the builder, publishes
the guide, and after the interview reads the candidate's row for that competency in the
debrief, across every stage, the first column in place while the table scrolls."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from guides import versions
from guides.models import Criterion, GuideVersion
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    OrganizationFactory,
    guide_document,
    make_job,
    make_loop,
    member,
    schedule,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 800}}


def test_a_linked_criterion_becomes_the_competencys_row_in_the_debrief(
    page, live_server, log_in, tmp_path
):
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    hedy = member(org, Role.HIRING_MANAGER, email="hm@acme.test", full_name="Hedy Lamarr")
    interviewers = [member(org, Role.INTERVIEWER) for _ in range(10)]
    draft = versions.create_guide(organization=org, document=guide_document(), user=hedy)
    stage = draft.stages.order_by("position").first()
    judgement = Criterion.objects.get(stage=stage, name="Judgement 1")

    log_in(page, "hm@acme.test", PASSWORD)
    page.goto(f"{live_server.url}/o/acme/guides/{draft.guide_id}/edit/stages/{stage.pk}/")
    item = page.locator(f"#criterion-{judgement.pk}")
    item.get_by_label("Measures").select_option(label="Clarity")
    expect(item.locator(".save-state")).to_contain_text("Saved")

    page.goto(f"{live_server.url}/o/acme/guides/{draft.guide_id}/edit/publish/")
    expect(page.get_by_text("2 criteria measure no competency or desired outcome")).to_be_visible()
    page.get_by_label(re.compile(r"Publish with \d+ placeholders? unfilled")).check()
    page.get_by_role("button", name="Publish v1").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()

    # The interviews happen: ten interviewers score stage 1; Judgement 1 from 1 to 4, one 0.
    version = GuideVersion.objects.get(pk=draft.pk)
    job = make_job(org, version=version, hiring_manager=hedy, title="Data Engineer")
    loop = make_loop(org, job=job, candidate=CandidateFactory(organization=org, name="Mae Jemison"))
    interview = schedule(
        loop, interviewers=interviewers, stage=stage, starts_at=timezone.now() - timedelta(days=1)
    )
    for n, card in enumerate(interview.scorecards.order_by("pk")):
        submit(card, score=n % 4 + 1 if n else 0)

    page.goto(f"{live_server.url}/o/acme/loops/{loop.pk}/debrief/")
    page.get_by_role("button", name="Open the discussion").click()
    across = page.locator(".matrix-card", has=page.get_by_role("heading", name="Across stages"))
    clarity = across.locator("tr", has=page.get_by_role("rowheader", name="Clarity"))
    expect(clarity).to_have_count(1)
    # Scores 2, 3, 4, 1, 2, 3, 4, 1, 2 and a 0 left out: a mean of 2.4 over the nine.
    expect(clarity.locator("td.mean")).to_have_text("2.4")
    expect(clarity.locator("td.spread")).to_have_text("3")
    expect(clarity.locator(".score.no-score")).to_have_count(1)

    # The first column stays in place while the table scrolls sideways.
    header = clarity.get_by_role("rowheader")
    before = header.bounding_box()["x"]
    across.locator(".matrix-scroll").evaluate("el => el.scrollLeft = el.scrollWidth")
    assert across.locator(".matrix-scroll").evaluate("el => el.scrollLeft") > 0
    assert abs(header.bounding_box()["x"] - before) < 1
    page.screenshot(path=str(tmp_path / "debrief-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(clarity.locator("td.mean")).to_have_text("2.4")
    page.screenshot(path=str(tmp_path / "debrief-390.png"), full_page=True)
