"""Who reads which scorecard (scorecards.visibility, the roles table of DESIGN.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership, Role
from scorecards.visibility import loop_feedback, readable_scorecards
from tests.factories import make_job, make_loop, member, reveal, schedule, submit
from tests.html import visible_text
from tests.scorecards.conftest import card_url, kit_url

pytestmark = pytest.mark.django_db


def readable(user, org):
    membership = Membership.objects.get(user=user, organization=org)
    return set(readable_scorecards(membership))


@pytest.fixture
def ada_submitted(adas):
    submit(adas, recommendation=4, summary="Ada's own words.")
    adas.ratings.update(note="Ada's note on the craft.")
    return adas


def test_a_drafting_interviewer_reads_only_their_own(org, bob, bobs, ada_submitted):
    assert readable(bob, org) == {bobs}


def test_after_submitting_an_interviewer_reads_the_others_submitted_ones(
    org, bob, bobs, ada, ada_submitted
):
    assert readable(ada, org) == {ada_submitted}  # Bob's is still a draft
    submit(bobs)
    assert readable(bob, org) == {bobs, ada_submitted}
    assert readable(ada, org) == {bobs, ada_submitted}


def test_one_open_draft_anywhere_in_the_loop_hides_the_others(
    org, interview, bob, bobs, ada, ada_submitted
):
    submit(bobs)
    later = interview.loop.guide_version.stages.exclude(pk=interview.stage_id).first()
    schedule(interview.loop, interviewers=[bob], stage=later)  # Bob's next interview, to come
    assert ada_submitted not in readable(bob, org)


def test_managers_read_submitted_feedback_of_the_loops_they_may_see(
    org, alice, interview, bobs, ada_submitted
):
    recruiter = member(org, Role.RECRUITER)
    assert readable(alice, org) == {ada_submitted}
    assert readable(recruiter, org) == {ada_submitted}
    their_manager = member(org, Role.HIRING_MANAGER)
    other_manager = member(org, Role.HIRING_MANAGER)
    interview.loop.job.hiring_manager = their_manager
    interview.loop.job.save()
    assert readable(their_manager, org) == {ada_submitted}
    assert readable(other_manager, org) == set()


def test_a_manager_who_interviews_in_the_loop_waits_like_everyone(
    org, alice, interview, ada_submitted
):
    later = interview.loop.guide_version.stages.exclude(pk=interview.stage_id).first()
    mine = schedule(interview.loop, interviewers=[alice], stage=later).scorecards.get()
    assert readable(alice, org) == {mine}
    feedback = loop_feedback(Membership.objects.get(user=alice, organization=org), interview.loop)
    assert feedback.mine_open and ada_submitted.pk not in feedback.readable


def test_a_submission_in_one_loop_opens_no_other(org, bob, ada, ada_submitted):
    elsewhere = make_loop(org, job=make_job(org))
    theirs = schedule(
        elsewhere, interviewers=[ada], starts_at=timezone.now() - timedelta(hours=3)
    ).scorecards.get()
    submit(theirs)
    mine = schedule(
        make_loop(org, job=elsewhere.job), interviewers=[bob]
    ).scorecards.get()  # Bob interviews another candidate of that job
    submit(mine)
    assert theirs not in readable(bob, org)


def test_the_drafters_pages_hold_nothing_of_the_others(
    client, org, interview, bob, bobs, ada_submitted
):
    client.force_login(bob)
    kit = client.get(kit_url(interview))
    assert "Ada's note on the craft." not in kit.text and "Ada's own words." not in kit.text
    assert "stay hidden until you submit your own feedback" in visible_text(kit)
    assert client.get(card_url(ada_submitted)).status_code == 404


def test_after_submitting_the_kit_shows_the_others_and_how_many_are_pending(
    client, org, interview, bob, bobs, ada, ada_submitted
):
    third = member(org, Role.INTERVIEWER, full_name="Third Person")
    later = interview.loop.guide_version.stages.exclude(pk=interview.stage_id).first()
    schedule(interview.loop, interviewers=[third], stage=later)
    submit(bobs)
    client.force_login(bob)
    text = visible_text(client.get(kit_url(interview)))
    assert "Ada's note on the craft." in text and "Ada's own words." in text
    # Her recommendation waits for the debrief's reveal (rule 3).
    assert "Strong Hire" not in text and "Recommendation sealed" in text
    assert "1 scorecard from others still to come." in text
    reveal(interview.loop)
    assert "Strong Hire" in visible_text(client.get(kit_url(interview)))
    detail = client.get(card_url(ada_submitted))
    assert detail.status_code == 200
    assert "Craft 1: solid" in visible_text(detail)  # the anchor text of her score


def test_the_loop_page_shows_the_scorecards_the_viewer_may_read(
    client, org, alice, interview, bobs, ada_submitted
):
    client.force_login(alice)
    reveal(interview.loop)
    page = client.get(f"/o/{org.slug}/loops/{interview.loop_id}/")
    text = visible_text(page)
    assert "Strong Hire" in text
    assert card_url(ada_submitted) in page.text
    assert card_url(bobs) not in page.text  # a draft is no one's to read
    later = interview.loop.guide_version.stages.exclude(pk=interview.stage_id).first()
    schedule(interview.loop, interviewers=[alice], stage=later)
    page = client.get(f"/o/{org.slug}/loops/{interview.loop_id}/")
    assert "Strong Hire" not in visible_text(page)
    assert "You interview this candidate too" in visible_text(page)


def test_an_admin_reads_a_scorecard_with_each_score_and_its_anchor(
    client, org, alice, interview, ada_submitted, criteria
):
    client.force_login(alice)
    text = visible_text(client.get(card_url(ada_submitted)))
    for criterion in criteria:
        assert f"{criterion.name} 3 {criterion.anchor(3)}" in text
    assert "Ada's note on the craft." in text and "Ada's own words." in text


def test_once_feedback_is_in_the_loop_page_offers_to_change_interviewers_not_to_reschedule(
    client, org, alice, interview, ada_submitted
):
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/loops/{interview.loop_id}/"))
    assert "Change interviewers" in text
    assert "Reschedule or change interviewers" not in text  # the only interview has feedback


def test_right_after_submitting_the_kit_names_the_other_interview_still_owed(
    client, org, interview, bob, bobs, ada_submitted
):
    later = interview.loop.guide_version.stages.exclude(pk=interview.stage_id).first()
    second = schedule(interview.loop, interviewers=[bob], stage=later)
    client.force_login(bob)
    kit = client.get(kit_url(interview))
    owed = visible_text(kit).split("Other feedback in this loop")[1]
    assert f"until you submit your feedback here and for {later.name} (" in owed
    assert f"your other interview with {interview.loop.candidate.name}" in owed
    assert f'href="{kit_url(second)}">{later.name}</a>' in kit.text
    submit(bobs, summary="Bob's own words.")
    kit = client.get(kit_url(interview))
    mine, owed = visible_text(kit).split("Other feedback in this loop")
    assert f"stay hidden until you submit your feedback for {later.name} (" in owed
    assert "Ada's own words." not in kit.text
    # His own, submitted here, he reads and may amend while the others' wait.
    assert "Your feedback" in mine and "Bob's own words." in mine and "Amend" in mine
    # The other kit, where this one is in, says what it always did.
    other = visible_text(client.get(kit_url(second)))
    assert "stay hidden until you submit your own feedback, so that yours is your own." in other
