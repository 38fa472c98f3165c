"""An interviewer's scorecard hit twice at once, on PostgreSQL and on SQLite: two windows
autosaving, a double-clicked submit. Both answer, nothing is lost, nothing happens twice."""

import json

import pytest
from django.test import Client
from django_scopes import scope

from candidates.models import Activity
from scorecards.models import Rating, Scorecard
from tests.accounts.test_races import at_once
from tests.candidates.test_races import post_as
from tests.scorecards.conftest import card_url, complete_form

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


def post_answering(user, url, data):
    """Like post_as, answering the status and what the autosave told the page."""

    def call():
        client = Client()
        client.force_login(user)
        with scope():
            response = client.post(url, data)
        trigger = response.get("HX-Trigger")
        return response.status_code, json.loads(trigger)["autosaved"] if trigger else None

    return call


@pytest.mark.parametrize("attempt", range(3))
def test_two_windows_autosaving_at_once_both_save(attempt, bob, bobs, criteria):
    url = card_url(bobs, "field")
    first, second = at_once(
        post_answering(bob, url, {"summary": "Typed in the first window.", "revision": "0"}),
        post_answering(bob, url, {f"note-{criteria[0].pk}": "And in the second.", "revision": "0"}),
    )
    assert [first[0], second[0]] == [200, 200]
    # One of them saved on top of the other, and was told so.
    assert sorted(answer["revision"] for _, answer in (first, second)) == [1, 2]
    bobs.refresh_from_db()
    assert bobs.revision == 2
    assert bobs.summary == "Typed in the first window."
    assert Rating.objects.get(scorecard=bobs, criterion=criteria[0]).note == "And in the second."


@pytest.mark.parametrize("attempt", range(3))
def test_a_double_clicked_submit_submits_once(attempt, bob, bobs):
    data = complete_form(bobs, intent="submit")
    url = card_url(bobs, "submit")
    statuses = at_once(post_as(bob, url, data), post_as(bob, url, data))
    assert sorted(statuses) in ([302, 302], [302, 409])
    bobs.refresh_from_db()
    assert bobs.status == Scorecard.Status.SUBMITTED
    assert Activity.objects.filter(text__contains="submitted feedback").count() == 1
