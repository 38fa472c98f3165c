import json
import re
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, Role, User
from candidates.models import Activity, Candidate, Interview, Job, Loop
from candidates.services import with_progress
from debriefs.models import Debrief, RecommendationChange
from demo import data as demo_data
from demo.management.commands import seed_demo
from guides.models import GuideVersion, Recommendation
from insights.access import counted_for
from insights.reports import insights
from references.models import ReferenceCheck
from scorecards.models import Amendment, QuestionNote, Rating, Scorecard
from tests.factories import OrganizationFactory, seed_guide

pytestmark = pytest.mark.django_db


def test_create_organization_invites_its_first_admin(client):
    out = StringIO()
    call_command(
        "create_organization", "Initech Labs", "--admin-email", "Bill@Initech.test", stdout=out
    )
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["slug"] == "initech-labs"
    organization = Organization.objects.get(slug="initech-labs")
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role) == ("bill@initech.test", Role.ADMIN)
    assert mail.outbox[0].to == ["bill@initech.test"]
    path = re.search(r"https?://[^/]+(/.*)", result["invitation"]).group(1)
    page = client.get(path)
    assert "Join Initech Labs" in page.text
    assert "admin" in page.text


def test_create_organization_refuses_a_taken_slug_and_a_bad_address():
    OrganizationFactory(slug="acme")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_organization", "Acme", "--admin-email", "a@acme.test")
    with pytest.raises(CommandError, match="valid email"):
        call_command("create_organization", "Other", "--admin-email", "nobody")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["Two\nLines", "--admin-email", "a@example.test"], "single line"),
        (["n" * 101, "--admin-email", "a@example.test"], "at most 100 characters"),
        (["Fine", "--slug", "s" * 51, "--admin-email", "a@example.test"], "at most 50"),
        (["Fine", "--admin-email", "a" * 250 + "@example.test"], "at most 254"),
    ],
)
def test_create_organization_checks_everything_before_creating_anything(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_organization", *args)
    assert not Organization.objects.exists()


# The demo data: what someone trying Rubric sees in Acme and Globex.


def seed_demo_data():
    call_command("seed_demo", stdout=StringIO())


STORY = [candidate.email for job in demo_data.JOBS for candidate in job.candidates]


def acme_loops() -> dict[str, Loop]:
    """The loops of the demo's story (not its history)."""
    job = Job.objects.get(organization__slug="acme", title="Backend Developer")
    loops = with_progress(job.loops.filter(candidate__email__in=STORY))
    return {loop.candidate.email: loop for loop in loops}


def counts() -> dict[str, int]:
    models = [Organization, User, Membership, Invitation, GuideVersion, Job, Candidate, Loop]
    models += [Interview, Activity, Scorecard, Rating, QuestionNote]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="class")
def demo_seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for a class of tests that read it: it stays in a transaction that
    is rolled back after the class, and each test's own changes roll back to it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo_data()
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_seeded")
class TestTheDemoStory:
    def test_the_demo_gives_acme_a_backend_developer_job_with_three_loops(self):
        seed_guide()  # beside the project, the job runs the real guide
        job = Job.objects.get(organization__slug="acme", title="Backend Developer")
        assert (job.department, job.location, job.status) == ("Engineering", "Berlin", "open")
        assert job.hiring_manager.email == "hm@acme.test"
        assert job.recruiter.email == "recruiter@acme.test"
        assert job.guide_version.title == "Backend Developer"
        assert job.guide_version.status == "published"
        assert job.guide_version.guide.organization == job.organization
        loops = acme_loops()
        assert {email: loop.progress for email, loop in loops.items()} == {
            demo_data.FINISHED.email: Loop.Progress.DECIDED,
            demo_data.MID_LOOP.email: Loop.Progress.AWAITING_FEEDBACK,
            demo_data.JUST_ADDED.email: Loop.Progress.SCHEDULED,
        }
        # The just-added candidate has the take-home sent, nothing handed in yet.
        (sent,) = loops[demo_data.JUST_ADDED.email].interviews.all()
        assert sent.stage.is_take_home and not sent.exercise.hand_ins.exists()
        for loop in loops.values():
            candidate = loop.candidate
            assert (
                candidate.phone and candidate.link_list() and candidate.source and candidate.notes
            )

    def test_the_finished_loop_held_every_stage_and_has_every_scorecard_in(self):
        loop = acme_loops()[demo_data.FINISHED.email]
        stages = list(loop.guide_version.stages.all())
        interviews = list(loop.interviews.all())
        assert [interview.stage for interview in interviews] == stages
        assert all(interview.ends_at < timezone.now() for interview in interviews)
        scorecards = Scorecard.objects.filter(interview__loop=loop).select_related("interview")
        # Two on each panel, and Linus shadowing the screening interview.
        assert len([card for card in scorecards if not card.is_shadow]) == 2 * len(stages)
        (shadow,) = [card for card in scorecards if card.is_shadow]
        assert shadow.interviewer.email == "linus@acme.test" and shadow.interview.stage == stages[0]
        for scorecard in scorecards:
            assert scorecard.status == Scorecard.Status.SUBMITTED
            assert scorecard.recommendation in Recommendation.values
            assert scorecard.summary
            assert scorecard.interview.ends_at < scorecard.submitted_at < scorecard.due_at
            scored = scorecard.ratings.filter(score__isnull=False).values_list(
                "criterion", flat=True
            )
            criteria = scorecard.interview.stage.criteria.values_list("pk", flat=True)
            assert sorted(scored) == sorted(criteria)
        assert (
            QuestionNote.objects.filter(scorecard__interview__loop=loop).exclude(text="").exists()
        )

    def test_in_the_finished_loop_grace_amended_a_score_and_readers_see_why(self, client):
        loop = acme_loops()[demo_data.FINISHED.email]
        amendment = Amendment.objects.get(scorecard__interview__loop=loop)
        assert amendment.author.email == "grace@acme.test"
        assert amendment.created_at > amendment.scorecard.submitted_at
        ((name, after),) = amendment.after.items()
        assert amendment.before[name] != after
        assert amendment.scorecard.values()[name] == after
        client.force_login(User.objects.get(email="hm@acme.test"))
        page = client.get(reverse("candidates:loop-detail", args=["acme", loop.pk]))
        assert "Amended after submitting" in page.text and amendment.reason in page.text

    def test_the_finished_loop_was_decided_in_its_debrief_and_has_two_references(self, client):
        loop = acme_loops()[demo_data.FINISHED.email]
        debrief = Debrief.objects.get(loop=loop)
        assert debrief.phase == Debrief.Phase.DECIDED and debrief.decision == Debrief.Decision.HIRE
        assert loop.status == Loop.Status.OFFER
        change = RecommendationChange.objects.get(debrief=debrief)
        assert change.author.email == "linus@acme.test" and change.before != change.after
        assert debrief.revealed_at < change.created_at < debrief.decided_at
        assert ReferenceCheck.objects.filter(loop=loop).count() == 2
        client.force_login(User.objects.get(email="hm@acme.test"))
        page = client.get(reverse("debriefs:debrief", args=["acme", loop.pk]))
        assert page.status_code == 200 and "failure handling I could not get to" in page.text
        assert "Jana Hoffmann" in page.text and "Tobias Krüger" in page.text
        loop_page = client.get(reverse("candidates:loop-detail", args=["acme", loop.pk]))
        assert "References side by side" in loop_page.text

    def test_mid_loop_the_debrief_discusses_the_ratings_with_feedback_still_missing(self, client):
        loop = acme_loops()[demo_data.MID_LOOP.email]
        assert Debrief.objects.get(loop=loop).phase == Debrief.Phase.DISCUSSING
        client.force_login(User.objects.get(email="hm@acme.test"))
        page = client.get(reverse("debriefs:debrief", args=["acme", loop.pk]))
        assert "Ratings side by side" in page.text and "Still to come from" in page.text
        assert "Recommendation sealed" in page.text

    def test_mid_loop_ada_has_submitted_grace_is_overdue_and_ada_has_an_interview_ahead(
        self, client
    ):
        now = timezone.now()
        loop = acme_loops()[demo_data.MID_LOOP.email]
        held = list(loop.interviews.filter(ends_at__lte=now))
        latest = held.pop()
        assert timedelta(days=1) < now - latest.ends_at < timedelta(days=5)
        assert all(
            scorecard.status == Scorecard.Status.SUBMITTED
            for interview in held
            for scorecard in interview.scorecards.all()
        )

        ada = latest.scorecards.get(interviewer__email="ada@acme.test")
        assert ada.status == Scorecard.Status.SUBMITTED
        assert ada.recommendation and ada.summary
        questions = latest.stage.questions.count()
        assert questions and ada.question_notes.exclude(text="").count() == questions
        assert ada.ratings.exclude(note="").filter(score__isnull=False).count() == (
            latest.stage.criteria.count()
        )

        grace = latest.scorecards.get(interviewer__email="grace@acme.test")
        assert grace.status == Scorecard.Status.DRAFT
        assert grace.recommendation is None and grace.submitted_at is None
        assert grace.due_at < now
        assert grace.question_notes.exclude(text="").exists()

        upcoming = loop.interviews.get(starts_at__gt=now)
        assert upcoming.starts_at - now < timedelta(days=7)
        assert set(upcoming.scorecards.values_list("interviewer__email", flat=True)) == {
            "ada@acme.test",
            "linus@acme.test",
        }

        client.force_login(User.objects.get(email="ada@acme.test"))
        page = client.get(reverse("scorecards:my-interviews", args=["acme"])).text
        mine = upcoming.scorecards.get(interviewer__email="ada@acme.test")
        assert f'id="upcoming-{mine.pk}"' in page
        assert "You owe no feedback." in page
        client.force_login(User.objects.get(email="grace@acme.test"))
        page = client.get(reverse("scorecards:my-interviews", args=["acme"])).text
        assert f'id="owed-{grace.pk}"' in page
        assert "Overdue by" in page

    def test_globex_has_a_job_and_candidates_of_its_own(self):
        globex = Organization.objects.get(slug="globex")
        job = Job.objects.get(organization=globex)
        assert job.title == "Support Engineer"
        assert job.hiring_manager.email == "hm@globex.test"
        assert job.guide_version.guide.organization == globex
        assert job.guide_version.status == "published"
        assert Candidate.objects.filter(organization=globex).count() == job.loops.count() == 2
        interview = Interview.objects.get(loop__job=job)
        assert interview.starts_at > timezone.now()
        assert list(interview.scorecards.values_list("interviewer__email", flat=True)) == [
            "hm@globex.test"
        ]
        # Nobody of Acme is on Globex's interviews, nor the other way round.
        assert not Scorecard.objects.filter(
            interview__loop__job__organization=globex,
            interviewer__memberships__organization__slug="acme",
        ).exists()

    def test_running_the_demo_seed_again_creates_nothing(self):
        before = counts()
        assert before["Job"] == 2 and before["Rating"] > 0
        assert before["Candidate"] == 5 + demo_data.HISTORY.loops
        out = StringIO()
        call_command("seed_demo", stdout=out)
        assert "Demo data is in place." in out.getvalue()
        assert counts() == before

    def test_the_mid_loop_take_home_was_handed_in_and_its_reviewer_left_a_note(self, client):
        loop = acme_loops()[demo_data.MID_LOOP.email]
        take_home = loop.interviews.get(stage__kind="take_home")
        assert take_home.exercise.hand_ins.count() == 1
        ada = take_home.scorecards.get(interviewer__email="ada@acme.test")
        assert ada.next_note.startswith("Ask why POST answers 200")
        # Grace's kit for the technical interview shows both, before she scores.
        technical = loop.interviews.get(
            scorecards__interviewer__email="grace@acme.test", scorecards__status="draft"
        )
        client.force_login(User.objects.get(email="grace@acme.test"))
        page = client.get(reverse("scorecards:kit", args=["acme", technical.pk])).text
        assert "jbecker/inventory-api" in page and "Ask why POST answers 200" in page

    def test_the_demo_job_has_a_history_that_its_insights_can_measure(self, client):
        seed_guide()
        job = Job.objects.get(organization__slug="acme", title="Backend Developer")
        past = job.loops.exclude(candidate__email__in=STORY)
        assert past.count() == demo_data.HISTORY.loops
        assert not past.filter(debrief__decided_at__isnull=True).exists()
        assert {loop.status for loop in past} == {Loop.Status.OFFER, Loop.Status.REJECTED}
        manager = User.objects.get(email="hm@acme.test")
        figures = insights(
            counted_for(Membership.objects.get(user=manager, organization=job.organization))
        )
        assert figures.loops >= demo_data.HISTORY.loops
        # The panels agree, if not perfectly, and one interviewer scores high.
        competencies = sorted(a.alpha for a in figures.agreements if a.kind == "competency")
        assert 0.2 < competencies[len(competencies) // 2] < 0.9
        leniency = {person.name: person.leniency.mean for person in figures.interviewers}
        assert leniency.pop("Linus Torvalds") > 0.3
        assert all(mean < 0.1 for mean in leniency.values())
        client.force_login(manager)
        page = client.get(reverse("insights:job-insights", args=["acme", job.pk]))
        assert "Linus Torvalds" in page.text and "too few to say" not in page.text


# Whatever the day it runs on: a Monday before work, a Friday evening, a Saturday, a day in the
# week after the clocks changed (in Berlin on 29 March 2026, in Chicago on 8 March).
@pytest.mark.parametrize(
    "local_now",
    ["2026-03-02 06:30", "2026-03-06 19:00", "2026-03-07 15:00", "2026-04-01 12:00"],
)
def test_the_demo_interviews_fall_on_working_hours_around_today(monkeypatch, local_now):
    now = datetime.fromisoformat(local_now).replace(tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    seed_demo_data()
    # A take-home sent today runs over days, until its due time.
    sent = Interview.objects.filter(exercise__hand_ins__isnull=True, exercise__isnull=False)
    held = Interview.objects.exclude(pk__in=sent.values("pk"))
    for interview in held.select_related("loop__job__organization", "loop__candidate"):
        zone = interview.loop.job.organization.zone
        starts, ends = (
            timezone.localtime(moment, zone) for moment in (interview.starts_at, interview.ends_at)
        )
        assert starts.weekday() < 5 and starts.date() == ends.date()
        assert time(9) <= starts.time() and ends.time() <= time(18)
        if interview.loop.candidate.email in STORY:
            assert abs(interview.starts_at - now) < timedelta(days=21)
        else:  # the history's, all past
            assert interview.ends_at < now - timedelta(days=21)
    loops = acme_loops()
    assert loops[demo_data.FINISHED.email].progress == Loop.Progress.DECIDED
    assert loops[demo_data.MID_LOOP.email].progress == Loop.Progress.AWAITING_FEEDBACK
    grace = Scorecard.objects.get(
        interviewer__email="grace@acme.test", status=Scorecard.Status.DRAFT
    )
    assert grace.due_at < now
    ahead = Scorecard.objects.filter(interview__starts_at__gt=now)
    assert {"ada@acme.test", "hm@globex.test"} <= set(
        ahead.values_list("interviewer__email", flat=True)
    )
    # The timeline reads in order, and nothing on it has happened yet that is still to come.
    for candidate in Candidate.objects.all():
        lines = list(candidate.activities.order_by("pk").values_list("created_at", flat=True))
        assert lines == sorted(lines) and lines[-1] < now


def test_without_the_seed_guide_acme_hires_on_a_starter_guide(monkeypatch, tmp_path):
    monkeypatch.setattr(seed_demo, "SEED_GUIDE", tmp_path / "missing.txt")
    seed_demo_data()
    job = Job.objects.get(organization__slug="acme", title="Backend Developer")
    assert job.guide_version.title == "Software Engineer"
    assert {email: loop.progress for email, loop in acme_loops().items()} == {
        demo_data.FINISHED.email: Loop.Progress.DECIDED,
        demo_data.MID_LOOP.email: Loop.Progress.AWAITING_FEEDBACK,
        demo_data.JUST_ADDED.email: Loop.Progress.SCHEDULED,
    }
    finished = Scorecard.objects.filter(interview__loop__candidate__email=demo_data.FINISHED.email)
    assert finished.filter(seat=Scorecard.Seat.PANEL).count() == 10
    assert finished.filter(seat=Scorecard.Seat.SHADOW).count() == 1
    assert all(scorecard.status == Scorecard.Status.SUBMITTED for scorecard in finished)
