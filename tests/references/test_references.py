"""Reference calls as a recruiter makes them, and who reads what came of them."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from references.models import ReferenceCheck
from tests.factories import make_job, make_loop, member, schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(org):
    return member(org, Role.RECRUITER, full_name="Riley Recruiter")


@pytest.fixture
def loop(org):
    return make_loop(org)


@pytest.fixture
def check(loop):
    return ReferenceCheck.objects.create(loop=loop, name="Jo Reference", relationship="Manager")


def parts(loop):
    version = loop.guide_version
    return version.criteria.get(stage=None), version.reference_questions.get()


def url(org, path):
    return f"/o/{org.slug}/{path}"


def test_a_recruiter_adds_a_reference_and_opens_the_call(client, org, loop, recruiter):
    client.force_login(recruiter)
    listing = visible_text(client.get(url(org, f"loops/{loop.pk}/references/")))
    assert "Call two people." in listing and "Read the notes" in listing  # the guide's own
    assert "No reference yet" in listing
    bad = client.post(
        url(org, f"loops/{loop.pk}/references/new/"), {"name": "", "company": "Initech"}
    )
    assert bad.status_code == 400 and 'value="Initech"' in bad.text
    response = client.post(
        url(org, f"loops/{loop.pk}/references/new/"),
        {
            "name": "Jo Reference",
            "relationship": "Her manager",
            "company": "Initech",
            "contact": "jo@initech.example",
            "worked_together": "3 years",
        },
    )
    check = ReferenceCheck.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/references/{check.pk}/")
    assert check.called_by == recruiter
    page = visible_text(client.get(response.url))
    criterion, question = parts(loop)
    # The question with the candidate's name in place, its guidance, the criterion's anchors.
    assert f"How did {loop.candidate.name} work?" in page and "Listen." in page
    assert criterion.anchor(4) in page and "Would they hire" in page
    assert "Initech" in page and "3 years" in page


def test_the_call_saves_as_one_types_and_refuses_a_rehire_score_of_11(
    client, org, loop, check, recruiter
):
    criterion, question = parts(loop)
    field_url = url(org, f"references/{check.pk}/field/")
    client.force_login(recruiter)
    saved = client.post(field_url, {f"answer-{question.pk}": "Led the migration.", "revision": "0"})
    assert saved.status_code == 200
    assert json.loads(saved["HX-Trigger"])["autosaved"] == {"revision": 1, "inStep": True}
    for data, message in (
        ({"rehire_score": "11"}, "whole number from 1 to 10"),
        ({"rehire_score": "0"}, "whole number from 1 to 10"),
        ({f"score-{criterion.pk}": "5"}, "A score is 0, 1, 2, 3 or 4."),
        ({"score-999999": "3"}, "This call has no field"),
    ):
        response = client.post(field_url, data)
        assert response.status_code == 400 and message in response.text
    check.refresh_from_db()
    assert check.rehire_score is None and check.revision == 1
    client.post(field_url, {"rehire_score": "9", "revision": "1"})
    client.post(field_url, {f"score-{criterion.pk}": "3", "revision": "2"})
    check.refresh_from_db()
    assert check.values() == {
        "rehire_score": 9,
        "rehire_reason": "",
        f"score-{criterion.pk}": 3,
        f"note-{criterion.pk}": "",
        f"answer-{question.pk}": "Led the migration.",
    }


def test_saving_the_whole_call_keeps_what_was_typed_when_a_value_is_wrong(
    client, org, loop, check, recruiter
):
    criterion, question = parts(loop)
    call_url = url(org, f"references/{check.pk}/")
    data = {
        "revision": "0",
        f"answer-{question.pk}": "Calm in incidents.",
        f"score-{criterion.pk}": "4",
        "rehire_score": "11",
        "rehire_reason": "Would hire again at once.",
    }
    client.force_login(recruiter)
    response = client.post(call_url, data)
    assert response.status_code == 400
    text = visible_text(response)
    assert "whole number from 1 to 10" in text
    assert "Calm in incidents." in response.text and "Would hire again at once." in response.text
    check.refresh_from_db()
    assert check.revision == 0 and check.rehire_reason == ""
    response = client.post(call_url, data | {"rehire_score": "10"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (
        check.rehire_score == 10 and check.values()[f"answer-{question.pk}"] == "Calm in incidents."
    )


def test_a_page_that_missed_another_windows_save_is_told_so(client, org, loop, check, recruiter):
    client.force_login(recruiter)
    client.post(
        url(org, f"references/{check.pk}/field/"), {"rehire_reason": "Yes.", "revision": "0"}
    )
    stale = client.post(url(org, f"references/{check.pk}/"), {"revision": "0", "rehire_score": "3"})
    assert stale.status_code == 409 and "another window" in stale.text
    check.refresh_from_db()
    assert check.rehire_score is None and check.rehire_reason == "Yes."


def test_references_are_compared_side_by_side_on_the_loop_page(client, org, loop, recruiter):
    criterion, _ = parts(loop)
    for name, score, rehire in (("Jo", 4, 9), ("Sam", 2, 6)):
        check = ReferenceCheck.objects.create(loop=loop, name=name, rehire_score=rehire)
        check.write({f"score-{criterion.pk}": score})
    client.force_login(recruiter)
    page = client.get(url(org, f"loops/{loop.pk}/"))
    text = visible_text(page)
    assert "References side by side" in text
    row = text[text.index(criterion.name) :]
    assert row.index("4") < row.index("2")  # Jo's column, then Sam's
    assert re.search(r"9\s*/10", text) and re.search(r"6\s*/10", text)
    assert criterion.anchor(4) in text  # each score's anchor, on hover and focus


def test_who_may_call_references(client, org, loop, check, bob, alice):
    client.force_login(bob)
    assert client.get(url(org, f"loops/{loop.pk}/references/")).status_code == 403
    assert client.get(url(org, f"references/{check.pk}/")).status_code == 403
    other_manager = member(org, Role.HIRING_MANAGER)
    make_job(org, hiring_manager=other_manager)
    client.force_login(other_manager)
    assert client.get(url(org, f"references/{check.pk}/")).status_code == 404
    # An admin who interviews in the loop and owes feedback waits, as for the scorecards.
    schedule(loop, interviewers=[alice], starts_at=timezone.now() - timedelta(hours=2))
    client.force_login(alice)
    response = client.get(url(org, f"references/{check.pk}/"))
    assert response.status_code == 403 and "Submit your own feedback" in visible_text(response)
    assert "Hidden until your own feedback" in visible_text(
        client.get(url(org, f"loops/{loop.pk}/"))
    )


def test_interviewers_read_the_references_in_the_debrief_once_their_feedback_is_in(
    client, org, loop, check, bob
):
    check.rehire_score = 7
    check.rehire_reason = "Solid, needs direction."
    check.save()
    interview = schedule(loop, interviewers=[bob], starts_at=timezone.now() - timedelta(hours=2))
    client.force_login(bob)
    debrief = f"/o/{org.slug}/loops/{loop.pk}/debrief/"
    assert "Solid, needs direction." not in client.get(debrief).text
    submit(interview.scorecards.get())
    text = visible_text(client.get(debrief))
    assert "Reference calls" in text and "Solid, needs direction." in text


def test_editing_and_removing_a_reference(client, org, loop, check, recruiter):
    client.force_login(recruiter)
    edit = url(org, f"references/{check.pk}/edit/")
    assert client.post(edit, {"name": "x" * 201}).status_code == 400
    client.post(edit, {"name": "Jo Q. Reference", "company": "Initech"})
    check.refresh_from_db()
    assert (check.name, check.company, check.relationship) == ("Jo Q. Reference", "Initech", "")
    response = client.post(url(org, f"references/{check.pk}/delete/"))
    assert response.status_code == 302 and not ReferenceCheck.objects.exists()


def test_an_erased_candidates_references_no_longer_change(client, org, loop, check, recruiter):
    from candidates.erasure import erase_candidate

    erase_candidate(candidate=loop.candidate, user=None)
    client.force_login(recruiter)
    for path, data in (
        (f"loops/{loop.pk}/references/new/", {"name": "Alex Smith"}),
        (f"references/{check.pk}/edit/", {"name": "Alex Smith"}),
        (f"references/{check.pk}/", {"revision": "0", "rehire_reason": "Alex is great."}),
        (f"references/{check.pk}/field/", {"rehire_reason": "Alex is great."}),
    ):
        response = client.post(url(org, path), data)
        assert response.status_code == 409 and "erased" in response.text
    check.refresh_from_db()
    assert check.rehire_reason == "" and ReferenceCheck.objects.count() == 1
    assert check.name.startswith("Reference #")
