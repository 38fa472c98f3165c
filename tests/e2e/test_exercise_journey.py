"""A take-home from sending to the technical interview: the recruiter sends it, the candidate
hands in on a phone, the reviewer scores it with a note for the next interviewers, and the
technical interviewer's kit shows the hand-in and the note before she scores."""

import pytest
from django.db.models import F
from playwright.sync_api import expect

from accounts.models import Role
from exercises.models import Exercise
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    OrganizationFactory,
    make_loop,
    member,
    schedule,
)

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Ask why the retry loop has no ceiling."
REPO = "https://git.example.com/marie/ingest"


@pytest.fixture
def people(transactional_db):
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    riley = member(org, Role.RECRUITER, email="riley@acme.test", full_name="Riley Recruiter")
    ada = member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, email="grace@acme.test", full_name="Grace Hopper")
    loop = make_loop(org, candidate=CandidateFactory(organization=org, name="Marie Curie"))
    # This loop's guide runs its take-home first, then the interviews.
    stages = loop.guide_version.stages
    take_home = stages.get(kind="take_home")
    stages.exclude(pk=take_home.pk).update(position=F("position") + 1)
    stages.filter(pk=take_home.pk).update(position=0)
    technical = schedule(loop, stage=stages.exclude(pk=take_home.pk).first(), interviewers=[grace])
    return {"riley": riley, "ada": ada, "grace": grace, "loop": loop, "technical": technical}


def test_a_take_home_from_sending_to_the_technical_interview(browser, live_server, log_in, people):
    loop, base = people["loop"], live_server.url
    recruiter = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(recruiter, "riley@acme.test", PASSWORD)
    recruiter.goto(f"{base}/o/acme/loops/{loop.pk}/")
    recruiter.get_by_role("link", name="Send the exercise").click()
    expect(recruiter.get_by_role("heading", name="What the candidate receives")).to_be_visible()
    recruiter.get_by_label("Ada Lovelace").check()
    recruiter.get_by_role("button", name="Send the exercise").click()
    expect(recruiter.get_by_text("is sent to Marie Curie")).to_be_visible()
    expect(recruiter.get_by_text("Sent", exact=True)).to_be_visible()

    exercise = Exercise.objects.get(interview__loop=loop)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{base}/exercise/{exercise.token()}/")
    expect(phone.get_by_role("heading", name="The exercise")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_label("Repository link").fill(REPO)
    phone.get_by_label("Note").fill("Run `make test` first.")
    phone.get_by_role("button", name="Hand in").click()
    expect(phone.get_by_text("Received, thank you.")).to_be_visible()
    expect(phone.get_by_text(REPO)).to_be_visible()
    phone.screenshot(path="/tmp/issue-18-candidate-390.png", full_page=True)

    reviewer = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(reviewer, "ada@acme.test", PASSWORD)
    reviewer.goto(f"{base}/o/acme/interviews/{exercise.interview_id}/")
    expect(reviewer.get_by_role("link", name=REPO)).to_be_visible()
    expect(reviewer.get_by_role("heading", name="Evaluation criteria")).to_be_visible()
    expect(reviewer.get_by_text("Run `make test` first.")).to_be_visible()
    # She scores it against the evaluation criteria, leaves a note for the next interviewers
    # and submits.
    reviewer.get_by_role("radio", name="Code: solid").check()
    reviewer.get_by_role("radio", name="Hire", exact=True).check()
    reviewer.locator("#id_summary").fill("Solid work.")
    reviewer.get_by_label("For the next interviewers").fill(NOTE)
    expect(reviewer.get_by_text("All changes saved")).to_be_visible()
    reviewer.get_by_role("button", name="Submit feedback").click()
    expect(reviewer.get_by_text("Your feedback is submitted.")).to_be_visible()
    card = exercise.interview.scorecards.get(interviewer=people["ada"])
    assert card.is_submitted and card.next_note == NOTE

    # The recruiter's loop page says it was reviewed.
    recruiter.goto(f"{base}/o/acme/loops/{loop.pk}/")
    expect(recruiter.get_by_text("Reviewed", exact=True)).to_be_visible()

    technical = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(technical, "grace@acme.test", PASSWORD)
    technical.goto(f"{base}/o/acme/interviews/{people['technical'].pk}/")
    handoff = technical.locator(".handoff")
    expect(handoff.get_by_role("link", name=REPO)).to_be_visible()
    expect(handoff.get_by_text(NOTE)).to_be_visible()
    expect(handoff.get_by_text("Ada Lovelace")).to_be_visible()
    technical.screenshot(path="/tmp/issue-18-technical-kit-1280.png", full_page=True)
    expect(technical.get_by_text("Solid work.")).to_have_count(0)
