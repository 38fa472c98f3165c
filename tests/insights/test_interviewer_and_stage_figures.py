"""Insights per interviewer (hours to submit, overdue, matched the decision, changed in the
debrief) and per stage (pass-through, days to decision), on a hand-made job; rule 2 keeps a
loop the viewer owes feedback in out of every one of them."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership, Role
from debriefs import meeting
from debriefs.models import Debrief
from guides.models import Recommendation
from insights.access import counted_for
from insights.reports import insights
from scorecards.models import Scorecard
from tests.factories import make_job, make_loop, member, reveal, schedule, submit
from tests.html import visible_text

HELD = timezone.now() - timedelta(days=5)


def held(org, job, people, *, scores, recommendations, hours):
    """A loop whose first stage was held five days ago, each person's card submitted `hours`
    after the interview's end with their score and recommendation."""
    loop = make_loop(org, job=job)
    interview = schedule(loop, interviewers=people, starts_at=HELD)
    for person, score, recommendation, after in zip(
        people, scores, recommendations, hours, strict=True
    ):
        card = submit(
            interview.scorecards.get(interviewer=person), score=score, recommendation=recommendation
        )
        Scorecard.objects.filter(pk=card.pk).update(
            submitted_at=interview.ends_at + timedelta(hours=after)
        )
    return loop


def decide(loop, decision, *, by):
    debrief = reveal(loop, by=by)
    values = debrief.decision_values() | {"decision": decision, "rationale": "Talked it through."}
    meeting.decide(debrief=debrief, user=by, values=values)
    Debrief.objects.filter(pk=debrief.pk).update(decided_at=HELD + timedelta(days=2))


def test_each_interviewer_s_pace_and_how_their_recommendation_fared(org, alice):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org, hiring_manager=alice)
    hire, no = Recommendation.HIRE, Recommendation.NO_HIRE
    loops = [
        held(org, job, [ada, grace], scores=[3, 2], recommendations=[hire, no], hours=[h, 30])
        for h in (1, 2, 3, 50)
    ]
    # Grace comes round to hire in the first loop's debrief; it and the third are hired, the
    # second is not, the fourth is still open.
    debrief = reveal(loops[0], by=alice)
    meeting.change_recommendation(
        debrief=debrief,
        scorecard=Scorecard.objects.get(interview__loop=loops[0], interviewer=grace),
        user=grace,
        recommendation=Recommendation.HIRE,
        reason="Ada's notes on the design answer.",
    )
    for loop, decision in zip(loops, ["hire", "no_hire", "hire"], strict=False):
        decide(loop, decision, by=alice)

    membership = Membership.objects.get(organization=org, user=alice)
    figures = insights(counted_for(membership))
    by_name = {person.name: person for person in figures.interviewers}
    ada_figures, grace_figures = by_name["Ada Lovelace"], by_name["Grace Hopper"]
    assert ada_figures.hours_to_submit == 2.5  # the median of 1, 2, 3 and 50
    assert (ada_figures.overdue, ada_figures.cards) == (1, 4)  # due 24 hours after
    assert (grace_figures.overdue, grace_figures.cards) == (4, 4)
    # Ada said hire: right twice of three decisions; Grace said no hire: right once.
    assert (ada_figures.matched, ada_figures.decided) == (2, 3)
    assert (grace_figures.matched, grace_figures.decided) == (1, 3)
    assert (grace_figures.changed, grace_figures.debriefed) == (1, 3)
    assert (ada_figures.changed, ada_figures.debriefed) == (0, 3)

    [stage] = figures.stages
    # Two of the three settled loops went on (hired); the open one is not counted yet.
    assert (stage.loops, stage.settled, stage.went_on) == (4, 3, 2)
    assert round(stage.days_to_decision, 1) == 2.0

    client_text = _page_text(org, alice, job)
    assert "Matched the decision" in client_text and "67% of 3" in client_text
    assert "Pass-through" in client_text and "Stage 1 4 67% of 3 moved on or ended" in client_text


def _page_text(org, user, job):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/"))


def test_a_later_stage_held_counts_as_going_on(org, alice):
    ada = member(org, Role.INTERVIEWER)
    job = make_job(org)
    loop = held(org, job, [ada, alice], scores=[3, 3], recommendations=[3, 3], hours=[1, 1])
    later = job.guide_version.stages.all()[1]
    schedule(loop, stage=later, interviewers=[ada], starts_at=timezone.now() + timedelta(days=1))
    figures = insights(counted_for(Membership.objects.get(organization=org, user=alice)))
    first = next(stage for stage in figures.stages if stage.position == 0)
    assert (first.settled, first.went_on, first.pass_through) == (1, 1, 1.0)


def test_a_loop_the_viewer_owes_feedback_in_is_left_out_of_every_figure(client, org, alice):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    for _ in range(3):
        held(org, job, [ada, grace], scores=[4, 2], recommendations=[4, 2], hours=[1, 1])
    # A fourth loop in which Alice sits on the panel and has not submitted.
    owed = make_loop(org, job=job)
    interview = schedule(owed, interviewers=[ada, grace, alice], starts_at=HELD)
    for person in (ada, grace):
        submit(interview.scorecards.get(interviewer=person), score=1)
    membership = Membership.objects.get(organization=org, user=alice)

    figures = insights(counted_for(membership))
    assert figures.loops == 3
    assert {p.name: p.cards for p in figures.interviewers} == {
        "Ada Lovelace": 3,
        "Grace Hopper": 3,
    }
    assert [stage.loops for stage in figures.stages] == [3]
    assert all(a.distribution[0] == 0 for a in figures.agreements)  # nobody's 1s of loop 4
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/"))
    assert "Agreement over 3 loops" in text

    submit(interview.scorecards.get(interviewer=alice), score=3)
    figures = insights(counted_for(membership))
    assert figures.loops == 4 and [stage.loops for stage in figures.stages] == [4]
    text = visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/"))
    assert "Agreement over 4 loops" in text


def test_cached_figures_follow_their_cards_and_never_pass_between_viewers(client, org, alice):
    from insights.reports import insights_for
    from scorecards import submission

    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    carol = member(org, Role.ADMIN, full_name="Carol Admin")
    job = make_job(org)
    first = held(org, job, [ada, grace], scores=[4, 2], recommendations=[4, 2], hours=[1, 1])
    for _ in range(2):
        held(org, job, [ada, grace], scores=[4, 2], recommendations=[4, 2], hours=[1, 1])
    owed = make_loop(org, job=job)
    interview = schedule(owed, interviewers=[ada, grace, alice], starts_at=HELD)
    for person in (ada, grace):
        submit(interview.scorecards.get(interviewer=person), score=1)
    carols = Membership.objects.get(organization=org, user=carol)
    alices = Membership.objects.get(organization=org, user=alice)

    # Carol, on no panel, counts the fourth loop first; Alice still owes feedback in it.
    assert insights_for(carols).loops == 4
    assert insights_for(alices).loops == 3
    client.force_login(alice)
    assert "Agreement over 3 loops" in visible_text(client.get(f"/o/{org.slug}/insights/"))
    client.force_login(carol)
    assert "Agreement over 4 loops" in visible_text(client.get(f"/o/{org.slug}/insights/"))

    # An amended score shows at once.
    before = insights_for(carols).agreements[0].distribution
    card = Scorecard.objects.get(interview__loop=first, interviewer=ada)
    rating = card.ratings.first()
    submission.amend(
        scorecard=card, user=ada, values={f"score-{rating.criterion_id}": 3}, reason="Misread."
    )
    after = insights_for(carols).agreements[0].distribution
    assert after[2] == before[2] + 1 and after[3] == before[3] - 1

    submit(interview.scorecards.get(interviewer=alice), score=3)
    assert insights_for(alices).loops == 4
    client.force_login(alice)
    assert "Agreement over 4 loops" in visible_text(client.get(f"/o/{org.slug}/insights/"))


def test_a_change_renews_the_figures_of_its_own_organization_only(client, org, other_org, alice):
    """The figures' key holds a counter per organization (insights.changes): an amendment made
    in one organization (in its scope, as every request runs) works out its figures anew and
    leaves another organization's cached; one made outside any scope (a task) renews every
    organization's."""
    from django_scopes import scope

    from insights.reports import insights_for
    from scorecards import submission

    def keys():
        return [insights_for(Membership.objects.get(user=alice, organization=o)).key for o in orgs]

    orgs = [org, other_org]
    Membership.objects.create(user=alice, organization=other_org, role=Role.ADMIN)
    cards = []
    for each in orgs:
        ada = member(each, Role.INTERVIEWER)
        loop = held(each, make_job(each), [ada], scores=[2], recommendations=[2], hours=[1])
        cards.append(Scorecard.objects.get(interview__loop=loop))
    first = keys()
    assert keys() == first  # kept while nothing changes

    def amend(card, score):
        rating = card.ratings.first()
        submission.amend(
            scorecard=card,
            user=card.interviewer,
            values={f"score-{rating.criterion_id}": score},
            reason="Misread.",
        )

    with scope(organization=org):
        amend(cards[0], 3)
    second = keys()
    assert second[0] != first[0] and second[1] == first[1]
    amend(cards[1], 4)  # outside any scope (the tests run with scopes off)
    third = keys()
    assert third[0] != second[0] and third[1] != second[1]
    assert insights_for(Membership.objects.get(user=alice, organization=other_org)).agreements[
        0
    ].distribution == [0, 0, 0, 1]
