from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.factories import make_loop, member, schedule


@pytest.fixture
def ada(org):
    return member(org, Role.INTERVIEWER, email="ada@alpha.test", full_name="Ada Lovelace")


@pytest.fixture
def harper(org):
    """The hiring manager of the loop's job: the debrief's facilitator."""
    return member(org, Role.HIRING_MANAGER, email="harper@alpha.test", full_name="Harper Manager")


@pytest.fixture
def loop(org, bob, ada, harper):
    """A loop whose first stage was held yesterday with Bob and Ada; Harper runs its job."""
    loop = make_loop(org)
    loop.job.hiring_manager = harper
    loop.job.save()
    schedule(loop, interviewers=[bob, ada], starts_at=timezone.now() - timedelta(days=1))
    return loop


@pytest.fixture
def cards(loop, bob, ada):
    """Bob's and Ada's scorecards, drafts."""
    interview = loop.interviews.get()
    return interview.scorecards.get(interviewer=bob), interview.scorecards.get(interviewer=ada)


def debrief_url(loop, action=""):
    org = loop.job.organization.slug
    return f"/o/{org}/loops/{loop.pk}/debrief/{action + '/' if action else ''}"
