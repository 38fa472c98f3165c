"""The debrief as its facilitator and the loop's interviewers use it: phases, the ratings side
by side, the reveal, changed recommendations, shared notes and the decision."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from candidates.models import Loop
from debriefs.models import Debrief, DebriefNote, DecisionAmendment, RecommendationChange
from guides.models import Criterion, Recommendation
from scorecards.models import Rating
from tests.debriefs.conftest import debrief_url
from tests.factories import make_job, member, reveal, schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db

# The page polls for the others' notes through htmx; opened in a browser, the address leads to
# the debrief.
HTMX = {"HX-Request": "true"}


def phase_of(loop):
    debrief = Debrief.objects.filter(loop=loop).first()
    return debrief.phase if debrief else None


def open_discussion(client, loop):
    return client.post(debrief_url(loop, "phase"), {"to": "discussing"})


def decide(client, loop, **fields):
    debrief = Debrief.objects.get(loop=loop)
    data = {
        "revision": str(debrief.revision),
        "decision": "hire",
        "rationale": "Strong on every criterion.",
        "next_steps": "Call the references.",
    }
    return client.post(debrief_url(loop, "decision"), data | fields)


# Taking part


def test_the_facilitator_sees_the_directions_and_whose_feedback_is_missing(
    client, loop, cards, harper
):
    bobs, _ = cards
    submit(bobs)
    client.force_login(harper)
    page = visible_text(client.get(debrief_url(loop)))
    assert "Directions for the debrief" in page and "Ratings first." in page
    assert "Still to come from Ada Lovelace." in page
    assert "Open the discussion without 1 scorecard" in page
    assert "Ratings side by side" not in page  # not before the discussion opens
    response = open_discussion(client, loop)
    assert response.status_code == 302 and phase_of(loop) == Debrief.Phase.DISCUSSING
    page = visible_text(client.get(debrief_url(loop)))
    assert "Ratings side by side" in page and "Still to come from Ada Lovelace." in page


def test_an_interviewer_takes_part_once_their_own_feedback_is_in(client, loop, cards, bob, ada):
    bobs, adas = cards
    submit(adas, score=4)
    reveal(loop)
    client.force_login(bob)
    page = client.get(debrief_url(loop))
    assert page.status_code == 200
    text = visible_text(page)
    assert "Your own feedback on" in text and "not submitted yet" in text
    assert "Craft 1: outstanding" not in page.text and "Strong" not in text
    note = client.post(debrief_url(loop, "notes"), {"question-1": "x"})
    assert note.status_code in (400, 403)
    submit(bobs)
    text = visible_text(client.get(debrief_url(loop)))
    assert "Ratings side by side" in text and "Your notes" in text


def test_the_debrief_is_no_business_of_those_outside_the_loop(client, org, loop, cards):
    outsider = member(org, Role.INTERVIEWER)
    other_manager = member(org, Role.HIRING_MANAGER)
    make_job(org, hiring_manager=other_manager)
    for user in (outsider, other_manager):
        client.force_login(user)
        assert client.get(debrief_url(loop)).status_code == 404
        assert client.post(debrief_url(loop, "phase"), {"to": "discussing"}).status_code == 404
    assert phase_of(loop) is None


def test_a_recruiter_reads_the_debrief_but_neither_facilitates_nor_writes_in_it(
    client, org, loop, cards
):
    bobs, adas = cards
    submit(bobs)
    submit(adas)
    recruiter = member(org, Role.RECRUITER)
    client.force_login(recruiter)
    assert client.get(debrief_url(loop)).status_code == 200
    assert open_discussion(client, loop).status_code == 403
    question = loop.guide_version.debrief_questions.first()
    assert (
        client.post(debrief_url(loop, "notes"), {f"question-{question.pk}": "Hi"}).status_code
        == 403
    )
    assert phase_of(loop) is None and not DebriefNote.objects.exists()


# The phases


def test_only_the_facilitator_moves_the_debrief_on(client, loop, cards, bob, harper):
    bobs, adas = cards
    submit(bobs)
    submit(adas)
    client.force_login(bob)
    assert open_discussion(client, loop).status_code == 403
    response = client.post(debrief_url(loop, "phase"), {"to": "revealed"})
    assert response.status_code == 403
    assert "hiring manager or an admin" in visible_text(response)
    assert phase_of(loop) is None
    client.force_login(harper)
    # Recommendations come after the ratings were discussed.
    early = client.post(debrief_url(loop, "phase"), {"to": "revealed"})
    assert early.status_code == 409 and "Open the discussion" in early.text
    assert phase_of(loop) in (None, Debrief.Phase.COLLECTING)
    assert client.post(debrief_url(loop, "phase"), {"to": "decided"}).status_code == 400
    open_discussion(client, loop)
    assert client.post(debrief_url(loop, "phase"), {"to": "revealed"}).status_code == 302
    debrief = Debrief.objects.get(loop=loop)
    assert debrief.phase == Debrief.Phase.REVEALED and debrief.revealed_by == harper
    # A second click changes nothing and says so.
    again = client.post(debrief_url(loop, "phase"), {"to": "discussing"}, follow=True)
    assert "already past" in visible_text(again)
    assert Debrief.objects.get(loop=loop).phase == Debrief.Phase.REVEALED


def test_an_admin_facilitates_any_loop(client, loop, cards, alice):
    client.force_login(alice)
    assert open_discussion(client, loop).status_code == 302
    assert phase_of(loop) == Debrief.Phase.DISCUSSING


# The ratings side by side


def test_the_criteria_they_disagree_on_come_first_with_their_spread(client, loop, cards, harper):
    bobs, adas = cards
    submit(bobs, score=1)
    submit(adas, score=3)
    craft, judgement = loop.interviews.get().stage.criteria.all()
    # They agree on judgement (3 and 3, a 0 counting in no spread), disagree on craft (1, 3).
    Rating.objects.filter(scorecard=bobs, criterion=judgement).update(score=0)
    client.force_login(harper)
    open_discussion(client, loop)
    page = client.get(debrief_url(loop))
    stage_table = page.text[page.text.index("Stage 1</h3>") :]
    assert stage_table.index(craft.name) < stage_table.index(judgement.name)
    assert re.search(rf"{craft.name}\s*<span class=\"badge disagree\">Disagree", stage_table)
    text = visible_text(page)
    assert "1 to discuss" in text
    # Each score's anchor text is in its cell, for hover and keyboard focus.
    assert f"Bob Interviewer: {craft.anchor(1)}" in text
    assert f"Ada Lovelace: {craft.anchor(3)}" in text
    assert 'tabindex="0"' in page.text and 'role="tooltip"' in page.text


def test_the_same_criterion_in_two_stages_is_brought_together(
    client, org, loop, cards, bob, ada, harper
):
    bobs, adas = cards
    second = loop.guide_version.stages.all()[1]
    Criterion.objects.filter(stage=second, name="Craft 2").update(name="Craft 1")
    later = schedule(
        loop, stage=second, interviewers=[harper], starts_at=timezone.now() - timedelta(hours=5)
    )
    submit(bobs, score=2)
    submit(adas, score=2)
    submit(later.scorecards.get(), score=4)
    client.force_login(harper)
    open_discussion(client, loop)
    page = client.get(debrief_url(loop))
    across = page.text[page.text.index("Across stages") : page.text.index("Stage 1</h3>")]
    # Craft 1 measures Ownership: its row is the competency's, with 2, 2 and 4 across the stages.
    ownership = across[
        across.index(">Ownership<") : across.index("</tr>", across.index(">Ownership<"))
    ]
    assert "Disagree" in ownership
    assert '<th scope="row" class="sticky">Judgement 1' in across
    assert '<th scope="row" class="sticky">Craft 1' not in across


# Recommendations


def test_recommendations_are_sealed_until_the_reveal_then_shown_with_their_spread(
    client, loop, cards, bob, harper
):
    bobs, adas = cards
    submit(bobs, recommendation=Recommendation.NO_HIRE)
    submit(adas, recommendation=Recommendation.STRONG_HIRE)
    client.force_login(harper)
    open_discussion(client, loop)
    for url in (debrief_url(loop), f"/o/{loop.job.organization.slug}/loops/{loop.pk}/"):
        text = visible_text(client.get(url))
        assert "Strong Hire" not in text and "No Hire" not in text
        assert "Recommendation sealed" in text
    client.force_login(bob)
    text = visible_text(client.get(debrief_url(loop)))
    assert "Strong Hire" not in text and "No Hire" in text  # only his own
    client.force_login(harper)
    client.post(debrief_url(loop, "phase"), {"to": "revealed"})
    page = client.get(debrief_url(loop))
    text = visible_text(page)
    assert "Strong Hire" in text and "No Hire" in text
    distribution = dict(
        re.findall(
            r'<span class="recommendation rec-\d" id="rec-count-\d">([^<]+)</span> '
            r'<meter min="0" max="2" value="(\d)"',
            page.text,
        )
    )
    assert distribution == {"Strong No Hire": "0", "No Hire": "1", "Hire": "0", "Strong Hire": "1"}


def test_an_interviewer_changes_their_recommendation_with_a_reason(
    client, loop, cards, bob, harper
):
    bobs, adas = cards
    submit(bobs, recommendation=Recommendation.NO_HIRE)
    submit(adas, recommendation=Recommendation.HIRE)
    url = debrief_url(loop, "recommendation")
    client.force_login(bob)
    early = client.post(url, {"recommendation": "3", "reason": "Convinced."})
    assert early.status_code == 409 and not RecommendationChange.objects.exists()
    reveal(loop)
    for bad, message in (
        ({"recommendation": "3", "reason": ""}, "This field is required"),
        ({"recommendation": "9", "reason": "Hm."}, "Choose Strong No Hire"),
        ({"recommendation": "2", "reason": "Same."}, "already your recommendation"),
        ({"recommendation": "3", "reason": "x", "scorecard": str(adas.pk)}, "your own"),
    ):
        response = client.post(url, bad)
        assert response.status_code == 400 and message in response.text
        assert not RecommendationChange.objects.exists()
    response = client.post(url, {"recommendation": "3", "reason": "Ada's example convinced me."})
    assert response.status_code == 302
    change = RecommendationChange.objects.get()
    assert (change.author, change.before, change.after) == (bob, 2, 3)
    bobs.refresh_from_db()
    assert bobs.recommendation == Recommendation.NO_HIRE  # the scorecard keeps what he submitted
    client.force_login(harper)
    text = visible_text(client.get(debrief_url(loop)))
    assert "Bob Interviewer" in text and "No Hire → Hire" in text
    assert "Ada's example convinced me." in text


# Notes


def test_notes_save_as_one_types_and_reach_the_others_without_a_reload(
    client, loop, cards, bob, harper
):
    bobs, adas = cards
    submit(bobs)
    submit(adas)
    question = loop.guide_version.debrief_questions.get()
    field = f"question-{question.pk}"
    client.force_login(harper)
    open_discussion(client, loop)
    page = client.get(debrief_url(loop))
    since = re.search(r"since=([^&]*)&", page.text).group(1)
    poll = debrief_url(loop, "notes") + f"?since={since}&phase=discussing"
    assert client.get(poll).url == debrief_url(loop)
    assert client.get(poll, headers=HTMX).status_code == 204  # nothing new
    client.force_login(bob)
    saved = client.post(debrief_url(loop, "notes"), {field: "What about on-call?", "base": ""})
    assert saved.status_code == 200
    assert json.loads(saved["HX-Trigger"])["autosaved"]["inStep"]
    client.force_login(harper)
    update = client.get(poll, headers=HTMX)
    assert update.status_code == 200
    assert f'id="others-{question.pk}"' in update.text and 'hx-swap-oob="true"' in update.text
    assert "Bob Interviewer:" in visible_text(update) and "What about on-call?" in update.text
    # The next poll asks from the newest note on, and learns nothing new.
    since = re.search(r"since=([^&]*)&", update.text).group(1)
    assert (
        client.get(
            debrief_url(loop, "notes") + f"?since={since}&phase=discussing", headers=HTMX
        ).status_code
        == 204
    )
    # The facilitator's page tells when the debrief has moved on.
    client.post(debrief_url(loop, "phase"), {"to": "revealed"})
    moved = client.get(
        debrief_url(loop, "notes") + f"?since={since}&phase=discussing", headers=HTMX
    )
    assert "The debrief has moved on" in visible_text(moved)


def test_a_note_refuses_bad_input_and_never_overwrites_another_window(client, loop, cards, bob):
    bobs, adas = cards
    submit(bobs)
    submit(adas)
    question = loop.guide_version.debrief_questions.get()
    field = f"question-{question.pk}"
    url = debrief_url(loop, "notes")
    client.force_login(bob)
    assert client.post(url, {field: "First", "base": ""}).status_code == 200
    stale = client.post(url, {field: "From another window", "base": ""})
    assert stale.status_code == 409 and "another window" in stale.text
    for data, status in (
        ({field: "x" * 20_001}, 400),
        ({field: "a\x00b"}, 400),
        ({"question-999999": "x"}, 400),
        ({field: "a", "question-1": "b"}, 400),
    ):
        response = client.post(url, data)
        assert response.status_code == status and len(response.text) > 10
    assert DebriefNote.objects.get().text == "First"


# The decision


def test_the_decision_comes_after_the_reveal_and_from_the_facilitator(
    client, loop, cards, bob, harper
):
    bobs, adas = cards
    submit(bobs)
    submit(adas)
    client.force_login(harper)
    open_discussion(client, loop)
    early = decide(client, loop)
    assert early.status_code == 409 and "Reveal the recommendations" in early.text
    assert phase_of(loop) == Debrief.Phase.DISCUSSING
    reveal(loop)
    client.force_login(bob)
    assert decide(client, loop).status_code == 403
    client.force_login(harper)
    missing = decide(client, loop, rationale="")
    assert missing.status_code == 400 and "Say why" in missing.text
    more = decide(client, loop, decision="more_information", rationale="Unsure.")
    assert more.status_code == 400 and "Say what to find out" in more.text
    # What was typed comes back.
    assert "Unsure." in more.text
    assert phase_of(loop) == Debrief.Phase.REVEALED
    response = decide(client, loop)
    assert response.status_code == 302
    loop.refresh_from_db()
    debrief = Debrief.objects.get(loop=loop)
    assert debrief.phase == Debrief.Phase.DECIDED and debrief.decided_by == harper
    assert loop.status == Loop.Status.OFFER
    page = visible_text(client.get(debrief_url(loop)))
    assert "Decided" in page and "Strong on every criterion." in page
    assert "Amend the decision" in page
    # Decided: read-only.
    client.force_login(bob)
    question = loop.guide_version.debrief_questions.get()
    note = client.post(debrief_url(loop, "notes"), {f"question-{question.pk}": "Late"})
    assert note.status_code == 409 and "decided" in note.text
    change = client.post(
        debrief_url(loop, "recommendation"), {"recommendation": "4", "reason": "x"}
    )
    assert change.status_code == 409
    assert "Your notes" not in visible_text(client.get(debrief_url(loop)))
    assert not DebriefNote.objects.exists() and not RecommendationChange.objects.exists()


def test_a_no_hire_rejects_the_candidate_with_the_rationale(client, loop, cards, harper):
    for card in cards:
        submit(card)
    reveal(loop)
    client.force_login(harper)
    decide(client, loop, decision="no_hire", rationale="Not enough depth in design.")
    loop.refresh_from_db()
    assert loop.status == Loop.Status.REJECTED
    assert loop.rejection_reason == "Not enough depth in design."


def test_amending_a_decision_needs_a_reason_and_is_kept(client, org, loop, cards, harper):
    for card in cards:
        submit(card)
    reveal(loop)
    other = make_job(org, title="Platform Engineer")
    client.force_login(harper)
    decide(client, loop, decision="more_information", to_find_out="Ask about on-call.")
    loop.refresh_from_db()
    assert loop.status == Loop.Status.ACTIVE
    without_reason = decide(client, loop, decision="no_hire")
    assert (
        without_reason.status_code == 400 and "Say why the decision changes" in without_reason.text
    )
    unchanged = decide(
        client, loop, decision="more_information", to_find_out="Ask about on-call.", reason="x"
    )
    assert unchanged.status_code == 400 and "Nothing is changed" in unchanged.text
    stale = decide(client, loop, decision="no_hire", reason="Heard back.", revision="0")
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert not DecisionAmendment.objects.exists()
    response = decide(
        client,
        loop,
        decision="no_hire",
        reason="On-call answer was weak.",
        other_roles="on",
        other_jobs=str(other.pk),
    )
    assert response.status_code == 302
    amendment = DecisionAmendment.objects.get()
    assert amendment.author == harper and amendment.reason == "On-call answer was weak."
    assert amendment.before["decision"] == "more_information"
    assert amendment.after["decision"] == "no_hire"
    assert amendment.after["other_jobs"] == [other.pk]
    loop.refresh_from_db()
    assert loop.status == Loop.Status.REJECTED
    page = visible_text(client.get(debrief_url(loop)))
    assert "On-call answer was weak." in page and "Platform Engineer" in page


def test_an_amendment_reads_as_what_changed_from_what(client, org, loop, cards, harper):
    for card in cards:
        submit(card)
    reveal(loop)
    other = make_job(org, title="Data Engineer II")
    client.force_login(harper)
    decide(client, loop, decision="hire")
    decide(client, loop, decision="no_hire", other_jobs=str(other.pk), reason="Second thoughts.")
    text = visible_text(client.get(debrief_url(loop)))
    assert "Decision Hire No hire" in text
    assert "Other jobs (none) Data Engineer II" in text
    assert "Consider for other roles No Yes" in text


# Found in review


def test_a_note_that_ended_in_a_space_saves_again_after_the_pause(client, loop, cards, bob):
    for card in cards:
        submit(card)
    question = loop.guide_version.debrief_questions.get()
    field, url = f"question-{question.pk}", debrief_url(loop, "notes")
    client.force_login(bob)
    assert client.post(url, {field: "Strong on SQL ", "base": ""}).status_code == 200
    # The page sends what it last sent as the base; the stored text lost its trailing space.
    again = client.post(url, {field: "Strong on SQL and tests", "base": "Strong on SQL "})
    assert again.status_code == 200
    assert DebriefNote.objects.get().text == "Strong on SQL and tests"


def test_a_loop_that_has_ended_shows_its_recommendations_in_the_debrief_too(
    client, org, loop, cards, harper
):
    bobs, adas = cards
    submit(bobs, recommendation=Recommendation.NO_HIRE)
    submit(adas, recommendation=Recommendation.STRONG_HIRE)
    Loop.objects.filter(pk=loop.pk).update(status=Loop.Status.OFFER)
    client.force_login(harper)
    text = visible_text(client.get(debrief_url(loop)))  # no debrief row yet
    assert "Strong Hire" in text and "nothing in it is sealed any more" in text
    assert "Change your recommendation" not in text


def test_amending_the_decision_keeps_a_hire_and_moves_the_loop_only_for_a_new_decision(
    client, loop, cards, harper
):
    for card in cards:
        submit(card)
    reveal(loop)
    client.force_login(harper)
    decide(client, loop)
    Loop.objects.filter(pk=loop.pk).update(status=Loop.Status.HIRED)
    decide(client, loop, next_steps="Send the contract.", reason="Typo.")
    loop.refresh_from_db()
    assert loop.status == Loop.Status.HIRED
    decide(client, loop, decision="no_hire", reason="Offer withdrawn.")
    loop.refresh_from_db()
    assert loop.status == Loop.Status.HIRED
    assert "stays marked hired" in visible_text(client.get(debrief_url(loop)))


def test_an_erased_candidates_debrief_no_longer_changes(client, org, loop, cards, bob, harper):
    from candidates.erasure import erase_candidate

    for card in cards:
        submit(card)
    reveal(loop)
    erase_candidate(candidate=loop.candidate, user=None)
    question = loop.guide_version.debrief_questions.get()
    client.force_login(bob)
    note = client.post(debrief_url(loop, "notes"), {f"question-{question.pk}": "Alex Smith"})
    assert note.status_code == 409 and "erased" in note.text
    client.force_login(harper)
    assert decide(client, loop, decision="more_information", to_find_out="x").status_code == 409
    loop.refresh_from_db()
    assert loop.status == Loop.Status.WITHDRAWN and not DebriefNote.objects.exists()
    assert Debrief.objects.get(loop=loop).phase == Debrief.Phase.REVEALED


def test_erasure_keeps_the_decisions_of_an_amendment_and_blanks_its_words(
    client, loop, cards, harper
):
    from candidates.erasure import erase_candidate

    for card in cards:
        submit(card)
    reveal(loop)
    client.force_login(harper)
    decide(client, loop)
    decide(client, loop, decision="no_hire", rationale="Alex lacked depth.", reason="Second look.")
    erase_candidate(candidate=loop.candidate, user=None)
    amendment = DecisionAmendment.objects.get()
    assert amendment.before["decision"] == "hire" and amendment.after["decision"] == "no_hire"
    assert amendment.after["rationale"] == "" and amendment.reason == ""


def test_the_loop_page_keeps_the_rationale_from_whoever_still_owes_feedback(
    client, org, loop, cards, harper
):
    for card in cards:
        submit(card)
    reveal(loop)
    client.force_login(harper)
    decide(client, loop, decision="more_information", to_find_out="x", rationale="Ada says yes.")
    recruiter = member(org, Role.RECRUITER)
    later = loop.guide_version.stages.all()[1]
    schedule(loop, stage=later, interviewers=[recruiter])
    client.force_login(recruiter)
    text = visible_text(client.get(f"/o/{org.slug}/loops/{loop.pk}/"))
    assert "More information needed" in text and "Ada says yes." not in text


def test_a_facilitator_who_lost_the_race_to_decide_sees_the_decision_and_may_amend_it(
    client, loop, cards, alice, harper
):
    for card in cards:
        submit(card)
    reveal(loop)
    client.force_login(alice)
    decide(client, loop, decision="hire")
    client.force_login(harper)
    stale = decide(client, loop, decision="no_hire", revision="0")
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert 'name="revision" value="1"' in stale.text
    assert Debrief.objects.get(loop=loop).decision == "hire"
    resent = decide(client, loop, decision="no_hire", revision="1", reason="Seen; I disagree.")
    assert resent.status_code == 302
    assert DecisionAmendment.objects.get().reason == "Seen; I disagree."


def test_the_poll_says_when_the_debrief_was_decided(client, loop, cards, bob, harper):
    for card in cards:
        submit(card)
    reveal(loop)
    client.force_login(harper)
    decide(client, loop)
    client.force_login(bob)
    poll = client.get(debrief_url(loop, "notes") + "?since=&phase=revealed", headers=HTMX)
    assert "The debrief has moved on: decided" in visible_text(poll)


def test_a_refusal_leaves_no_debrief_behind_and_a_facilitator_owing_feedback_waits(
    client, loop, cards, harper
):
    bobs, _ = cards
    submit(bobs)
    client.force_login(harper)
    assert client.post(debrief_url(loop, "decision"), {}).status_code == 409
    assert not Debrief.objects.exists()
    later = loop.guide_version.stages.all()[1]
    schedule(loop, stage=later, interviewers=[harper])
    response = open_discussion(client, loop)
    assert response.status_code == 403 and "Submit your own feedback" in response.text
    assert not Debrief.objects.exists()


def test_an_interviewer_who_owes_feedback_is_shown_the_way_to_their_scorecard(
    client, loop, cards, bob
):
    bobs, _ = cards
    client.force_login(bob)
    page = client.get(debrief_url(loop))
    kit = f"/o/{loop.job.organization.slug}/interviews/{bobs.interview_id}/"
    assert f'href="{kit}"' in page.text and "Open your Stage 1 scorecard" in visible_text(page)


def test_someone_who_owes_two_scorecards_is_still_to_come_once(client, loop, cards, bob, harper):
    bobs, _ = cards
    later = loop.guide_version.stages.all()[1]
    schedule(loop, stage=later, interviewers=[bob], starts_at=timezone.now() - timedelta(hours=2))
    client.force_login(harper)
    text = visible_text(client.get(debrief_url(loop)))
    assert "Still to come from Bob Interviewer (2: Stage 1, Stage 2), Ada Lovelace." in text
    assert "Open the discussion without 3 scorecards" in text
    submit(bobs)
    text = visible_text(client.get(debrief_url(loop)))
    assert "Still to come from Ada Lovelace, Bob Interviewer." in text


def test_a_facilitator_who_owes_feedback_is_told_why_she_cannot_run_the_debrief_yet(
    client, loop, cards, harper
):
    bobs, adas = cards
    submit(bobs)
    submit(adas)
    later = loop.guide_version.stages.all()[1]
    mine = schedule(loop, stage=later, interviewers=[harper])
    client.force_login(harper)
    page = client.get(debrief_url(loop))
    text = visible_text(page)
    assert "You run this debrief once your own feedback is in" in text
    assert "opening the discussion and revealing the recommendations wait for it." in text
    assert "Open the discussion" not in text and 'name="to"' not in page.text
    submit(mine.scorecards.get())
    open_discussion(client, loop)
    page = client.get(debrief_url(loop))
    assert "Reveal the recommendations" in visible_text(page)
    # Put on another panel before the reveal: the button goes, the reason comes.
    third = loop.guide_version.stages.all()[2]
    schedule(loop, stage=third, interviewers=[harper])
    page = client.get(debrief_url(loop))
    text = visible_text(page)
    assert "You run this debrief once your own feedback is in" in text
    assert "so revealing the recommendations waits for it." in text
    assert "Reveal the recommendations" not in text and 'value="revealed"' not in page.text
