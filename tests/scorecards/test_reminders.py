"""E-mails about interviews: reminders of overdue feedback (once per reminder interval, however
many runs at once), the kit before an interview, "all feedback is in" to the hiring manager.

Tests marked with `celery_worker` run the tasks in a real worker on Redis; the mail server is
the in-memory one of Django's tests, or one of tests/broken_mail.py's that fail.
"""

import email.utils
import json
import time
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, Role
from candidates import erasure
from candidates.models import Interview, Loop
from scorecards import notifications
from scorecards.models import FeedbackInEmail, FeedbackReminder, KitEmail, Scorecard
from scorecards.tasks import send_feedback_reminders
from tests.accounts.test_races import at_once
from tests.factories import OrganizationFactory, make_job, make_loop, member, schedule, submit
from tests.html import visible_text
from tests.scorecards.conftest import card_url, complete_form

pytestmark = pytest.mark.django_db


def overdue(card: Scorecard, by: timedelta = timedelta(hours=2)) -> Scorecard:
    """The draft as if its due time passed `by` ago."""
    Scorecard.objects.filter(pk=card.pk).update(due_at=timezone.now() - by)
    card.refresh_from_db()
    return card


def mails_to(email: str) -> list:
    return [message for message in mail.outbox if message.to == [email]]


def html_of(message) -> str:
    (html,) = [content for content, kind in message.alternatives if kind == "text/html"]
    return html


def all_text(message) -> str:
    return "\n".join([message.subject, message.body, html_of(message)])


def kit_link(interview: Interview) -> str:
    return f"http://testserver/o/{interview.loop.job.organization.slug}/interviews/{interview.pk}/"


def run_command() -> list[str]:
    out = StringIO()
    call_command("send_feedback_reminders", stdout=out)
    return out.getvalue().splitlines()


# Reminders


def test_an_overdue_draft_is_reminded_with_a_link_to_its_kit(interview, bob, bobs, adas):
    overdue(bobs)
    assert notifications.send_feedback_reminders() == 1
    (message,) = mail.outbox
    assert message.to == [bob.email]
    candidate = interview.loop.candidate.name
    assert message.subject == f"Feedback overdue: {candidate}, {interview.stage.name}"
    assert kit_link(interview) in message.body
    assert f'href="{kit_link(interview)}"' in html_of(message)
    assert "2 h overdue" in message.body
    reminder = FeedbackReminder.objects.get()
    assert (reminder.scorecard, reminder.number) == (bobs, 1)


def test_a_reminder_goes_once_per_interval_however_often_the_run_comes(org, bobs):
    overdue(bobs)
    assert notifications.send_feedback_reminders() == 1
    assert notifications.send_feedback_reminders() == 0
    assert notifications.send_feedback_reminders() == 0
    # Almost a whole interval later: still nothing.
    interval = timedelta(hours=org.reminder_interval_hours)
    FeedbackReminder.objects.update(sent_at=timezone.now() - interval + timedelta(minutes=5))
    assert notifications.send_feedback_reminders() == 0
    # Once the interval has passed, the next one.
    FeedbackReminder.objects.update(sent_at=timezone.now() - interval - timedelta(minutes=1))
    assert notifications.send_feedback_reminders() == 1
    assert list(FeedbackReminder.objects.values_list("number", flat=True)) == [1, 2]
    assert len(mail.outbox) == 2


def test_the_organizations_interval_sets_how_often(org, bobs):
    org.reminder_interval_hours = 2
    org.save()
    overdue(bobs, by=timedelta(days=1))
    assert notifications.send_feedback_reminders() == 1
    FeedbackReminder.objects.update(sent_at=timezone.now() - timedelta(hours=2, minutes=1))
    assert notifications.send_feedback_reminders() == 1
    assert "every 2 hours" in mail.outbox[-1].body


def test_only_drafts_still_owed_get_reminders(org, interview, bob, ada, bobs, adas):
    """Not yet due, submitted, archived (taken off), a decided loop, an erased candidate, a
    member since removed: nothing. Only the one overdue open draft is reminded."""
    submit(overdue(adas))
    not_yet_due = interview.scorecards.get(interviewer=bob)
    assert not_yet_due.due_at > timezone.now()

    carol = member(org, Role.INTERVIEWER, email="carol@alpha.test")
    dave = member(org, Role.INTERVIEWER, email="dave@alpha.test")
    held = timezone.now() - timedelta(days=3)
    taken_off = schedule(make_loop(org), interviewers=[carol], starts_at=held)
    Scorecard.objects.filter(interview=taken_off).update(archived_at=timezone.now())
    decided = schedule(make_loop(org), interviewers=[carol], starts_at=held)
    Loop.objects.filter(pk=decided.loop_id).update(status=Loop.Status.OFFER)
    erased = schedule(make_loop(org), interviewers=[carol], starts_at=held)
    erasure.erase_candidate(candidate=erased.loop.candidate, user=None)
    left = schedule(make_loop(org), interviewers=[dave], starts_at=held)
    Membership.objects.filter(user=dave).delete()
    owed = schedule(make_loop(org), interviewers=[carol], starts_at=held)
    Scorecard.objects.update(due_at=timezone.now() - timedelta(hours=1))
    Scorecard.objects.filter(pk=not_yet_due.pk).update(due_at=timezone.now() + timedelta(hours=1))

    assert notifications.send_feedback_reminders() == 1
    (message,) = mail.outbox
    assert message.to == ["carol@alpha.test"]
    assert kit_link(owed) in message.body
    assert {r.scorecard.interview_id for r in FeedbackReminder.objects.all()} == {owed.pk}
    assert left.pk not in {r.scorecard.interview_id for r in FeedbackReminder.objects.all()}


def test_reminders_go_even_to_members_who_turned_other_emails_off(bob, bobs):
    Membership.objects.filter(user=bob).update(notification_emails=False)
    overdue(bobs)
    assert notifications.send_feedback_reminders() == 1
    assert mails_to(bob.email)


def test_a_reminder_tells_times_in_the_organizations_time_zone(org, interview, bobs):
    org.time_zone = "Asia/Tokyo"
    org.save()
    due = datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC"))
    Scorecard.objects.filter(pk=bobs.pk).update(due_at=due)
    notifications.send_feedback_reminders()
    (message,) = mail.outbox
    assert "was due Mon 2 Mar 2026, 10:30 (Asia/Tokyo)" in message.body
    assert "was due Mon 2 Mar 2026, 10:30 (Asia/Tokyo)" in html_of(message)


def test_user_text_in_an_email_is_escaped_in_its_html(org, bob):
    loop = make_loop(org)
    loop.candidate.name = "<b>Bold</b> & Co"
    loop.candidate.save()
    interview = schedule(loop, interviewers=[bob], starts_at=timezone.now() - timedelta(days=2))
    overdue(interview.scorecards.get())
    notifications.send_feedback_reminders()
    (message,) = mail.outbox
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html_of(message)
    assert "<b>Bold</b>" not in html_of(message)
    assert "<b>Bold</b> & Co" in message.body  # plain text, as written


def test_braces_and_quotes_in_names_reach_the_email_as_written(org, bob):
    """The e-mail's templates are format strings once rendered: a brace of the organization's
    or the candidate's is text, never a field."""
    org.name = "Acme {Labs}"
    org.save()
    loop = make_loop(org)
    loop.candidate.name = 'Ada {name} O\'Neil "{0}"'
    loop.candidate.save()
    interview = schedule(loop, interviewers=[bob], starts_at=timezone.now() - timedelta(days=2))
    overdue(interview.scorecards.get())
    assert notifications.send_feedback_reminders() == 1
    (message,) = mail.outbox
    assert 'Your feedback on Ada {name} O\'Neil "{0}" for' in message.body
    assert "Ada {name} O&#x27;Neil &quot;{0}&quot;" in html_of(message)
    assert "Acme {Labs} on Rubric" in message.body
    assert "Acme {Labs} on Rubric" in html_of(message)
    assert message.subject.startswith("Feedback overdue: Ada {name} O'Neil")


@pytest.mark.parametrize(
    "backend", ["tests.broken_mail.UnreachableSMTPBackend", "tests.broken_mail.RefusingProvider"]
)
def test_with_mail_failing_nothing_counts_as_sent_and_the_next_run_sends(
    settings, interview, bob, ada, bobs, adas, backend
):
    overdue(bobs)
    overdue(adas)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": backend}}
    assert run_command()[-1] == '{"sent": 0}'
    assert not FeedbackReminder.objects.exists()

    settings.MAILERS = working
    assert json.loads(run_command()[-1]) == {"sent": 2}
    assert {m.to[0] for m in mail.outbox} == {bob.email, ada.email}
    assert FeedbackReminder.objects.count() == 2


def test_reminders_to_several_people_each_go_out_as_their_own_whole_email(
    interview, bob, ada, bobs, adas
):
    """The MIME message that a mail server gets: headers shared between e-mails (parsed once)
    keep each e-mail's own recipient, subject and bodies; the Date (shared within a second) says
    when it was made, and each has its own Message-ID."""
    overdue(bobs)
    overdue(adas, by=timedelta(days=3))
    assert notifications.send_feedback_reminders() == 2
    ids = set()
    for person, late in ((bob, "2 h overdue"), (ada, "3 days overdue")):
        (message,) = mails_to(person.email)
        mime = message.message()
        assert abs(mime["Date"].datetime - timezone.now()) < timedelta(minutes=1)
        assert mime["Date"] == email.utils.format_datetime(mime["Date"].datetime)
        ids.add(mime["Message-ID"])
        assert mime["To"] == person.email
        assert mime["Subject"] == message.subject
        assert mime.get_content_type() == "multipart/alternative"
        text, html = (part.get_content() for part in mime.iter_parts())
        assert f"Hello {person.display_name}," in text
        assert late in text and late in html
        assert f'href="{kit_link(interview)}"' in html
        assert message.message().as_bytes().count(b"Content-Type: text/") == 2
    assert len(ids) == 2


class FailsAfterOne(MemoryBackend):
    """A mail server that takes one e-mail and then goes away."""

    taken = 0

    def send_messages(self, messages):
        if FailsAfterOne.taken:
            raise ConnectionResetError("Connection reset by peer")
        FailsAfterOne.taken += 1
        return super().send_messages(messages)


def test_a_server_failing_midway_keeps_what_went_and_the_rest_goes_next_run(
    settings, interview, bob, ada, bobs, adas
):
    overdue(bobs)
    overdue(adas)
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailsAfterOne"}}
    FailsAfterOne.taken = 0
    assert notifications.send_feedback_reminders() == 1
    (first,) = mail.outbox
    assert [r.scorecard.interviewer.email for r in FeedbackReminder.objects.all()] == first.to

    settings.MAILERS = working
    assert notifications.send_feedback_reminders() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([bob.email, ada.email])


def test_the_command_prints_json_as_its_last_line(bobs, adas):
    overdue(bobs)
    overdue(adas)
    assert json.loads(run_command()[-1]) == {"sent": 2}
    assert json.loads(run_command()[-1]) == {"sent": 0}


def test_beat_runs_the_tasks_every_15_minutes():
    schedule_ = django_settings.CELERY_BEAT_SCHEDULE
    tasks = {entry["task"]: entry["schedule"] for entry in schedule_.values()}
    assert tasks == {
        "scorecards.tasks.send_feedback_reminders": timedelta(minutes=15),
        "scorecards.tasks.send_kit_emails": timedelta(minutes=15),
        "scorecards.tasks.send_feedback_in_emails": timedelta(minutes=15),
        "exercises.tasks.send_exercise_emails": timedelta(minutes=15),
        "exercises.tasks.send_confirmations": timedelta(minutes=15),
    }


def test_many_overdue_drafts_go_in_batches_over_one_connection(settings, org):
    """Three batches, each a handful of queries however large, and one connection."""
    Connections.opened = 0
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.Connections"}}
    interviewers = [member(org) for _ in range(25)]
    schedule(make_loop(org), interviewers=interviewers, starts_at=timezone.now() - timedelta(2))
    Scorecard.objects.update(due_at=timezone.now() - timedelta(hours=1))
    with CaptureQueriesContext(connection) as captured:
        assert notifications.send_feedback_reminders(batch_size=10) == 25
    assert Connections.opened == 1
    # The organizations with drafts due; the keys of the drafts due (each batch then reads its
    # range of them, not all that is left); per batch: savepoint, the batch, its reminders,
    # release.
    assert len(captured) == 1 + 1 + 3 * 4, [q["sql"][:80] for q in captured]


class Connections(MemoryBackend):
    opened = 0

    def open(self):
        Connections.opened += 1
        return super().open()


# Runs at once, in a real worker


def eventually(check, timeout: float = 30) -> bool:
    """Whether `check()` comes true within `timeout` seconds, as a worker's work lands."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.django_db(transaction=True)
def test_the_task_sent_through_celery_really_reminds(celery_worker, interview, bob, bobs):
    overdue(bobs)
    send_feedback_reminders.delay()
    assert eventually(lambda: len(mail.outbox) == 1)
    assert [m.to for m in mail.outbox] == [[bob.email]]
    assert FeedbackReminder.objects.filter(scorecard=bobs).count() == 1


class SlowMemoryBackend(MemoryBackend):
    """The in-memory outbox, as slow as a real server: two runs overlap for sure."""

    def send_messages(self, messages):
        time.sleep(0.05)
        return super().send_messages(messages)


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_exactly_once(settings, org, attempt):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowMemoryBackend"}}
    interviewers = [member(org) for _ in range(6)]
    held = timezone.now() - timedelta(days=2)
    for n in range(4):
        schedule(make_loop(org), interviewers=interviewers[n : n + 3], starts_at=held)
    Scorecard.objects.update(due_at=timezone.now() - timedelta(hours=1))
    cards = Scorecard.objects.count()

    results = at_once(
        lambda: notifications.send_feedback_reminders(batch_size=5),
        lambda: notifications.send_feedback_reminders(batch_size=5),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == cards == 12
    assert len(mail.outbox) == cards
    reminded = list(FeedbackReminder.objects.values_list("scorecard", "number"))
    assert len(reminded) == len(set(reminded)) == cards
    assert {number for _, number in reminded} == {1}
    # Right after: nothing more.
    assert notifications.send_feedback_reminders() == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_and_the_command_at_once_send_each_reminder_once(settings, celery_worker, org):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowMemoryBackend"}}
    interviewers = [member(org) for _ in range(8)]
    schedule(make_loop(org), interviewers=interviewers, starts_at=timezone.now() - timedelta(1))
    Scorecard.objects.update(due_at=timezone.now() - timedelta(hours=1))
    send_feedback_reminders.delay()
    notifications.send_feedback_reminders(batch_size=3)
    assert eventually(lambda: len(mail.outbox) >= 8)
    time.sleep(0.5)  # time enough for a second, wrong, e-mail to arrive
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in interviewers)
    assert FeedbackReminder.objects.count() == 8


# The kit before the interview


@pytest.fixture
def upcoming(org, bob, ada):
    """Stage 1 of a loop in three hours, in Room 1 with a video link, Bob and Ada on it."""
    loop = make_loop(org)
    interview = schedule(
        loop, interviewers=[bob, ada], starts_at=timezone.now() + timedelta(hours=3)
    )
    Interview.objects.filter(pk=interview.pk).update(location="Room 1")
    interview.refresh_from_db()
    return interview


def test_each_interviewer_gets_the_kit_once_before_the_interview(org, upcoming, bob, ada):
    org.time_zone = "America/New_York"
    org.save()
    assert notifications.send_kit_emails() == 2
    assert notifications.send_kit_emails() == 0
    assert KitEmail.objects.count() == 2
    message = mails_to(bob.email)[0]
    assert message.subject.startswith(
        f"Interview kit: {upcoming.loop.candidate.name}, {upcoming.stage.name}, "
    )
    starts = upcoming.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"When: {starts:%a %-d %b %Y, %H:%M}–" in message.body
    assert "(America/New_York)" in message.body
    assert "Where: Room 1" in message.body
    assert "Video: https://meet.example.com/abc-defg" in message.body
    assert kit_link(upcoming) in message.body
    assert f'href="{kit_link(upcoming)}"' in html_of(message)
    assert "http://testserver/o/alpha/account/emails/" in message.body
    assert mails_to(ada.email)


def test_a_rescheduled_interview_sends_its_kit_again_with_the_new_time(upcoming, bob):
    assert notifications.send_kit_emails() == 2
    Interview.objects.filter(pk=upcoming.pk).update(
        starts_at=upcoming.starts_at + timedelta(hours=3),
        ends_at=upcoming.ends_at + timedelta(hours=3),
    )
    assert notifications.send_kit_emails() == 2
    assert notifications.send_kit_emails() == 0
    later = mails_to(bob.email)[-1]
    moved = (upcoming.starts_at + timedelta(hours=3)).astimezone(ZoneInfo("UTC"))
    assert f"When: {moved:%a %-d %b %Y, %H:%M}–" in later.body


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_kit_once(settings, org):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowMemoryBackend"}}
    interviewers = [member(org) for _ in range(6)]
    for n in range(3):
        when = timezone.now() + timedelta(hours=n + 1)
        schedule(make_loop(org), interviewers=interviewers[n : n + 3], starts_at=when)
    results = at_once(
        lambda: notifications.send_kit_emails(batch_size=4),
        lambda: notifications.send_kit_emails(batch_size=4),
    )
    assert sum(results) == 9, results
    assert len(mail.outbox) == KitEmail.objects.count() == 9


def test_the_kit_waits_until_the_organizations_hours_before(org, bob):
    org.kit_email_hours = 2
    org.save()
    interview = schedule(make_loop(org), interviewers=[bob])  # tomorrow
    assert notifications.send_kit_emails() == 0
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() + timedelta(hours=1, minutes=50),
        ends_at=timezone.now() + timedelta(hours=3),
    )
    assert notifications.send_kit_emails() == 1


def test_no_kit_for_members_who_turned_other_emails_off(upcoming, bob, ada):
    Membership.objects.filter(user=bob).update(notification_emails=False)
    assert notifications.send_kit_emails() == 1
    assert [m.to for m in mail.outbox] == [[ada.email]]


def test_no_kit_for_a_cancelled_interview_or_one_that_began(org, upcoming, bob):
    from candidates import scheduling

    scheduling.cancel(interview=upcoming, user=None)
    begun = schedule(make_loop(org), interviewers=[bob], starts_at=timezone.now())
    assert begun.starts_at <= timezone.now()
    assert notifications.send_kit_emails() == 0


# "All feedback is in"


@pytest.fixture
def manager(org):
    return member(org, Role.HIRING_MANAGER, email="harper@alpha.test", full_name="Harper HM")


@pytest.fixture
def full_loop(org, manager, bob, ada):
    """A loop of Harper's job with every stage held, Bob and Ada on each; all but Ada's last
    scorecard submitted."""
    loop = make_loop(org, job=make_job(org, hiring_manager=manager))
    held = timezone.now() - timedelta(days=3)
    for n, stage in enumerate(loop.guide_version.stages.all()):
        interview = schedule(
            loop, interviewers=[bob, ada], stage=stage, starts_at=held + timedelta(hours=n)
        )
        for card in interview.scorecards.all():
            submit(card)
    submit_back = Scorecard.objects.filter(interview__loop=loop).order_by("pk").last()
    Scorecard.objects.filter(pk=submit_back.pk).update(status="draft", submitted_at=None)
    return loop


def test_the_hiring_manager_hears_once_when_all_feedback_is_in(full_loop, manager, ada):
    assert notifications.send_feedback_in() == 0
    Scorecard.objects.filter(interview__loop=full_loop, status="draft").update(
        status="submitted", submitted_at=timezone.now()
    )
    assert notifications.send_feedback_in() == 1
    assert notifications.send_feedback_in() == 0
    (message,) = mail.outbox
    assert message.to == [manager.email]
    assert message.subject == (
        f"All feedback is in: {full_loop.candidate.name} for {full_loop.job.title}"
    )
    slug = full_loop.job.organization.slug
    assert f"http://testserver/o/{slug}/loops/{full_loop.pk}/" in message.body
    assert f"http://testserver/o/{slug}/loops/{full_loop.pk}/debrief/" in message.body
    assert "Ada Lovelace" in message.body
    assert FeedbackInEmail.objects.get().loop == full_loop


def test_no_all_feedback_in_while_a_stage_is_unscheduled(org, manager, bob):
    loop = make_loop(org, job=make_job(org, hiring_manager=manager))
    interview = schedule(loop, interviewers=[bob], starts_at=timezone.now() - timedelta(days=1))
    submit(interview.scorecards.get())
    assert notifications.send_feedback_in() == 0


def test_no_all_feedback_in_for_a_manager_who_turned_other_emails_off(full_loop, manager):
    Membership.objects.filter(user=manager).update(notification_emails=False)
    Scorecard.objects.filter(status="draft").update(status="submitted", submitted_at=timezone.now())
    assert notifications.send_feedback_in() == 0
    assert not mail.outbox


def test_the_last_submit_tells_the_hiring_manager_right_away(
    client, full_loop, manager, ada, django_capture_on_commit_callbacks
):
    from config.celery import app

    app.conf.task_always_eager = True  # the demo's way; the worker's is tested above
    try:
        last = Scorecard.objects.get(interview__loop=full_loop, status="draft")
        client.force_login(ada)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(card_url(last, "submit"), complete_form(last, intent="submit"))
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_a_submit_succeeds_with_the_broker_down(
    client, full_loop, ada, broker_down, django_capture_on_commit_callbacks
):
    last = Scorecard.objects.get(interview__loop=full_loop, status="draft")
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(card_url(last, "submit"), complete_form(last, intent="submit"))
    assert callbacks, "the submit asked for the hiring manager to be told"
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.is_submitted
    assert "Your feedback is submitted." in visible_text(client.get(response.url))
    # The periodic run tells the hiring manager instead.
    assert notifications.send_feedback_in() == 1


# Rules 1 and 2


SECRETS = ("SECRET-SUMMARY", "SECRET-NOTE", "SECRET-QUESTION")


def test_no_email_to_a_drafting_interviewer_holds_a_loop_mates_feedback(org, bob, ada):
    """Ada submitted on both stages with secret texts; Bob owes feedback on the first and
    interviews again soon: every e-mail he gets is free of Ada's feedback."""
    from scorecards.models import QuestionNote, Rating

    loop = make_loop(org, job=make_job(org, hiring_manager=bob))
    first, second = list(loop.guide_version.stages.all())[:2]
    held = schedule(
        loop, interviewers=[bob, ada], stage=first, starts_at=timezone.now() - timedelta(days=2)
    )
    soon = schedule(
        loop, interviewers=[bob, ada], stage=second, starts_at=timezone.now() + timedelta(hours=2)
    )
    adas = held.scorecards.get(interviewer=ada)
    submit(adas, recommendation=4, summary=SECRETS[0])
    Rating.objects.filter(scorecard=adas).update(note=SECRETS[1])
    QuestionNote.objects.create(scorecard=adas, question=first.questions.first(), text=SECRETS[2])
    overdue(held.scorecards.get(interviewer=bob))
    notifications.send_feedback_reminders()
    notifications.send_kit_emails()
    notifications.send_feedback_in()
    to_bob = mails_to(bob.email)
    assert len(to_bob) == 2  # the reminder and the next kit
    for message in to_bob:
        text = all_text(message)
        for secret in SECRETS:
            assert secret not in text
        assert "Strong Hire" not in text
    assert soon.scorecards.filter(interviewer=bob, kit_emails__isnull=False).exists()


def test_emails_name_nothing_of_another_organization(org, other_org, bob):
    """Bob belongs to both organizations and owes feedback in each: two e-mails, each of its
    own organization only."""
    Membership.objects.create(organization=other_org, user=bob, role=Role.INTERVIEWER)
    ours = make_loop(org, job=make_job(org, title="Alpha Role"))
    theirs = make_loop(other_org, job=make_job(other_org, title="Bravo Role"))
    held = timezone.now() - timedelta(days=2)
    for loop in (ours, theirs):
        overdue(schedule(loop, interviewers=[bob], starts_at=held).scorecards.get())
    other_org.time_zone = "Asia/Tokyo"
    other_org.save()
    assert notifications.send_feedback_reminders() == 2
    by_org = {}
    for message in mails_to(bob.email):
        by_org["alpha" if "/o/alpha/" in message.body else "bravo"] = all_text(message)
    assert set(by_org) == {"alpha", "bravo"}
    for mine, other, loop in (("alpha", "bravo", theirs), ("bravo", "alpha", ours)):
        text = by_org[mine]
        assert f"/o/{other}/" not in text
        assert loop.candidate.name not in text
        assert loop.job.title not in text
    assert "Asia/Tokyo" in by_org["bravo"] and "Asia/Tokyo" not in by_org["alpha"]


# The loop page


def test_the_loop_page_lists_who_was_reminded_and_when(client, org, alice, interview, bobs):
    org.time_zone = "Europe/Berlin"
    org.save()
    overdue(bobs)
    notifications.send_feedback_reminders()
    first = datetime(2026, 5, 4, 7, 15, tzinfo=ZoneInfo("UTC"))
    FeedbackReminder.objects.update(sent_at=first)
    FeedbackReminder.objects.create(
        scorecard=bobs, number=2, sent_at=first + timedelta(days=1, hours=1)
    )
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/loops/{interview.loop_id}/"))
    assert (
        f"Reminders sent Bob Interviewer, {interview.stage.name}: "
        "Mon 4 May 2026, 09:15 · Tue 5 May 2026, 10:15"
    ) in text


def test_the_loop_page_has_no_reminders_section_without_reminders(client, org, alice, interview):
    client.force_login(alice)
    assert "Reminders sent" not in client.get(f"/o/{org.slug}/loops/{interview.loop_id}/").text


def test_a_reminder_of_another_organization_never_shows(client, org, other_org, alice, charlie):
    theirs = schedule(
        make_loop(other_org), interviewers=[charlie], starts_at=timezone.now() - timedelta(1)
    )
    overdue(theirs.scorecards.get())
    notifications.send_feedback_reminders()
    ours = schedule(make_loop(org), interviewers=[alice], starts_at=timezone.now() - timedelta(1))
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/loops/{ours.loop_id}/")
    assert "Reminders sent" not in page.text and "Charlie" not in page.text


def test_a_new_organization_with_nothing_due_sends_nothing():
    OrganizationFactory()
    assert notifications.send_feedback_reminders() == 0
    assert notifications.send_kit_emails() == 0
    assert notifications.send_feedback_in() == 0
