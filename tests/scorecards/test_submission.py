"""The submit and amend workflows and the autosave protocol, called without a view (as the API,
the demo and the bench call them)."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from candidates.models import Activity
from scorecards import autosave, submission
from scorecards.models import Amendment, Scorecard
from tests.factories import make_loop, schedule, submit

pytestmark = pytest.mark.django_db


def _whole(card, score=3):
    values = {"recommendation": 3, "summary": "Hire."}
    for criterion in card.interview.stage.criteria.all():
        values[f"score-{criterion.pk}"] = score
    return values


def test_submitting_an_incomplete_card_is_refused_and_keeps_it_as_a_draft(bob, bobs, criteria):
    values = _whole(bobs) | {f"score-{criteria[0].pk}": None, "recommendation": None}
    with pytest.raises(submission.Refused) as refused:
        submission.submit(scorecard=bobs, user=bob, values=values)
    assert refused.value.status == 400
    assert set(refused.value.errors) == {f"score-{criteria[0].pk}", "recommendation"}
    bobs.refresh_from_db()
    assert bobs.status == Scorecard.Status.DRAFT and bobs.summary == "Hire."


def test_submitting_before_the_interview_begins_is_refused(org, bob):
    card = schedule(make_loop(org), interviewers=[bob]).scorecards.get()  # tomorrow
    with pytest.raises(submission.Refused, match="has not begun yet"):
        submission.submit(scorecard=card, user=bob, values=_whole(card))
    card.refresh_from_db()
    assert not card.is_submitted


def test_a_complete_card_is_submitted_once_with_its_activity(bob, bobs):
    submission.submit(scorecard=bobs, user=bob, values=_whole(bobs, score=0))
    bobs.refresh_from_db()
    assert bobs.is_submitted and bobs.submitted_at
    assert Activity.objects.filter(text__contains="submitted feedback").count() == 1
    with pytest.raises(submission.Refused) as refused:
        submission.submit(scorecard=bobs, user=bob)
    assert refused.value.status == 409


def test_an_amendment_that_changes_nothing_is_refused(bob, bobs):
    submit(bobs)
    card = Scorecard.objects.prefetch_related("ratings", "question_notes").get(pk=bobs.pk)
    with pytest.raises(submission.Refused, match="Nothing is changed"):
        submission.amend(scorecard=card, user=bob, values=card.values(), reason="None.")
    amendment = submission.amend(
        scorecard=card, user=bob, values={"summary": "Strong hire."}, reason="Thought again."
    )
    assert amendment.after == {"summary": "Strong hire."}
    assert Amendment.objects.count() == 1


def test_no_amendment_once_the_candidate_is_erased(bob, bobs):
    submit(bobs)
    bobs.interview.loop.candidate.erased_at = timezone.now() - timedelta(minutes=1)
    with pytest.raises(submission.Refused, match="erased") as refused:
        submission.may_amend(bobs)
    assert refused.value.status == 409


def test_an_autosave_from_a_page_behind_another_window_is_refused(bobs):
    from scorecards.forms import ScorecardForm

    form = ScorecardForm(criteria=[], questions=[])
    store = autosave.Versioned(bobs)
    words = autosave.Words.of("scorecard")
    saved = autosave.save(store=store, form=form, data={"summary": "One."}, words=words)
    assert saved == {"revision": bobs.revision, "inStep": False}
    with pytest.raises(autosave.Refused) as refused:
        autosave.save(store=store, form=form, data={"summary": "Two.", "base": ""}, words=words)
    assert refused.value.status == 409
    with pytest.raises(autosave.Refused, match="one field of the scorecard"):
        autosave.save(store=store, form=form, data={"summary": "", "x": ""}, words=words)


def test_a_redisplayed_form_carries_the_current_revision():
    from scorecards.forms import ScorecardForm

    sent = QueryDict("revision=1&summary=Mine", mutable=False)
    form = autosave.redisplay(
        ScorecardForm, sent, 4, message="Changed elsewhere.", criteria=[], questions=[]
    )
    assert form["revision"].value() == "4" and form["summary"].value() == "Mine"
    assert form.non_field_errors() == ["Changed elsewhere."]
