"""Two recruiters at once, on PostgreSQL and on SQLite: constraints and locks keep one of each."""

import pytest
from django.test import Client
from django_scopes import scope

from accounts.models import Role
from candidates.models import Candidate, Interview
from scorecards.models import Scorecard
from tests.accounts.test_races import at_once
from tests.factories import OrganizationFactory, make_loop, member, schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


def post_as(user, url, data):
    def call():
        client = Client()
        client.force_login(user)
        with scope():
            return client.post(url, data).status_code

    return call


@pytest.mark.parametrize("attempt", range(3))
def test_a_double_clicked_schedule_makes_one_interview(attempt):
    org = OrganizationFactory()
    recruiter, ada = member(org, Role.RECRUITER), member(org)
    loop = make_loop(org)
    data = {
        "stage": loop.guide_version.stages.first().pk,
        "date": "2030-01-02",
        "start": "10:00",
        "end": "11:00",
        "interviewers": [ada.pk],
    }
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    statuses = at_once(post_as(recruiter, url, data), post_as(recruiter, url, data))
    assert Interview.objects.filter(loop=loop).count() == 1
    assert Scorecard.objects.filter(interview__loop=loop).count() == 1
    assert sorted(statuses) in ([302, 400], [302, 409])


@pytest.mark.parametrize("attempt", range(3))
def test_two_recruiters_adding_one_person_make_one_candidate(attempt):
    org = OrganizationFactory()
    first, second = member(org, Role.RECRUITER), member(org, Role.RECRUITER)
    data = {"name": "Nina Novak", "email": "nina@example.com"}
    url = f"/o/{org.slug}/candidates/new/"
    statuses = at_once(post_as(first, url, data), post_as(second, url, data))
    assert Candidate.objects.filter(organization=org).count() == 1
    assert sorted(statuses) in ([302, 400], [302, 409])


@pytest.mark.parametrize("attempt", range(3))
def test_adding_the_same_interviewer_twice_at_once_gives_one_scorecard(attempt):
    org = OrganizationFactory()
    recruiter, ada, grace = member(org, Role.RECRUITER), member(org), member(org)
    interview = schedule(make_loop(org), interviewers=[ada])
    data = {
        "date": "2030-01-02",
        "start": "10:00",
        "end": "11:00",
        "interviewers": [ada.pk, grace.pk],
    }
    url = f"/o/{org.slug}/interviews/{interview.pk}/edit/"
    statuses = at_once(post_as(recruiter, url, data), post_as(recruiter, url, data))
    assert statuses == [302, 302]
    active = Scorecard.objects.filter(interview=interview, archived_at__isnull=True)
    assert sorted(active.values_list("interviewer", flat=True)) == sorted([ada.pk, grace.pk])


@pytest.mark.parametrize("attempt", range(3))
def test_a_double_clicked_export_starts_one_packet(attempt):
    from candidates.models import Packet

    org = OrganizationFactory()
    recruiter = member(org, Role.RECRUITER)
    loop = make_loop(org)
    url = f"/o/{org.slug}/loops/{loop.pk}/packet/"
    statuses = at_once(post_as(recruiter, url, {}), post_as(recruiter, url, {}))
    assert Packet.objects.filter(loop=loop).count() == 1
    assert sorted(statuses) == [302, 409]
