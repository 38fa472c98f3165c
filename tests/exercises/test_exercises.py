"""Sending a take-home, the candidate's private page and hand-in, and the exercise e-mails."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exercises import emails, sending
from exercises.models import Exercise, HandIn
from tests.factories import make_job, make_loop, member

pytestmark = pytest.mark.django_db


def _take_home(loop):
    return loop.guide_version.stages.get(kind="take_home")


@pytest.fixture
def loop(org):
    return make_loop(org, job=make_job(org))


@pytest.fixture
def sent(client, alice, bob, loop):
    """The take-home sent by Alice, due in three days, reviewed by Bob."""
    client.force_login(alice)
    due = timezone.localtime(timezone.now() + timedelta(days=3), loop.job.organization.zone)
    response = client.post(
        f"/o/alpha/loops/{loop.pk}/exercise/?stage={_take_home(loop).pk}",
        {
            "due_date": due.date().isoformat(),
            "due_time": "18:00",
            "grace_hours": "48",
            "reviewers": [bob.pk],
        },
    )
    assert response.status_code == 302
    client.logout()
    return Exercise.objects.get(interview__loop=loop)


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app/main.py", "print('hi')\n")
    return buffer.getvalue()


def test_the_send_page_shows_the_guides_effort_and_the_exercise(client, alice, loop):
    client.force_login(alice)
    response = client.get(f"/o/alpha/loops/{loop.pk}/exercise/?stage={_take_home(loop).pk}")
    assert response.status_code == 200
    assert "Build a small ingestion job." in response.text
    assert "Choose at least one reviewer" not in response.text


def test_sending_schedules_the_stage_and_emails_the_candidate_their_private_link(sent, bob):
    interview = sent.interview
    assert interview.stage.is_take_home
    assert [c.interviewer for c in interview.scorecards.all()] == [bob]
    assert emails.send_exercise_emails() == 1
    message = mail.outbox[0]
    assert message.to == [interview.loop.candidate.email]
    assert sent.link in message.body
    assert "Build a small ingestion job" not in message.subject
    # Only the hash of the token is stored.
    assert sent.token() not in str(Exercise.objects.filter(pk=sent.pk).values().get())
    assert emails.send_exercise_emails() == 0  # once


def test_sending_refuses_a_past_due_date_and_no_reviewer(client, alice, loop):
    client.force_login(alice)
    response = client.post(
        f"/o/alpha/loops/{loop.pk}/exercise/?stage={_take_home(loop).pk}",
        {"due_date": "2001-01-01", "due_time": "18:00", "grace_hours": "48"},
    )
    assert response.status_code == 400
    assert "The due time must be in the future." in response.text
    assert "Choose at least one reviewer." in response.text
    assert not Exercise.objects.exists()


def test_an_interviewer_may_not_send(client, bob, loop):
    client.force_login(bob)
    response = client.get(f"/o/alpha/loops/{loop.pk}/exercise/?stage={_take_home(loop).pk}")
    assert response.status_code == 403


def test_the_candidates_page_shows_the_exercise_without_an_account(client, sent, org):
    response = client.get(f"/exercise/{sent.token()}/")
    assert response.status_code == 200
    assert "Build a small ingestion job." in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    sent.refresh_from_db()
    assert sent.opened_at is not None
    assert sent.state() == "opened"


@pytest.mark.parametrize("token", ["wrong", "x" * 64, "a" * 300])
def test_a_wrong_token_answers_404(client, sent, token):
    assert client.get(f"/exercise/{token}/").status_code == 404


def test_an_expired_or_cancelled_link_answers_404(client, sent):
    Exercise.objects.filter(pk=sent.pk).update(due_at=timezone.now() - timedelta(days=3))
    assert client.get(f"/exercise/{sent.token()}/").status_code == 404
    Exercise.objects.filter(pk=sent.pk).update(due_at=timezone.now() + timedelta(days=3))
    assert client.get(f"/exercise/{sent.token()}/").status_code == 200
    sent.interview.status = "cancelled"
    sent.interview.save()
    assert client.get(f"/exercise/{sent.token()}/").status_code == 404


def test_the_candidate_hands_in_a_link_and_a_file_and_the_reviewer_is_told(client, sent, bob):
    response = client.post(
        f"/exercise/{sent.token()}/",
        {
            "repository_url": "https://git.example.com/me/api",
            "file": SimpleUploadedFile("work.zip", _zip()),
            "note": "<b>Run make</b>",
        },
    )
    assert response.status_code == 200
    assert "Received, thank you." in response.text
    hand_in = HandIn.objects.get()
    assert not hand_in.late and hand_in.file_name == "work.zip"
    assert hand_in.note == "<b>Run make</b>"
    card = sent.interview.scorecards.get()
    hours = sent.interview.loop.job.organization.feedback_due_hours
    assert abs(card.due_at - (hand_in.created_at + timedelta(hours=hours))) < timedelta(minutes=1)
    mail.outbox.clear()
    emails.send_exercise_emails()
    notices = [m for m in mail.outbox if m.to == [bob.email]]
    assert len(notices) == 1 and "/o/alpha/interviews/" in notices[0].body
    # Again, until the due time: each kept.
    client.post(f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/v2"})
    assert HandIn.objects.count() == 2


def test_a_late_hand_in_is_accepted_and_marked_late(client, sent):
    Exercise.objects.filter(pk=sent.pk).update(due_at=timezone.now() - timedelta(hours=1))
    response = client.post(
        f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/me/api"}
    )
    assert response.status_code == 200
    assert "marked late" in response.text
    assert HandIn.objects.get().late
    assert sent.state() == "late"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Hand in a repository link, a file, or both."),
        ({"repository_url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"file": SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf")}, "not a PDF, a .zip"),
        ({"file": SimpleUploadedFile("x.zip", b"PK\x03\x04broken")}, "not a PDF, a .zip"),
        ({"note": "x" * 5001, "repository_url": "https://a.example"}, "at most 5000"),
    ],
)
def test_bad_hand_ins_get_a_clear_message_and_keep_what_was_typed(client, sent, data, error):
    data = {"note": "My notes", **data}
    response = client.post(f"/exercise/{sent.token()}/", data)
    assert response.status_code == 400
    assert error in response.text
    if len(data["note"]) <= 5000:
        assert "My notes" in response.text
    assert not HandIn.objects.exists()


def test_the_reminder_goes_once_24_hours_before_and_not_after_a_hand_in(client, sent, loop):
    emails.send_exercise_emails()  # the link
    mail.outbox.clear()
    soon = timezone.now() + timedelta(hours=30)
    assert emails.send_exercise_emails(now=soon - timedelta(hours=10)) == 0
    assert emails.send_exercise_emails(now=sent.due_at - timedelta(hours=20)) == 1
    assert "Reminder" in mail.outbox[0].subject
    assert emails.send_exercise_emails(now=sent.due_at - timedelta(hours=10)) == 0


def test_no_reminder_once_handed_in(client, sent):
    emails.send_exercise_emails()
    client.post(f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/x"})
    mail.outbox.clear()
    emails.send_exercise_emails(now=sent.due_at - timedelta(hours=20))
    assert not any("Reminder" in m.subject for m in mail.outbox)


def test_resend_sends_the_same_link_again_and_extend_keeps_it_open(client, alice, sent):
    emails.send_exercise_emails()
    client.force_login(alice)
    assert client.post(f"/o/alpha/exercises/{sent.pk}/resend/").status_code == 302
    assert emails.send_exercise_emails() == 1
    assert mail.outbox[-1].body.count(sent.link) == 1
    client.post(f"/o/alpha/exercises/{sent.pk}/extend/", {"hours": "48"})
    sent.refresh_from_db()
    assert sent.grace_hours == 96


def test_the_hand_in_file_is_served_to_the_loops_people_only(client, sent, bob, org, charlie):
    client.post(f"/exercise/{sent.token()}/", {"file": SimpleUploadedFile("w.zip", _zip())})
    hand_in = HandIn.objects.get()
    url = f"/o/alpha/hand-ins/{hand_in.pk}/file/"
    client.force_login(bob)  # the reviewer
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    client.force_login(member(org))  # an interviewer elsewhere
    assert client.get(url).status_code == 404
    client.force_login(charlie)
    assert client.get(f"/o/bravo/hand-ins/{hand_in.pk}/file/").status_code == 404


def test_another_organizations_exercise_answers_404(client, sent, charlie):
    client.force_login(charlie)
    assert client.post(f"/o/bravo/exercises/{sent.pk}/resend/").status_code == 404
    assert client.post(f"/o/bravo/exercises/{sent.pk}/extend/", {"hours": "4"}).status_code == 404


def test_the_loop_page_shows_the_state_and_the_link(client, alice, sent, loop):
    client.force_login(alice)
    response = client.get(f"/o/alpha/loops/{loop.pk}/")
    assert "Opened" in response.text or "Sent" in response.text
    assert sent.link in response.text


def test_the_workflow_refuses_a_hand_in_after_the_link_closed(sent):
    Exercise.objects.filter(pk=sent.pk).update(due_at=timezone.now() - timedelta(days=10))
    with pytest.raises(sending.Refused):
        sending.hand_in(exercise=sent, repository_url="https://a.example")


def test_erasure_removes_the_hand_ins_and_the_link(
    client, alice, sent, django_capture_on_commit_callbacks
):
    from candidates import erasure

    client.post(f"/exercise/{sent.token()}/", {"file": SimpleUploadedFile("w.zip", _zip())})
    hand_in = HandIn.objects.get()
    storage, name = hand_in.file.storage, hand_in.file.name
    token = sent.token()
    card = sent.interview.scorecards.get()
    card.next_note = "Ask about the cache"
    card.save()
    with django_capture_on_commit_callbacks(execute=True):
        erasure.erase_candidate(candidate=sent.interview.loop.candidate, user=alice)
    assert not HandIn.objects.exists()
    assert not storage.exists(name)
    assert client.get(f"/exercise/{token}/").status_code == 404
    card.refresh_from_db()
    assert card.next_note == ""


def test_rescheduling_the_take_home_moves_the_candidates_due_time(sent):
    from candidates import scheduling

    interview = sent.interview
    later = interview.ends_at + timedelta(days=2)
    slot = scheduling.Slot(starts_at=interview.starts_at, ends_at=later)
    reviewers = [card.interviewer for card in interview.scorecards.all()]
    scheduling.reschedule(interview=interview, slot=slot, interviewers=reviewers, user=None)
    sent.refresh_from_db()
    assert sent.due_at == later


def test_the_pipeline_shows_each_take_homes_state(client, alice, sent, loop):
    client.force_login(alice)
    page = client.get(f"/o/alpha/jobs/{loop.job_id}/").text
    assert '<small class="exercise-state">sent</small>' in page
    client.post(f"/exercise/{sent.token()}/", {"repository_url": "https://git.example.com/x"})
    page = client.get(f"/o/alpha/jobs/{loop.job_id}/").text
    assert '<small class="exercise-state">handed in</small>' in page
