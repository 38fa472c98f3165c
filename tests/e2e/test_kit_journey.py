"""An interviewer fills in the interview kit: notes saved as they type, scores from the keyboard,
a submit refused while a criterion is missing, then the others' feedback once theirs is in."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from scorecards.models import QuestionNote, Rating, Scorecard
from tests.factories import (
    PASSWORD,
    CandidateFactory,
    OrganizationFactory,
    make_loop,
    member,
    schedule,
    submit,
)

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^All changes saved at \d\d:\d\d")
GRACES_NOTE = "Grace: walked through the Kafka outage calmly, owned the fix."
GRACES_SUMMARY = "Grace's summary: a careful engineer."
QUESTION_NOTE = "Built the billing pipeline; owns the on-call runbook."
CRAFT_NOTE = "Explained idempotent retries without prompting."


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1366, "height": 768}}


@pytest.fixture
def interview(transactional_db):
    """Stage 1 of Marie Curie's loop, held an hour ago; Grace has already submitted hers."""
    org = OrganizationFactory(name="Acme", slug="acme", company_name="Acme Corporation")
    ada = member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, email="grace@acme.test", full_name="Grace Hopper")
    loop = make_loop(org, candidate=CandidateFactory(organization=org, name="Marie Curie"))
    interview = schedule(
        loop, interviewers=[ada, grace], starts_at=timezone.now() - timedelta(hours=1), minutes=45
    )
    graces = submit(
        interview.scorecards.get(interviewer=grace), recommendation=4, summary=GRACES_SUMMARY
    )
    Rating.objects.filter(scorecard=graces).update(note=GRACES_NOTE)
    return interview


def kit_url(live_server, interview):
    return f"{live_server.url}/o/acme/interviews/{interview.pk}/"


def ada_card(interview) -> Scorecard:
    return interview.scorecards.get(interviewer__email="ada@acme.test")


def test_an_interviewer_takes_notes_scores_by_keyboard_and_submits(
    page, live_server, log_in, interview
):
    stage = interview.stage
    craft, judgement = stage.criteria.order_by("position")
    first_question = stage.questions.order_by("position").first()

    log_in(page, "ada@acme.test", PASSWORD)
    page.goto(kit_url(live_server, interview))
    expect(page.get_by_role("heading", name="Stage 1 with Marie Curie")).to_be_visible()
    status = page.locator("[data-save-status]")
    others = page.locator(
        "section", has=page.get_by_role("heading", name="Other feedback in this loop")
    )
    # Grace's feedback is in, but Ada sees none of it before her own.
    expect(others).to_contain_text("stay hidden until you submit your own feedback")
    expect(page.get_by_text(GRACES_NOTE)).to_have_count(0)
    expect(page.get_by_text(GRACES_SUMMARY)).to_have_count(0)
    expect(page.get_by_text("Grace Hopper ·")).to_have_count(0)

    # Notes under a question and on a criterion save as she types.
    question_notes = page.locator(f"#question-{first_question.pk}").get_by_label("Your notes")
    question_notes.fill(QUESTION_NOTE)
    craft_note = page.get_by_label(f"Note on {craft.name}")
    craft_note.fill(CRAFT_NOTE)
    expect(status).to_have_text(SAVED)
    card = ada_card(interview)
    assert QuestionNote.objects.get(scorecard=card, question=first_question).text == QUESTION_NOTE
    assert card.ratings.get(criterion=craft).note == CRAFT_NOTE

    # A reload brings them back.
    page.reload()
    expect(question_notes).to_have_value(QUESTION_NOTE)
    expect(craft_note).to_have_value(CRAFT_NOTE)

    # Scores from the keyboard: a digit picks the anchor, the arrows move between anchors.
    page.get_by_role("radio", name=f"{craft.name}: weak").focus()
    page.keyboard.press("3")
    solid = page.get_by_role("radio", name=f"{craft.name}: solid")
    expect(solid).to_be_checked()
    expect(solid).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=f"{craft.name}: outstanding")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(solid).to_be_checked()
    # Tab leaves the anchors for the criterion's note; digits typed there are text.
    page.keyboard.press("Tab")
    expect(craft_note).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" 2")
    expect(craft_note).to_have_value(f"{CRAFT_NOTE} 2")
    expect(solid).to_be_checked()
    # The recommendation takes 1-4 the same way.
    page.get_by_role("radio", name="Strong No Hire").focus()
    page.keyboard.press("3")
    expect(page.get_by_role("radio", name="Hire", exact=True)).to_be_checked()
    page.locator("#id_summary").fill("Strong on pipelines; judgement still to probe.")
    expect(status).to_have_text(SAVED)
    card.refresh_from_db()
    assert card.recommendation == 3
    assert card.ratings.get(criterion=craft).score == 3
    assert card.ratings.get(criterion=craft).note == f"{CRAFT_NOTE} 2"

    # Submitting with Judgement unscored: the page says where, next to it and at the top.
    page.get_by_role("button", name="Submit feedback").click()
    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_be_focused()
    # Shown from the kit's own address, so that reloading it sends nothing again.
    expect(page).to_have_url(kit_url(live_server, interview) + "#form-errors")
    missing = "Pick a score: 0 if you gathered no information."
    expect(errors.get_by_role("link", name=judgement.name)).to_be_visible()
    expect(errors).to_contain_text(missing)
    expect(errors.get_by_role("link", name=craft.name)).to_have_count(0)
    judgement_box = page.locator(f"#criterion-{judgement.pk}")
    expect(judgement_box).to_have_class(re.compile(r"\bhas-error\b"))
    expect(judgement_box.locator(".errorlist")).to_have_text(missing)
    expect(page.locator(f"#criterion-{craft.pk}")).not_to_have_class(re.compile(r"\bhas-error\b"))
    # What she had is all still there.
    expect(question_notes).to_have_value(QUESTION_NOTE)
    expect(solid).to_be_checked()
    expect(page.get_by_role("radio", name="Hire", exact=True)).to_be_checked()
    assert ada_card(interview).status == Scorecard.Status.DRAFT

    # The link takes her to the criterion; she scores it and sends with Ctrl+Enter.
    errors.get_by_role("link", name=judgement.name).click()
    expect(page).to_have_url(re.compile(rf"#criterion-{judgement.pk}$"))
    page.get_by_role("radio", name=f"{judgement.name}: weak").focus()
    page.keyboard.press("2")
    expect(page.get_by_role("radio", name=f"{judgement.name}: mixed")).to_be_checked()
    # Ctrl+Enter asks first: the submit button says "Submit now?", focused; Escape goes back.
    submit_button = page.locator("button[data-submit]")
    # At once, while the score's autosave is under way: its "saved" waits behind the question.
    page.keyboard.press("Control+Enter")
    expect(submit_button).to_have_text("Submit now?")
    expect(submit_button).to_be_focused()
    question = "Press Ctrl+Enter again, or Enter, to send it"
    expect(status).to_contain_text(question)
    for _ in range(80):  # the save lands while the question stands (it lapses after 6 s)
        if ada_card(interview).ratings.filter(criterion=judgement, score=2).exists():
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError("the score's autosave did not land")
    expect(status).to_contain_text(question)
    page.keyboard.press("Escape")
    expect(status).to_contain_text("All changes saved")
    expect(submit_button).to_have_text("Submit feedback")
    expect(page.get_by_role("radio", name=f"{judgement.name}: mixed")).to_be_focused()
    # Left alone, the question lapses and nothing is sent.
    page.keyboard.press("Control+Enter")
    expect(submit_button).to_have_text("Submit now?")
    expect(submit_button).to_have_text("Submit feedback", timeout=10_000)
    assert ada_card(interview).status == Scorecard.Status.DRAFT
    page.get_by_role("radio", name=f"{judgement.name}: mixed").focus()
    page.keyboard.press("Control+Enter")
    expect(submit_button).to_have_text("Submit now?")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_text("Your feedback is submitted.")).to_be_visible()
    expect(page).to_have_url(kit_url(live_server, interview) + "#mine-heading")
    card = ada_card(interview)
    assert card.status == Scorecard.Status.SUBMITTED
    assert {r.criterion_id: r.score for r in card.ratings.all()} == {craft.pk: 3, judgement.pk: 2}
    assert card.recommendation == 3

    # Her own feedback, read-only with a way to amend it, and now Grace's.
    mine = page.locator("section", has=page.get_by_role("heading", name="Your feedback"))
    expect(mine.get_by_role("link", name="Amend")).to_be_visible()
    expect(mine).to_contain_text("Strong on pipelines; judgement still to probe.")
    expect(page.locator("textarea")).to_have_count(0)
    expect(others).to_contain_text("Grace Hopper")
    # Her ratings and notes; her recommendation waits for the debrief's reveal (rule 3).
    expect(others).to_contain_text("Recommendation sealed")
    expect(others).not_to_contain_text("Strong Hire")
    expect(others.get_by_text(GRACES_NOTE).first).to_be_visible()
    expect(others.get_by_text(GRACES_SUMMARY)).to_be_visible()
    expect(others).not_to_contain_text("stay hidden")


def test_a_save_made_offline_is_retried_once_the_network_is_back(
    page, live_server, log_in, interview
):
    log_in(page, "ada@acme.test", PASSWORD)
    page.goto(kit_url(live_server, interview))
    status = page.locator("[data-save-status]")

    page.route("**/field/", lambda route: route.abort("internetdisconnected"))
    page.locator("#id_summary").fill("Typed on the train.")
    expect(status).to_contain_text("Not saved yet: Rubric could not be reached.")
    expect(page.locator(".save-status")).to_have_attribute("data-state", "error")
    # Only the save status says so; the page-wide error banner stays out of it.
    expect(page.locator("#flash")).to_be_empty()

    page.unroute("**/field/")
    expect(status).to_have_text(SAVED)
    card = ada_card(interview)
    assert card.summary == "Typed on the train."
    assert card.status == Scorecard.Status.DRAFT


def test_a_second_window_does_not_silently_replace_what_the_first_saved(
    page, live_server, log_in, interview
):
    log_in(page, "ada@acme.test", PASSWORD)
    page.goto(kit_url(live_server, interview))
    first = page.context.new_page()
    first.goto(kit_url(live_server, interview))
    first.locator("#id_summary").fill("Written in the first window.")
    expect(first.locator("[data-save-status]")).to_have_text(SAVED)

    # This page loaded before that save: its summary is refused, next to the field.
    page.locator("#id_summary").fill("Written in the second.")
    message = "Not saved: this was changed in another window"
    expect(page.locator('[data-error-for="summary"]')).to_contain_text(message)
    expect(page.locator(".save-status")).to_have_attribute("data-state", "error")
    assert ada_card(interview).summary == "Written in the first window."

    # A field the other window did not touch still saves.
    page.locator(f"#note-{interview.stage.criteria.first().pk}").fill("Calm under pressure.")
    expect(page.locator("[data-save-status]")).to_contain_text(re.compile(r"^Saved at \d\d:\d\d"))
    assert ada_card(interview).ratings.get().note == "Calm under pressure."
