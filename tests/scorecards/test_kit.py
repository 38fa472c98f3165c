"""The interview kit: the stage's guide, notes per question and the scorecard."""

import pytest

from tests.html import visible_text
from tests.scorecards.conftest import kit_url

pytestmark = pytest.mark.django_db


def test_the_kit_holds_the_guide_with_a_notes_box_per_question_and_the_scorecard(
    client, interview, bob, criteria, questions
):
    client.force_login(bob)
    response = client.get(kit_url(interview))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Open stage 1 warmly." in text
    assert "To share with the candidate" in text and "pipelines at Alpha" in text
    assert 'data-copy="#share-text"' in response.text
    assert interview.loop.candidate.name in text and interview.loop.job.title in text
    for question in questions:
        assert f'name="question-{question.pk}"' in response.text
    assert "Area 1.1.a" in text and "Follow-up 1.1.a" in text
    for criterion in criteria:
        for score, anchor in criterion.anchors():
            assert f'name="score-{criterion.pk}" value="{score}"' in response.text
            assert anchor in text
        assert f'name="note-{criterion.pk}"' in response.text
    for label in ("Strong No Hire", "No Hire", "Hire", "Strong Hire"):
        assert label in text


def test_a_take_home_shows_its_exercise_and_criteria_and_has_a_scorecard(client, org, bob):
    from tests.factories import make_loop, schedule

    loop = make_loop(org)
    stage = loop.guide_version.stages.get(kind="take_home")
    interview = schedule(loop, interviewers=[bob], stage=stage)
    client.force_login(bob)
    response = client.get(kit_url(interview))
    text = visible_text(response)
    assert "Exercise Build a small ingestion job." in text
    assert "Evaluation criteria Correctness Tests" in text
    criterion = stage.criteria.get()
    assert f'name="score-{criterion.pk}" value="4"' in response.text
    assert 'name="recommendation" value="4"' in response.text


def test_someone_who_manages_the_loop_sees_the_kit_without_a_scorecard(client, interview, alice):
    client.force_login(alice)
    response = client.get(kit_url(interview))
    assert response.status_code == 200
    assert 'name="summary"' not in response.text
    assert "Scorecard criteria" in visible_text(response)


def test_an_interviewer_not_on_the_interview_gets_404(client, org, interview):
    from accounts.models import Role
    from tests.factories import member

    client.force_login(member(org, Role.INTERVIEWER))
    assert client.get(kit_url(interview)).status_code == 404


def test_the_kit_shows_the_candidates_links_and_source(client, org, interview, bob):
    candidate = interview.loop.candidate
    candidate.links = (
        "https://github.com/marie-c/\nhttps://example.com/?a=1&b=<x>\njavascript:alert(1)"
    )
    candidate.source = "Referral by <Ada>"
    candidate.save()
    client.force_login(bob)
    kit = client.get(kit_url(interview))
    assert (
        '<a href="https://github.com/marie-c/" target="_blank" rel="noopener noreferrer">'
        "github.com/marie-c</a>"
    ) in kit.text
    assert 'href="https://example.com/?a=1&amp;b=&lt;x&gt;"' in kit.text
    assert "<x>" not in kit.text and "&lt;Ada&gt;" in kit.text
    assert 'href="javascript:' not in kit.text  # shown as text, never followed
    text = visible_text(kit)
    assert "Links: github.com/marie-c · example.com/?a=1&b=<x> · javascript:alert(1)" in text
    assert "Source: Referral by <Ada>" in text
