"""What the candidate receives about their interviews: a confirmation when one is scheduled,
the news when it moves or is cancelled, each with a calendar file, in their own time zone, and
nothing of what the interviewers read or write; and the recruiter's switch per loop."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from candidates import scheduling
from exercises import confirmations
from exercises.models import Confirmation
from tests.factories import CandidateFactory, make_job, make_loop, schedule

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def loop(org):
    candidate = CandidateFactory(organization=org, name="Marie Curie", time_zone="Asia/Tokyo")
    return make_loop(org, job=make_job(org), candidate=candidate)


@pytest.fixture
def stage(loop):
    return loop.guide_version.stages.get(name="Stage 1")


def _starts() -> datetime:
    """Next week, 09:30 in Berlin: 17:30 in Tokyo."""
    day = timezone.now().astimezone(ZoneInfo("Europe/Berlin")).date() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def _schedule(client, alice, bob, loop, stage):
    """Alice schedules Stage 1 with Bob on the loop page's form, in a room with a video link."""
    client.force_login(alice)
    starts = timezone.localtime(_starts(), loop.job.organization.zone)
    response = client.post(
        f"/o/alpha/loops/{loop.pk}/schedule/",
        {
            "stage": stage.pk,
            "date": starts.date().isoformat(),
            "start": starts.strftime("%H:%M"),
            "end": (starts + timedelta(hours=1)).strftime("%H:%M"),
            "location": "Room 4, Main Street 1",
            "video_link": "https://meet.example.com/abc-def",
            "interviewers": [bob.pk],
        },
    )
    assert response.status_code == 302, response.content
    return loop.interviews.get(stage=stage, status="scheduled")


def _calendar(message) -> icalendar.Calendar:
    (name, content, mimetype), *_ = [a for a in message.attachments if a[0].endswith(".ics")]
    assert mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def test_the_candidate_is_told_of_a_scheduled_interview_in_their_own_time_zone(
    client, alice, bob, loop, stage
):
    interview = _schedule(client, alice, bob, loop, stage)
    assert confirmations.send_confirmations() == 1
    (message,) = mail.outbox
    assert message.to == [loop.candidate.email]
    assert "Stage 1" in message.subject
    local = _starts().astimezone(TOKYO)
    assert f"{local:%H}:{local:%M}" in message.body and "(Asia/Tokyo)" in message.body
    assert "Bob Interviewer" in message.body
    assert "Room 4, Main Street 1" in message.body
    assert "https://meet.example.com/abc-def" in message.body
    # The stage's directions to share with the candidate, the company filled in.
    assert "We will talk about pipelines at Alpha GmbH in stage 1." in message.body
    html = message.alternatives[0].content
    assert "Bob Interviewer" in html and "pipelines at" in html
    event = _calendar(message).walk("VEVENT")[0]
    assert _calendar(message)["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == interview.starts_at
    assert str(event["LOCATION"]) == "https://meet.example.com/abc-def"
    assert confirmations.send_confirmations() == 0  # once


def test_an_e_mail_to_the_candidate_holds_nothing_of_what_interviewers_read_or_write(
    client, alice, bob, loop, stage
):
    interview = _schedule(client, alice, bob, loop, stage)
    card = interview.scorecards.get()
    card.next_note = "Probe the retry logic hard"
    card.summary = "Private summary"
    card.save()
    confirmations.send_confirmations()
    (message,) = mail.outbox
    everything = message.body + message.alternatives[0].content
    everything += "".join(str(content) for _name, content, _type in message.attachments)
    interviewer_only = [stage.interviewer_directions, stage.evaluation_criteria]
    interviewer_only += [question.text for question in stage.questions.all()]
    interviewer_only += [p.text for q in stage.questions.all() for p in q.points.all()]
    for criterion in stage.criteria.all():
        interviewer_only += [criterion.name, criterion.description]
        interviewer_only += [criterion.anchor_1, criterion.anchor_2, criterion.anchor_3]
        interviewer_only += [criterion.anchor_4]
    interviewer_only += ["Probe the retry logic hard", "Private summary", "/interviews/"]
    for text in filter(None, interviewer_only):
        for line in filter(None, (line.strip("- ") for line in text.splitlines())):
            assert line not in everything, line


def test_a_move_and_a_cancellation_are_each_told_once_with_their_calendar_files(
    client, alice, bob, loop, stage
):
    interview = _schedule(client, alice, bob, loop, stage)
    confirmations.send_confirmations()
    later = interview.starts_at + timedelta(days=1)
    slot = scheduling.Slot(
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        location=interview.location,
        video_link=interview.video_link,
    )
    scheduling.reschedule(interview=interview, slot=slot, interviewers=[bob], user=alice)
    assert confirmations.send_confirmations() == 1
    moved = mail.outbox[-1]
    assert moved.subject.startswith("Changed:")
    assert f"{later.astimezone(TOKYO):%H:%M}" in moved.body
    assert _calendar(moved).walk("VEVENT")[0]["SEQUENCE"] == 1
    # Only who interviews changes: nothing new to tell the candidate.
    scheduling.reschedule(interview=interview, slot=slot, interviewers=[alice], user=alice)
    assert confirmations.send_confirmations() == 0

    scheduling.cancel(interview=interview, user=alice)
    assert confirmations.send_confirmations() == 1
    cancelled = mail.outbox[-1]
    assert cancelled.subject.startswith("Cancelled:")
    assert "is cancelled" in cancelled.body
    calendar = _calendar(cancelled)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    uids = {str(_calendar(m).walk("VEVENT")[0]["UID"]) for m in mail.outbox}
    assert len(uids) == 1  # the same event, updated then taken out
    assert confirmations.send_confirmations() == 0
    assert list(Confirmation.objects.values_list("kind", flat=True).order_by("sequence")) == [
        "scheduled",
        "moved",
        "cancelled",
    ]


def test_a_cancellation_of_an_interview_never_confirmed_is_not_sent(alice, bob, loop, stage):
    loop.confirmations = False
    loop.save()
    interview = schedule(loop, stage=stage, interviewers=[bob])
    loop.confirmations = True
    loop.save()
    scheduling.cancel(interview=interview, user=alice)
    assert confirmations.send_confirmations() == 0


def test_the_recruiter_turns_confirmations_off_and_on_per_loop(client, alice, bob, loop, stage):
    client.force_login(alice)
    page = client.get(f"/o/alpha/loops/{loop.pk}/").text
    assert "Turn confirmations off" in page
    response = client.post(f"/o/alpha/loops/{loop.pk}/confirmations/", {"confirmations": "off"})
    assert response.status_code == 302
    loop.refresh_from_db()
    assert not loop.confirmations
    assert "Interview confirmations are off" in client.get(f"/o/alpha/loops/{loop.pk}/").text
    schedule(loop, stage=stage, interviewers=[bob])
    assert confirmations.send_confirmations() == 0
    # Turned on again, the interview still to come is confirmed.
    client.post(f"/o/alpha/loops/{loop.pk}/confirmations/", {"confirmations": "on"})
    assert confirmations.send_confirmations() == 1


def test_an_interviewer_may_not_turn_confirmations_off(client, bob, charlie, loop):
    client.force_login(bob)
    response = client.post(f"/o/alpha/loops/{loop.pk}/confirmations/", {"confirmations": "off"})
    assert response.status_code == 403
    client.force_login(charlie)
    response = client.post(f"/o/bravo/loops/{loop.pk}/confirmations/", {"confirmations": "off"})
    assert response.status_code == 404
    loop.refresh_from_db()
    assert loop.confirmations


def test_take_homes_past_interviews_and_decided_loops_get_no_confirmation(alice, bob, loop):
    take_home = loop.guide_version.stages.get(kind="take_home")
    schedule(loop, stage=take_home, interviewers=[bob])  # its e-mail is the exercise's link
    past = timezone.now() - timedelta(days=2)
    schedule(loop, stage=loop.guide_version.stages.get(name="Stage 1"), interviewers=[bob],
             starts_at=past)  # fmt: skip
    assert confirmations.send_confirmations() == 0
    other = make_loop(loop.job.organization, job=loop.job)
    schedule(other, interviewers=[bob])
    other.status = "withdrawn"
    other.save()
    assert confirmations.send_confirmations() == 0


@pytest.mark.django_db(transaction=True)
def test_scheduling_queues_the_confirmation_on_a_real_worker(celery_worker, org, alice, bob):
    loop = make_loop(org, job=make_job(org))
    schedule(loop, interviewers=[bob])
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [m.to for m in mail.outbox] == [[loop.candidate.email]]
