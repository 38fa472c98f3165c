"""Home is the member's to-do list: what they owe and what waits on them, by role."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from tests.factories import InvitationFactory, make_job, make_loop, member, schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def _held(loop, interviewers, *, days_ago=2, stage=None):
    return schedule(
        loop,
        interviewers=interviewers,
        stage=stage,
        starts_at=timezone.now() - timedelta(days=days_ago),
    )


def test_feedback_owed_comes_overdue_first_each_with_its_kit(client, org, bob):
    late = make_loop(org)
    recent = make_loop(org, job=late.job)
    _held(recent, [bob], days_ago=0.1)
    interview = _held(late, [bob], days_ago=5)
    client.force_login(bob)
    page = client.get(f"/o/{org.slug}/")
    owed = visible_text(page).split("Feedback you owe")[1].split("Interviews today")[0]
    assert owed.index(late.candidate.name) < owed.index(recent.candidate.name)
    assert "overdue" in owed and owed.count("Open the kit") == 2
    assert f'href="/o/{org.slug}/interviews/{interview.pk}/"' in page.text


def test_interviews_today_and_this_week_and_empty_lists_say_so(client, org, bob):
    soon = make_loop(org)
    later = make_loop(org, job=soon.job)
    now = timezone.localtime()
    today = now + timedelta(minutes=1) if now.hour < 23 else None
    if today:
        schedule(soon, interviewers=[bob], starts_at=today)
    schedule(later, interviewers=[bob], starts_at=now + timedelta(days=3))
    client.force_login(bob)
    text = visible_text(client.get(f"/o/{org.slug}/"))
    assert "You owe no feedback." in text
    week = text.split("This week")[1].split("Hand-ins to review")[0]
    assert later.candidate.name in week
    if today:
        assert soon.candidate.name in text.split("Interviews today")[1].split("This week")[0]
    assert "No hand-in waits for your review." in text


def test_an_interviewer_sees_no_lists_of_the_managers(client, org, bob):
    make_loop(org)
    InvitationFactory(organization=org)
    client.force_login(bob)
    text = visible_text(client.get(f"/o/{org.slug}/"))
    for heading in ("Candidates to schedule", "Debriefs ready to run", "Pending invitations"):
        assert heading not in text


def test_a_recruiter_sees_candidates_to_schedule_and_see_all_past_ten(client, org):
    recruiter = member(org, Role.RECRUITER)
    job = make_job(org)
    loops = [make_loop(org, job=job) for _ in range(11)]
    client.force_login(recruiter)
    page = client.get(f"/o/{org.slug}/")
    text = visible_text(page)
    section = text.split("Candidates to schedule")[1].split("Packets ready")[0]
    assert loops[0].candidate.name in section
    assert loops[10].candidate.name not in section  # the eleventh waits behind "See all"
    assert "See all" in section
    assert f'href="/o/{org.slug}/loops/{loops[0].pk}/schedule/"' in page.text
    assert "No reference call to make." in text


def test_a_hiring_manager_sees_her_debriefs_ready_and_her_stuck_loops_only(client, org, bob):
    manager = member(org, Role.HIRING_MANAGER)
    mine = make_job(org, hiring_manager=manager)
    theirs = make_job(org, title="Other")
    ready = make_loop(org, job=mine)
    stages = list(ready.guide_version.stages.all())
    for stage in stages:
        interview = _held(ready, [bob], stage=stage)
        with scopes_disabled():
            submit(interview.scorecards.get())
    stuck = make_loop(org, job=mine)
    foreign = make_loop(org, job=theirs)
    with scopes_disabled():
        type(stuck).objects.filter(pk__in=[stuck.pk, foreign.pk]).update(
            created_at=timezone.now() - timedelta(days=30)
        )
    client.force_login(manager)
    text = visible_text(client.get(f"/o/{org.slug}/"))
    debriefs = text.split("Debriefs ready to run")[1].split("Decisions waiting")[0]
    assert ready.candidate.name in debriefs
    stuck_list = text.split("Loops stuck")[1].split("Candidates to schedule")[0]
    assert stuck.candidate.name in stuck_list
    assert foreign.candidate.name not in text


def test_an_admin_sees_pending_invitations(client, org, alice):
    InvitationFactory(organization=org, email="newcomer@alpha.test")
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/"))
    assert "newcomer@alpha.test" in text.split("Pending invitations")[1]


@pytest.mark.parametrize("size", [2, 14])
def test_the_home_page_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    job = make_job(org, hiring_manager=alice)
    for _ in range(size):
        loop = make_loop(org, job=job)
        first, second = loop.guide_version.stages.all()[:2]
        _held(loop, [alice], stage=first)
        schedule(
            loop, interviewers=[alice], stage=second, starts_at=timezone.now() + timedelta(days=2)
        )
        InvitationFactory(organization=org)
    client.force_login(alice)
    # the user and their memberships, one query per list (eleven), and the training list's
    # three: the open jobs' stages, seats, qualifications (no one is qualified yet, so no
    # interviewer is asked to train)
    with django_assert_num_queries(16):
        response = client.get(f"/o/{org.slug}/")
    assert response.status_code == 200
