"""The note for the next interviewers and the hand-ins: the one exception to rule 2. Later
stages of the same loop read them before they score; nothing else of the card crosses."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone

from accounts.models import Role
from exercises import sending
from guides.models import Recommendation
from scorecards.models import QuestionNote, Scorecard
from tests.factories import make_job, make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db

NOTE = "Probe-the-retry-logic"
SECRETS = ("Ada-secret-summary", "Ada-secret-rating-note", "Ada-secret-question-note")


@pytest.fixture
def loop(org):
    return make_loop(org, job=make_job(org))


@pytest.fixture
def ada(org):
    return member(org, Role.INTERVIEWER, full_name="Ada Earlier")


def _stages(loop):
    return list(loop.guide_version.stages.order_by("position", "pk"))


def _ada_submits(loop, ada, stage, note=NOTE):
    interview = schedule(
        loop, stage=stage, interviewers=[ada], starts_at=timezone.now() - timedelta(days=2)
    )
    card = interview.scorecards.get()
    card.next_note = note
    card.save()
    card = submit(card, recommendation=Recommendation.STRONG_HIRE, summary=SECRETS[0], score=4)
    card.ratings.update(note=SECRETS[1])
    for question in stage.questions.all():
        QuestionNote.objects.create(scorecard=card, question=question, text=SECRETS[2])
    return card


def test_a_later_stage_reads_the_earlier_note_before_scoring_and_nothing_else(
    client, loop, ada, bob
):
    first, second, *_ = _stages(loop)
    _ada_submits(loop, ada, first)
    later = schedule(loop, stage=second, interviewers=[bob])
    client.force_login(bob)
    response = client.get(f"/o/alpha/interviews/{later.pk}/")
    assert response.status_code == 200
    assert NOTE in response.text
    assert "Ada Earlier" in response.text and first.name in response.text
    for secret in SECRETS:
        assert secret not in response.text


def test_an_earlier_or_the_same_stage_reads_no_note(client, loop, ada, bob, org):
    first, second, *_ = _stages(loop)
    _ada_submits(loop, ada, second)
    earlier = schedule(loop, stage=first, interviewers=[bob])
    client.force_login(bob)
    assert NOTE not in client.get(f"/o/alpha/interviews/{earlier.pk}/").text
    # A co-interviewer of the same stage waits for their own submit, as for everything else.
    carol = member(org, Role.INTERVIEWER)
    same = Scorecard.objects.get(interviewer=ada).interview
    Scorecard.objects.create(interview=same, interviewer=carol, due_at=timezone.now())
    client.force_login(carol)
    assert NOTE not in client.get(f"/o/alpha/interviews/{same.pk}/").text


def test_a_draft_note_is_not_shared(client, loop, ada, bob):
    first, second, *_ = _stages(loop)
    interview = schedule(loop, stage=first, interviewers=[ada])
    interview.scorecards.update(next_note=NOTE)
    later = schedule(loop, stage=second, interviewers=[bob])
    client.force_login(bob)
    assert NOTE not in client.get(f"/o/alpha/interviews/{later.pk}/").text


def test_the_note_autosaves_and_is_labelled_as_shared(client, loop, bob):
    interview = schedule(loop, interviewers=[bob])
    card = interview.scorecards.get()
    client.force_login(bob)
    page = client.get(f"/o/alpha/interviews/{interview.pk}/").text
    assert "For the next interviewers" in page and "later stages of this loop" in page
    response = client.post(
        f"/o/alpha/scorecards/{card.pk}/field/", {"next_note": "<i>Ask</i>", "revision": "0"}
    )
    assert response.status_code == 200
    card.refresh_from_db()
    assert card.next_note == "<i>Ask</i>"


def _hand_in(loop, reviewer):
    take_home = loop.guide_version.stages.get(kind="take_home")
    interview = schedule(
        loop, stage=take_home, interviewers=[reviewer], starts_at=timezone.now(), minutes=3 * 1440
    )
    sending.hand_in(
        exercise=interview.exercise,
        repository_url="https://git.example.com/cand/api",
        file=SimpleUploadedFile("work.pdf", b"%PDF-1.4 stand-in"),
        note="<script>Run make</script>",
    )
    return interview


def test_the_reviewers_kit_shows_the_hand_in_with_the_exercise_and_criteria(client, loop, bob):
    interview = _hand_in(loop, bob)
    client.force_login(bob)
    page = client.get(f"/o/alpha/interviews/{interview.pk}/").text
    assert "https://git.example.com/cand/api" in page and "work.pdf" in page
    assert "&lt;script&gt;Run make&lt;/script&gt;" in page
    assert "Build a small ingestion job." in page and "Evaluation criteria" in page
    card = interview.scorecards.get()
    assert card.due_at > timezone.now()


def test_a_later_stage_reads_the_hand_in(client, loop, ada, bob):
    take_home = loop.guide_version.stages.get(kind="take_home")
    # The factory's guide puts its take-home last; this loop's guide runs it first.
    loop.guide_version.stages.exclude(pk=take_home.pk).update(position=F("position") + 1)
    take_home.position = 0
    take_home.save()
    _hand_in(loop, ada)
    first = _stages(loop)[1]
    later = schedule(loop, stage=first, interviewers=[bob])
    client.force_login(bob)
    page = client.get(f"/o/alpha/interviews/{later.pk}/").text
    assert "https://git.example.com/cand/api" in page


def test_an_interviewer_of_an_earlier_stage_does_not_read_a_later_take_home(client, loop, bob):
    other = member(loop.job.organization, Role.INTERVIEWER)
    _hand_in(loop, other)
    earlier = schedule(loop, stage=_stages(loop)[0], interviewers=[bob])
    client.force_login(bob)
    assert "git.example.com/cand/api" not in client.get(f"/o/alpha/interviews/{earlier.pk}/").text


def test_the_reviewers_due_time_follows_the_hand_in(client, loop, bob):
    interview = _hand_in(loop, bob)
    client.force_login(bob)
    page = client.get(f"/o/alpha/interviews/{interview.pk}/").text
    assert "hours after the hand-in." in page
