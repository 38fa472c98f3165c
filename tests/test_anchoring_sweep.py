"""Rule 3 of DESIGN.md, tried on every URL pattern of an organization.

In every loop, interviewer Ada and the reader have both submitted, so that the reader may read
Ada's feedback (rule 2), and the debrief is discussing the ratings. Whatever the reader asks
for, Ada's recommendation stays out of it until the facilitator reveals the recommendations:
changing it, and an amendment of it, changes no byte of any response. The facilitators (the
admin, the job's hiring manager) are held to it as much as an interviewer.
"""

import pytest
from django.utils import timezone

from accounts.models import Role
from candidates.models import Job, Loop
from debriefs.models import Debrief
from guides.models import Recommendation
from scorecards.models import Amendment, Scorecard
from tests.factories import member, reveal, submit
from tests.sweep import URL_CASES, all_routes, url_for
from tests.test_visibility_sweep import comparable, held_yesterday, responses

pytestmark = pytest.mark.django_db

ORG_ROUTES = [r for r in all_routes() if r.in_organization]


def discuss_with_ada(org, reader):
    """In each loop of `org`: an interview held yesterday on a stage still free, Ada's scorecard
    and the reader's submitted; Ada amended her recommendation; the debrief is discussing. The
    reader's other drafts are submitted too, so that nothing of Ada's is hidden by rule 2."""
    ada = member(org, Role.INTERVIEWER, full_name="Ada Submitted")
    for loop in Loop.objects.filter(job__organization=org):
        interview = held_yesterday(loop, [ada, reader])
        card = submit(
            interview.scorecards.get(interviewer=ada), recommendation=Recommendation.STRONG_HIRE
        )
        Amendment.objects.create(
            scorecard=card,
            author=ada,
            reason="Slept on it.",
            before={"recommendation": Recommendation.HIRE},
            after={"recommendation": Recommendation.STRONG_HIRE},
        )
        Debrief.objects.update_or_create(
            loop=loop,
            defaults={
                "phase": Debrief.Phase.DISCUSSING,
                "opened_at": timezone.now(),
                "revealed_at": None,
                "decision": "",
            },
        )
    Loop.objects.filter(job__organization=org).update(status=Loop.Status.ACTIVE)
    drafts = Scorecard.objects.filter(
        interviewer=reader, status=Scorecard.Status.DRAFT, archived_at__isnull=True
    )
    for draft in drafts:
        submit(draft, recommendation=Recommendation.HIRE)
    return ada


def ada_changes_her_mind(ada):
    cards = Scorecard.objects.filter(interviewer=ada)
    cards.update(recommendation=Recommendation.STRONG_NO_HIRE)
    Amendment.objects.filter(author=ada).update(
        before={"recommendation": Recommendation.NO_HIRE},
        after={"recommendation": Recommendation.STRONG_NO_HIRE},
    )


def reader_of(kind, org, alice, bob):
    if kind == "admin":
        return alice
    if kind == "interviewer":
        return bob
    manager = member(org, Role.HIRING_MANAGER, full_name="Hana Manager")
    Job.objects.filter(organization=org).update(hiring_manager=manager)
    return manager


@pytest.mark.parametrize("reader_kind", ["admin", "hiring manager", "interviewer"])
@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_no_one_reads_another_recommendation_before_the_reveal(
    route, reader_kind, client, org, alice, bob
):
    kwargs = URL_CASES[route.name].make(org) if route.object_params else {}
    reader = reader_of(reader_kind, org, alice, bob)
    ada = discuss_with_ada(org, reader)
    url = url_for(route, org_slug=org.slug, **kwargs)
    client.force_login(reader)
    before = responses(client, url)
    ada_changes_her_mind(ada)
    after = responses(client, url)
    for first, second in zip(before, after, strict=True):
        assert first == second, f"{url} shows Ada's recommendation before the reveal"


@pytest.mark.parametrize("reader_kind", ["admin", "hiring manager", "interviewer"])
def test_the_sweep_would_see_a_revealed_recommendation(reader_kind, client, org, alice, bob):
    """The control: once revealed, Ada's recommendation shows on the debrief, and the sweep's
    comparison sees it change."""
    loop_pk = URL_CASES["debriefs:debrief"].make(org)["pk"]
    reader = reader_of(reader_kind, org, alice, bob)
    ada = discuss_with_ada(org, reader)
    client.force_login(reader)
    url = f"/o/{org.slug}/loops/{loop_pk}/debrief/"
    sealed = client.get(url)
    assert "Strong Hire" not in sealed.text and "Recommendation sealed" in sealed.text
    reveal(Loop.objects.get(pk=loop_pk))
    before = comparable(client.get(url))
    assert "Strong Hire" in before
    ada_changes_her_mind(ada)
    assert comparable(client.get(url)) != before
