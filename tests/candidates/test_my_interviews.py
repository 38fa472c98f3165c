"""The interviewer's dashboard: what is coming, what feedback they owe, what they gave."""

from datetime import timedelta

import pytest
from django.utils import timezone

from candidates import scheduling
from tests.factories import make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db


def test_my_interviews_lists_upcoming_owed_and_submitted(client, org, bob, other_org):
    now = timezone.now()
    upcoming = schedule(make_loop(org), interviewers=[bob], starts_at=now + timedelta(hours=3))
    late = schedule(make_loop(org), interviewers=[bob], starts_at=now - timedelta(days=3))
    later = schedule(make_loop(org), interviewers=[bob], starts_at=now - timedelta(days=2))
    not_yet_due = schedule(make_loop(org), interviewers=[bob], starts_at=now - timedelta(hours=3))
    done = schedule(make_loop(org), interviewers=[bob], starts_at=now - timedelta(days=5))
    submit(done.scorecards.get())
    cancelled = schedule(make_loop(org), interviewers=[bob], starts_at=now + timedelta(days=1))
    scheduling.cancel(interview=cancelled, user=None)
    someone_elses = schedule(make_loop(org), interviewers=[member(org)])
    client.force_login(bob)
    page = client.get(f"/o/{org.slug}/my-interviews/").text
    owed = page.split('id="owed-heading"')[1].split('id="upcoming-heading"')[0]
    assert owed.index(late.loop.candidate.name) < owed.index(later.loop.candidate.name)
    assert owed.index(later.loop.candidate.name) < owed.index(not_yet_due.loop.candidate.name)
    assert "Overdue by 1 day 23 h" in owed  # 3 days ago, an hour long, due a day after
    # Every row owed, the overdue ones first of all, has its button to the kit.
    assert owed.count("Open the kit") == 3
    assert f'href="/o/{org.slug}/interviews/{late.pk}/">Open the kit' in owed
    upcoming_part = page.split('id="upcoming-heading"')[1].split('id="submitted-heading"')[0]
    assert upcoming.loop.candidate.name in upcoming_part
    assert f"/o/{org.slug}/interviews/{upcoming.pk}/" in upcoming_part
    assert "Open the kit" in upcoming_part
    submitted = page.split('id="submitted-heading"')[1]
    assert done.loop.candidate.name in submitted
    assert cancelled.loop.candidate.name not in page
    assert someone_elses.loop.candidate.name not in page


def test_every_member_has_the_dashboard_in_the_menu(client, org, alice, bob):
    for user in (alice, bob):
        client.force_login(user)
        assert f'href="/o/{org.slug}/my-interviews/"' in client.get(f"/o/{org.slug}/").text
    client.force_login(bob)
    assert "No interviews coming up." in client.get(f"/o/{org.slug}/my-interviews/").text
