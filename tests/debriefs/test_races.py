"""Two facilitators of one debrief at once, on PostgreSQL and on SQLite: both clicks answer, the
recommendations are revealed once."""

import pytest

from accounts.models import Role
from candidates.models import Activity
from debriefs.models import Debrief
from tests.accounts.test_races import at_once
from tests.candidates.test_races import post_as
from tests.debriefs.conftest import debrief_url
from tests.factories import member, submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


@pytest.mark.parametrize("attempt", range(3))
def test_two_facilitators_revealing_at_once_reveal_once(attempt, org, loop, cards, harper):
    admin = member(org, Role.ADMIN)
    for card in cards:
        submit(card)
    url = debrief_url(loop, "phase")
    assert post_as(harper, url, {"to": "discussing"})() == 302

    statuses = at_once(
        post_as(harper, url, {"to": "revealed"}), post_as(admin, url, {"to": "revealed"})
    )
    assert statuses == [302, 302]
    debrief = Debrief.objects.get(loop=loop)
    assert debrief.phase == Debrief.Phase.REVEALED
    assert debrief.revealed_by in (harper, admin)
    assert Activity.objects.filter(text__contains="revealed the recommendations").count() == 1
