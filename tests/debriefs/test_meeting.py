"""The meeting's workflows called as the API, the demo and the bench call them: with plain
arguments, no request."""

import pytest

from candidates.models import Activity, Loop
from debriefs import meeting
from debriefs.models import Debrief
from tests.factories import reveal, submit

pytestmark = pytest.mark.django_db


def debrief_of(loop):
    debrief, _ = Debrief.objects.get_or_create(loop=loop)
    debrief.loop = loop
    return debrief


def test_reveal_opens_the_discussion_first_and_a_second_one_changes_nothing(loop, harper):
    debrief = debrief_of(loop)
    assert meeting.reveal(debrief=debrief, user=harper) is True
    debrief.refresh_from_db()
    assert debrief.phase == Debrief.Phase.REVEALED and debrief.revealed_by == harper
    assert debrief.opened_at <= debrief.revealed_at
    assert meeting.reveal(debrief=debrief, user=harper) is False
    assert meeting.open_discussion(debrief=debrief, user=harper) is False
    texts = list(Activity.objects.filter(loop=loop).values_list("text", flat=True))
    assert sum("opened the debrief's discussion" in text for text in texts) == 1
    assert sum("revealed the recommendations" in text for text in texts) == 1


def test_phases_move_one_at_a_time(loop, harper):
    debrief = debrief_of(loop)
    assert debrief.can_move_to(Debrief.Phase.DISCUSSING)
    assert not debrief.can_move_to(Debrief.Phase.REVEALED)
    with pytest.raises(meeting.Refused) as refused:
        meeting.move(debrief=debrief, user=harper, to=Debrief.Phase.REVEALED)
    assert refused.value.status == 409
    with pytest.raises(meeting.Refused) as refused:
        meeting.move(debrief=debrief, user=harper, to=Debrief.Phase.DECIDED)
    assert refused.value.status == 400


def test_only_ones_own_submitted_scorecard_changes_its_recommendation(loop, cards, bob, ada):
    bobs, adas = cards
    submit(bobs, recommendation=3)
    submit(adas, recommendation=2)
    debrief = reveal(loop)
    with pytest.raises(meeting.Refused) as refused:
        meeting.change_recommendation(
            debrief=debrief, scorecard=adas, user=bob, recommendation=4, reason="Mine now."
        )
    assert refused.value.status == 403
    with pytest.raises(meeting.Refused) as refused:
        meeting.change_recommendation(
            debrief=debrief, scorecard=bobs, user=bob, recommendation=3, reason="Same."
        )
    assert refused.value.status == 400
    change = meeting.change_recommendation(
        debrief=debrief, scorecard=bobs, user=bob, recommendation=4, reason="Heard Ada out."
    )
    assert (change.before, change.after, change.author) == (3, 4, bob)


def test_a_decision_moves_the_loop_and_an_amendment_keeps_what_it_changed(loop, cards, harper):
    for card in cards:
        submit(card)
    values = {
        "decision": Debrief.Decision.NO_HIRE,
        "to_find_out": "",
        "rationale": "Not yet.",
        "next_steps": "",
        "other_roles": False,
        "other_jobs": [],
    }
    with pytest.raises(meeting.Refused) as refused:
        meeting.decide(debrief=debrief_of(loop), user=harper, values=values)
    assert refused.value.status == 409  # before the reveal
    debrief = reveal(loop, by=harper)
    assert "is now marked rejected" in meeting.decide(debrief=debrief, user=harper, values=values)
    loop.refresh_from_db()
    assert loop.status == Loop.Status.REJECTED and loop.rejection_reason == "Not yet."
    with pytest.raises(meeting.Refused) as refused:
        meeting.decide(debrief=debrief, user=harper, values=values, reason="Again.")
    assert refused.value.status == 400
    amended = {**values, "rationale": "Not yet: too little on design."}
    assert meeting.decide(debrief=debrief, user=harper, values=amended, reason="Typo.") == ""
    loop.refresh_from_db()
    assert loop.rejection_reason == "Not yet: too little on design."
    amendment = debrief.amendments.get()
    assert amendment.before == {"rationale": "Not yet."} and amendment.reason == "Typo."
