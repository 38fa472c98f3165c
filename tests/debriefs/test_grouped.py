"""The debrief's table across stages: a row per competency and desired outcome, each cell an
interviewer's score, a 0 as a gap left out of the mean and spread; then the criteria that
measure nothing; the guide's role summary folded above the ratings."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from debriefs import matrix
from guides.models import Competency, Criterion, Outcome
from scorecards.models import Rating
from scorecards.visibility import with_contents
from tests.debriefs.conftest import debrief_url
from tests.debriefs.test_debrief import open_discussion
from tests.factories import schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cards(loop, cards, harper):
    """Bob and Ada on stage 1, Harper on stage 2; every Craft criterion measures Ownership."""
    bobs, adas = cards
    second = loop.guide_version.stages.all()[1]
    later = schedule(
        loop, stage=second, interviewers=[harper], starts_at=timezone.now() - timedelta(hours=5)
    )
    submit(bobs, score=2)
    submit(adas, score=4)
    harpers = later.scorecards.get()
    submit(harpers, score=3)
    craft = Criterion.objects.get(stage=bobs.interview.stage, name="Craft 1")
    Rating.objects.filter(scorecard=adas, criterion=craft).update(score=0)
    return bobs, adas, harpers


def test_a_row_per_competency_with_a_0_left_out_of_mean_and_spread(loop, three_cards):
    cards = list(with_contents(loop_cards(loop)))
    table = matrix.grouped(cards, loop.guide_version)
    ownership = next(row for row in table.rows if row.name == "Ownership")
    assert [r.score for c in ownership.cells for r in c.ratings] == [2, 0, 3]
    assert ownership.mean == 2.5 and ownership.spread == 1
    clarity = next(row for row in table.rows if row.name == "Clarity")
    assert clarity.mean is None and not any(c.ratings for c in clarity.cells)
    assert [row.kind for row in table.rows] == [
        "competency",
        "competency",
        "outcome",
        "criterion",
        "criterion",
    ]
    assert [row.name for row in table.rows][3:] == ["Judgement 1", "Judgement 2"]


def loop_cards(loop):
    from scorecards.models import Scorecard

    return Scorecard.objects.filter(interview__loop=loop, submitted_at__isnull=False).order_by(
        "interview__starts_at", "pk"
    )


def test_the_debrief_shows_the_grouped_rows_and_the_role_folded_above(
    client, loop, three_cards, harper
):
    client.force_login(harper)
    open_discussion(client, loop)
    page = client.get(debrief_url(loop))
    text = visible_text(page)
    assert "The role: what we look for, the competencies and the outcomes" in text
    assert text.index("The role: what we look for") < text.index("Ratings side by side")
    across = page.text[page.text.index("Across stages") : page.text.index("Stage 1</h3>")]
    row = across[across.index(">Ownership<") : across.index("</tr>", across.index(">Ownership<"))]
    assert '<td class="mean">2.5</td>' in row
    assert "not enough information" in row
    assert re.search(r'class="sticky"', across)
    assert "Criteria that measure no competency or outcome" in visible_text(page)
    assert "Desired outcomes" in across and "Pipelines run on time" in across


def test_the_grouped_debrief_costs_the_same_with_more_competencies(
    client, loop, three_cards, harper, django_assert_max_num_queries
):
    client.force_login(harper)
    open_discussion(client, loop)
    with django_assert_max_num_queries(60) as captured:
        client.get(debrief_url(loop))
    before = len(captured)
    version = loop.guide_version
    for n in range(10):
        Competency.objects.create(version=version, name=f"More {n}", position=5 + n)
        Outcome.objects.create(version=version, text=f"Outcome {n}", position=5 + n)
    with django_assert_max_num_queries(before):
        response = client.get(debrief_url(loop))
    assert "More 9" in response.text


def test_the_candidate_page_sums_up_each_competency_and_outcome(
    client, org, loop, three_cards, alice
):
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/")
    text = visible_text(page)
    assert "Ownership 2.5 2 spread 1" in text
    assert "Clarity not rated yet 0" in text
    assert "Pipelines run on time not rated yet" in text
    assert "Judgement 1" not in text


def test_the_candidate_page_hides_the_summary_from_an_admin_who_owes_feedback(
    client, org, loop, cards, alice
):
    bobs, adas = cards
    submit(adas, score=4)
    second = loop.guide_version.stages.all()[1]
    schedule(loop, stage=second, interviewers=[alice])
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/")
    assert page.status_code == 200
    assert "Ownership" not in visible_text(page)
