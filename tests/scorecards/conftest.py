from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import make_loop, member, schedule


@pytest.fixture
def ada(org):
    return member(org, Role.INTERVIEWER, email="ada@alpha.test", full_name="Ada Lovelace")


@pytest.fixture
def interview(org, bob, ada):
    """Stage 1 of a loop, held an hour ago, with Bob and Ada interviewing."""
    loop = make_loop(org)
    return schedule(
        loop, interviewers=[bob, ada], starts_at=timezone.now() - timedelta(hours=1), minutes=45
    )


@pytest.fixture
def bobs(interview, bob):
    return interview.scorecards.get(interviewer=bob)


@pytest.fixture
def adas(interview, ada):
    return interview.scorecards.get(interviewer=ada)


@pytest.fixture
def criteria(interview):
    return list(interview.stage.criteria.all())


@pytest.fixture
def questions(interview):
    return list(interview.stage.questions.all())


def kit_url(interview):
    return f"/o/{interview.loop.job.organization.slug}/interviews/{interview.pk}/"


def card_url(card, action=""):
    org = card.interview.loop.job.organization.slug
    return f"/o/{org}/scorecards/{card.pk}/{action + '/' if action else ''}"


def complete_form(card, *, score="3", recommendation="3", **extra):
    """Every field of `card` filled in, as the kit's form posts it."""
    card.refresh_from_db()
    stage = card.interview.stage
    data = {"revision": str(card.revision), "recommendation": recommendation, "summary": "Hire."}
    for criterion in stage.criteria.all():
        data[f"score-{criterion.pk}"] = score
        data[f"note-{criterion.pk}"] = f"Note on {criterion.name}."
    for question in stage.questions.all():
        data[f"question-{question.pk}"] = f"Answer to {question.pk}."
    return data | extra
