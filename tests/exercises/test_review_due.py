"""A take-home's reviewers owe their feedback a set time after the hand-in, not after a meeting
time: reminders and the loop's progress follow the hand-in."""

from datetime import timedelta

import pytest
from django.core import mail

from candidates import scheduling
from candidates.models import Loop
from candidates.services import with_progress
from scorecards import notifications
from tests.exercises.test_exercises import loop, sent  # noqa: F401 - fixtures
from tests.factories import member

pytestmark = pytest.mark.django_db


def _progress(loop_pk):
    return with_progress(Loop.objects.filter(pk=loop_pk)).get().progress


def test_no_reminder_before_the_hand_in_even_past_the_due_time(sent):  # noqa: F811
    card = sent.interview.scorecards.get()
    later = card.due_at + timedelta(days=3)
    assert notifications.send_feedback_reminders(now=later) == 0


def test_the_review_is_due_after_the_hand_in_and_reminded_once_overdue(client, sent, bob):  # noqa: F811
    client.post(f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/x"})
    card = sent.interview.scorecards.get()
    hand_in = sent.hand_ins.get()
    hours = sent.interview.loop.job.organization.feedback_due_hours
    assert card.due_at == hand_in.created_at + timedelta(hours=hours)
    assert card.due_at < sent.due_at  # handed in early: due before the exercise's due time
    assert notifications.send_feedback_reminders(now=card.due_at - timedelta(minutes=1)) == 0
    assert notifications.send_feedback_reminders(now=card.due_at + timedelta(minutes=1)) == 1
    assert mail.outbox[-1].to == [bob.email]


def test_a_reviewer_added_after_the_hand_in_is_due_after_it_too(client, sent, org):  # noqa: F811
    client.post(f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/x"})
    interview = sent.interview
    dana = member(org, full_name="Dana Reviewer")
    reviewers = [c.interviewer for c in interview.scorecards.all()] + [dana]
    slot = scheduling.Slot(starts_at=interview.starts_at, ends_at=interview.ends_at)
    scheduling.reschedule(interview=interview, slot=slot, interviewers=reviewers, user=None)
    hours = interview.loop.job.organization.feedback_due_hours
    expected = sent.hand_ins.get().created_at + timedelta(hours=hours)
    assert interview.scorecards.get(interviewer=dana).due_at == expected


def test_the_loop_awaits_feedback_once_handed_in_before_the_due_time(client, sent):  # noqa: F811
    loop_pk = sent.interview.loop_id
    assert _progress(loop_pk) == Loop.Progress.SCHEDULED
    client.post(f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/x"})
    assert _progress(loop_pk) == Loop.Progress.AWAITING_FEEDBACK
