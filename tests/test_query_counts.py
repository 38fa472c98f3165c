"""The pages' query counts, pinned at realistic sizes: no N+1."""

import pytest

from accounts.models import Role
from tests.factories import InvitationFactory, make_job, make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db

# The user, and the membership with its organization: every page under /o/<slug>/ starts with
# these. The session comes from Redis.
BASE = 2


@pytest.mark.parametrize("size", [5, 150])
def test_the_members_page_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    for _ in range(size):
        member(org, Role.INTERVIEWER)
    for _ in range(size // 5):
        InvitationFactory(organization=org)
    client.force_login(alice)
    # + memberships with users, invitations with inviters, the switcher's memberships
    with django_assert_num_queries(BASE + 3):
        response = client.get(f"/o/{org.slug}/members/")
    assert response.text.count('<tr id="member-') == size + 1


def test_the_home_page_costs_three_queries(client, org, alice, django_assert_num_queries):
    client.force_login(alice)
    with django_assert_num_queries(BASE + 1):
        client.get(f"/o/{org.slug}/")


def test_a_role_change_costs_a_fixed_number_of_queries(
    client, org, alice, bob, django_assert_num_queries
):
    from accounts.models import Membership

    pk = Membership.objects.get(user=bob).pk
    client.force_login(alice)
    # + the membership; savepoint, lock the admins, update, release
    with django_assert_num_queries(BASE + 5):
        response = client.post(
            f"/o/{org.slug}/members/{pk}/role/",
            {"role": "recruiter"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200


GUIDE_PAGES = {
    "builder": "edit/",
    "stage editor": "edit/stages/{stage}/",
    "read and print": "v1/",
    "publish checks": "edit/publish/",
    "versions": "",
}


@pytest.mark.parametrize("page", GUIDE_PAGES)
def test_the_guide_pages_cost_the_same_for_any_guide_size(client, org, alice, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_guide

    small = make_guide(org, stages=1, questions=1)
    large = make_guide(org, stages=6, questions=8)
    client.force_login(alice)
    counts = []
    for version in (small, large):
        path = GUIDE_PAGES[page].format(stage=version.stages.first().pk)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/o/{org.slug}/guides/{version.guide_id}/{path}")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{page}: {counts}"
    assert counts[1] == BASE + PINNED[page], f"{page}: {counts[1]} queries"


# Beyond BASE: the guide (and the draft), the version and its eleven kinds of parts, the
# organization switcher's memberships; a stage's editor reads only its stage's parts.
PINNED = {
    "builder": 15,
    "stage editor": 11,
    "read and print": 14,
    "publish checks": 15,
    "versions": 3,
}


@pytest.mark.parametrize("size", [3, 60])
def test_the_guide_list_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    from tests.factories import make_guide

    for n in range(size):
        make_guide(org, title=f"Role {n}", stages=1, questions=1)
    client.force_login(alice)
    # + the count for the pager, the page's guides with their editors, the switcher
    with django_assert_num_queries(BASE + 3):
        response = client.get(f"/o/{org.slug}/guides/")
    assert response.text.count("/edit/") == 0 and response.text.count("<tr>") == min(size, 50) + 1


def _pipeline(org, size):
    from datetime import timedelta

    from django.utils import timezone

    interviewers = [member(org) for _ in range(3)]
    job = make_job(org)
    stages = list(job.guide_version.stages.all())
    for n in range(size):
        loop = make_loop(org, job=job)
        if n % 2:
            when = timezone.now() + timedelta(days=(n % 5) - 3)
            interview = schedule(
                loop, interviewers=interviewers[:2], stage=stages[n % 2], starts_at=when
            )
            if n % 3 == 0:
                submit(interview.scorecards.first())
    return job, interviewers


@pytest.mark.parametrize("size", [3, 200])
def test_the_job_pipeline_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    job, _ = _pipeline(org, size)
    client.force_login(alice)
    # + job, loops with progress, their stages, interviews, scorecards, progress counts,
    # the switcher's memberships
    with django_assert_num_queries(BASE + 7):
        response = client.get(f"/o/{org.slug}/jobs/{job.pk}/")
    assert response.text.count('<tr id="loop-') == size


@pytest.mark.parametrize("size", [10, 2000])
def test_the_candidate_list_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    from candidates.models import Candidate

    candidates = Candidate.objects.bulk_create(
        Candidate(organization=org, name=f"Person {n}", email=f"p{n}@example.test")
        for n in range(size)
    )
    job = make_job(org)
    for candidate in candidates[::3]:
        make_loop(org, job=job, candidate=candidate)
    client.force_login(alice)
    # + count, page of candidates, their loops with jobs, the switcher's memberships
    with django_assert_num_queries(BASE + 4):
        response = client.get(f"/o/{org.slug}/candidates/", {"page": "2"} if size > 50 else {})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_my_interviews_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    _, interviewers = _pipeline(org, size * 2)
    client.force_login(interviewers[0])
    # + upcoming, owed, submitted, the switcher's memberships
    with django_assert_num_queries(BASE + 4):
        response = client.get(f"/o/{org.slug}/my-interviews/")
    assert response.text.count("/interviews/") >= size // 2


def test_the_loop_and_interview_pages_cost_a_fixed_number_of_queries(
    client, org, alice, django_assert_max_num_queries
):
    job, interviewers = _pipeline(org, 4)
    loop = job.loops.filter(interviews__isnull=False).first()
    interview = loop.interviews.first()
    client.force_login(alice)
    # + the submitted feedback with its ratings, notes and amendments (4); the debrief and the
    # reference calls (2)
    with django_assert_max_num_queries(BASE + 12):
        client.get(f"/o/{org.slug}/loops/{loop.pk}/")
    with django_assert_max_num_queries(BASE + 13):
        client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    with django_assert_max_num_queries(BASE + 6):
        client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/")


def _stage_of_size(org, criteria: int, questions: int, interviewers, *, fill=True):
    """An interview held an hour ago on a stage grown to `criteria` and `questions`, each
    interviewer's scorecard half filled in (`fill`)."""
    from datetime import timedelta

    from django.utils import timezone

    from guides.models import Criterion, Question, QuestionPoint
    from scorecards.models import QuestionNote, Rating

    loop = make_loop(org)
    stage = loop.guide_version.stages.first()
    for n in range(criteria - stage.criteria.count()):
        Criterion.objects.create(
            version=stage.version,
            stage=stage,
            name=f"Extra {n}",
            **{f"anchor_{s}": f"Anchor {s}" for s in range(5)},
        )
    for n in range(questions - stage.questions.count()):
        question = Question.objects.create(stage=stage, text=f"Extra question {n}?")
        QuestionPoint.objects.create(question=question, text="An area", kind="area")
    interview = schedule(
        loop, interviewers=interviewers, starts_at=timezone.now() - timedelta(hours=1)
    )
    for card in interview.scorecards.all() if fill else []:
        for criterion in stage.criteria.all()[: criteria // 2]:
            Rating.objects.create(scorecard=card, criterion=criterion, score=2, note="Fine.")
        for question in stage.questions.all()[: questions // 2]:
            QuestionNote.objects.create(scorecard=card, question=question, text="Said so.")
    return interview


@pytest.mark.parametrize(("criteria", "questions"), [(2, 2), (10, 6)])
def test_the_kit_and_an_autosave_cost_the_same_at_any_size(
    client, org, bob, criteria, questions, django_assert_num_queries
):
    ada = member(org, Role.INTERVIEWER)
    interview = _stage_of_size(org, criteria, questions, [bob, ada])
    card = interview.scorecards.get(interviewer=bob)
    client.force_login(bob)
    # + the interview, the stage with its questions, points and criteria (4), the
    # interviewers' scorecards, the loop's feedback, my ratings and question notes
    with django_assert_num_queries(BASE + 10):
        response = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert response.text.count('type="radio"') == criteria * 5 + 4
    criterion = interview.stage.criteria.last()
    written = card.ratings.filter(criterion=criterion).values_list("note", flat=True).first()
    # + savepoint, the locked scorecard, the stage's criteria and questions, its ratings and
    # notes (to compare with the page's base), the rating to change, its insert or update,
    # the scorecard, release
    with django_assert_num_queries(BASE + 10):
        response = client.post(
            f"/o/{org.slug}/scorecards/{card.pk}/field/",
            {f"note-{criterion.pk}": "Calm.", "base": written or ""},
        )
    assert response.status_code == 200


@pytest.mark.parametrize("criteria", [2, 10])
def test_reading_submitted_feedback_costs_the_same_at_any_size(
    client, org, alice, bob, criteria, django_assert_num_queries
):
    ada = member(org, Role.INTERVIEWER)
    interview = _stage_of_size(org, criteria, 6, [bob, ada], fill=False)
    for card in interview.scorecards.all():
        submit(card)
    client.force_login(bob)
    # The kit with Bob's own feedback and Ada's: + both with their ratings, notes, amendments
    with django_assert_num_queries(BASE + 12):
        response = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert "Amend" in response.text
    client.force_login(alice)
    card = interview.scorecards.get(interviewer=ada)
    # + the scorecard with its contents (4), the debrief's phase for rule 3 (1), the loop (1)
    with django_assert_num_queries(BASE + 7):
        client.get(f"/o/{org.slug}/scorecards/{card.pk}/")
