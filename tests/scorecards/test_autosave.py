"""Autosave: each field of a draft is saved on its own as it is typed or picked (rule 4)."""

import json

import pytest

from scorecards.models import QuestionNote, Rating
from tests.factories import make_loop, schedule
from tests.scorecards.conftest import card_url, kit_url
from tests.sweep import snapshot

pytestmark = pytest.mark.django_db


def save(client, card, **fields):
    return client.post(card_url(card, "field"), fields)


def saved(response):
    return json.loads(response["HX-Trigger"])["autosaved"]


def test_a_note_typed_under_a_question_is_there_after_a_reload(
    client, interview, bob, bobs, questions
):
    client.force_login(bob)
    response = save(client, bobs, **{f"question-{questions[0].pk}": "Talked about <b>queues</b>."})
    assert response.status_code == 200
    assert saved(response) == {"revision": 1, "inStep": False}
    assert QuestionNote.objects.get(scorecard=bobs).text == "Talked about <b>queues</b>."
    page = client.get(kit_url(interview))
    assert "Talked about &lt;b&gt;queues&lt;/b&gt;." in page.text
    assert "Last saved" in page.text  # and when


def test_a_score_and_its_note_are_saved_apart_and_0_is_a_score(client, bob, bobs, criteria):
    client.force_login(bob)
    pk = criteria[0].pk
    assert save(client, bobs, **{f"score-{pk}": "0", "revision": "0"}).status_code == 200
    response = save(client, bobs, **{f"note-{pk}": "Did not get to it.", "revision": "1"})
    assert saved(response) == {"revision": 2, "inStep": True}
    rating = Rating.objects.get(scorecard=bobs)
    assert (rating.score, rating.note) == (0, "Did not get to it.")
    # Clearing a choice is a save too.
    save(client, bobs, **{f"score-{pk}": ""})
    assert Rating.objects.get(scorecard=bobs).score is None


def test_two_tabs_typing_into_different_fields_lose_nothing(client, bob, bobs, criteria):
    client.force_login(bob)
    first_tab = save(client, bobs, summary="From the first tab.", revision="0")
    second_tab = save(
        client, bobs, **{f"note-{criteria[1].pk}": "From the second.", "revision": "0"}
    )
    assert saved(first_tab)["inStep"] is True
    # The second tab had not seen the first's save: it is told so, and its text is kept.
    assert saved(second_tab) == {"revision": 2, "inStep": False}
    bobs.refresh_from_db()
    assert bobs.summary == "From the first tab."
    assert Rating.objects.get(scorecard=bobs).note == "From the second."


def test_the_recommendation_saves_as_it_is_picked(client, bob, bobs):
    client.force_login(bob)
    assert save(client, bobs, recommendation="4").status_code == 200
    bobs.refresh_from_db()
    assert bobs.recommendation == 4


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("score", "7", "A score is 0, 1, 2, 3 or 4."),
        ("score", "x", "A score is 0, 1, 2, 3 or 4."),
        ("score", "-1", "A score is 0, 1, 2, 3 or 4."),
        ("recommendation", "5", "Choose Strong No Hire, No Hire, Hire or Strong Hire."),
        ("summary", "x" * 20_001, "at most 20000 characters"),
        ("summary", "nul\x00byte", "Null characters are not allowed."),
        ("no-such-field", "1", "This scorecard has no field"),
        ("revision", "3", "Send one field of the scorecard at a time."),
    ],
)
def test_bad_values_get_a_clear_400_and_change_nothing(
    client, bob, bobs, criteria, field, value, message
):
    client.force_login(bob)
    name = f"score-{criteria[0].pk}" if field == "score" else field
    before = snapshot()
    response = save(client, bobs, **{name: value})
    assert response.status_code == 400
    assert message in response.text
    assert snapshot() == before


def test_a_criterion_or_question_of_another_stage_is_refused(client, interview, bob, bobs):
    other_stage = interview.loop.guide_version.stages.exclude(pk=interview.stage_id).first()
    client.force_login(bob)
    before = snapshot()
    for name in (
        f"score-{other_stage.criteria.first().pk}",
        f"question-{other_stage.questions.first().pk}",
    ):
        response = save(client, bobs, **{name: "3"})
        assert response.status_code == 400
        assert "This scorecard has no field" in response.text
    assert snapshot() == before


def test_two_fields_at_once_are_refused(client, bob, bobs):
    client.force_login(bob)
    response = save(client, bobs, summary="a", recommendation="3")
    assert response.status_code == 400
    assert "one field" in response.text


def test_no_one_saves_into_another_interviewers_scorecard(client, org, alice, bob, adas):
    for someone in (bob, alice):  # a fellow interviewer, and the admin
        client.force_login(someone)
        before = snapshot()
        assert save(client, adas, summary="Mine now.").status_code == 404
        assert client.post(card_url(adas, "submit"), {"summary": "x"}).status_code == 404
        assert snapshot() == before


def test_a_submitted_scorecard_no_longer_saves_as_you_type(client, bob, bobs):
    from tests.factories import submit

    submit(bobs, summary="Final.")
    client.force_login(bob)
    before = snapshot()
    response = save(client, bobs, summary="Changed after the fact.")
    assert response.status_code == 409
    assert "Amend" in response.text
    assert snapshot() == before


def test_a_cancelled_interviews_scorecard_is_gone(client, org, alice, bob):
    loop = make_loop(org)
    interview = schedule(loop, interviewers=[bob])
    card = interview.scorecards.get()
    client.force_login(alice)
    client.post(f"/o/{org.slug}/interviews/{interview.pk}/cancel/")
    client.force_login(bob)
    assert save(client, card, summary="Too late.").status_code == 404
    page = client.get(kit_url(interview))
    assert page.status_code == 200
    assert 'name="summary"' not in page.text


def test_a_page_that_missed_another_windows_change_to_a_field_does_not_overwrite_it(
    client, bob, bobs
):
    client.force_login(bob)
    first = save(client, bobs, summary="A long paragraph from the first window.", base="")
    assert first.status_code == 200
    # The second window loaded the page before that save: it still thinks the field is empty.
    second = save(client, bobs, summary="B", base="")
    assert second.status_code == 409
    assert "changed in another window" in second.text
    bobs.refresh_from_db()
    assert bobs.summary == "A long paragraph from the first window."
    # Knowing the saved text, a save goes through; trailing blanks and \r\n make no difference.
    third = save(client, bobs, summary="Line one\r\nline two", base=bobs.summary + "  ")
    assert third.status_code == 200
    bobs.refresh_from_db()
    assert bobs.summary == "Line one\nline two"


def test_a_score_of_0_is_a_value_the_base_must_match(client, bob, bobs, criteria):
    client.force_login(bob)
    name = f"score-{criteria[0].pk}"
    assert save(client, bobs, **{name: "0", "base": ""}).status_code == 200
    assert save(client, bobs, **{name: "2", "base": ""}).status_code == 409
    assert save(client, bobs, **{name: "2", "base": "0"}).status_code == 200


def test_a_line_break_counts_once_against_the_length_limit(client, bob, bobs):
    client.force_login(bob)
    text = "a" * 9_999 + "\r\n" + "b" * 10_000  # 20,000 characters as the browser counts
    assert save(client, bobs, summary=text).status_code == 200
