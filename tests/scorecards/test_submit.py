"""Submitting a scorecard, and amending it afterwards with an audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Activity
from scorecards.models import Amendment, Scorecard
from tests.factories import make_loop, reveal, schedule, submit
from tests.html import visible_text
from tests.scorecards.conftest import card_url, complete_form, kit_url
from tests.sweep import snapshot

pytestmark = pytest.mark.django_db


def test_submitting_with_a_criterion_missing_shows_where_and_keeps_what_was_typed(
    client, interview, bob, bobs, criteria
):
    client.force_login(bob)
    data = complete_form(bobs, intent="submit")
    del data[f"score-{criteria[1].pk}"]
    data["recommendation"] = ""
    response = client.post(card_url(bobs, "submit"), data)
    # Refused, the kit is shown from its own address: reloading it posts nothing again.
    assert response.status_code == 302 and response.url == kit_url(interview) + "#form-errors"
    response = client.get(response.url)
    assert response.status_code == 200
    text = visible_text(response)
    assert "Not submitted: see what is marked below." in text
    assert "To submit, fill in:" in text
    assert f'<a href="#criterion-{criteria[1].pk}">{criteria[1].name}</a>: Pick a score' in (
        response.text
    )
    assert '<a href="#recommendation">Recommendation</a>: Choose your recommendation.' in (
        response.text
    )
    assert f'id="criterion-{criteria[1].pk}-errors"' in response.text
    assert f'class="criterion has-error" id="criterion-{criteria[0].pk}"' not in response.text
    bobs.refresh_from_db()
    assert bobs.status == Scorecard.Status.DRAFT
    # What was typed is saved as the draft, and the page holds the current revision.
    assert bobs.summary == "Hire."
    assert bobs.values()[f"score-{criteria[0].pk}"] == 3
    assert f'name="revision" value="{bobs.revision}"' in response.text
    assert ">Hire.</textarea>" in response.text
    # Said once: the kit loaded again shows the draft without the refusal.
    again = client.get(kit_url(interview))
    assert "To submit, fill in:" not in visible_text(again) and ">Hire.</textarea>" in again.text


def test_a_complete_scorecard_is_submitted_and_then_read_only(
    client, interview, bob, bobs, criteria
):
    client.force_login(bob)
    data = complete_form(bobs, score="0", intent="submit")  # 0 is a score
    response = client.post(card_url(bobs, "submit"), data)
    assert response.status_code == 302
    bobs.refresh_from_db()
    assert bobs.status == Scorecard.Status.SUBMITTED and bobs.submitted_at
    assert {r.score for r in bobs.ratings.all()} == {0}
    page = client.get(kit_url(interview))
    assert 'name="summary"' not in page.text
    text = visible_text(page)
    assert "Your feedback" in text and "Amend" in text
    assert "Not enough information gathered" in text
    assert Activity.objects.filter(text__contains="submitted feedback for Stage 1").exists()
    # Submitting twice changes nothing.
    again = client.post(card_url(bobs, "submit"), data | {"summary": "Other."})
    assert again.status_code == 302
    bobs.refresh_from_db()
    assert bobs.summary == "Hire."


def test_save_draft_without_javascript_keeps_everything(client, bob, bobs):
    client.force_login(bob)
    response = client.post(card_url(bobs, "submit"), complete_form(bobs, intent="save"))
    assert response.status_code == 302
    bobs.refresh_from_db()
    assert bobs.status == Scorecard.Status.DRAFT and bobs.summary == "Hire."


def test_feedback_waits_for_the_interview_to_begin(client, org, bob):
    interview = schedule(make_loop(org), interviewers=[bob])  # tomorrow
    card = interview.scorecards.get()
    client.force_login(bob)
    response = client.post(card_url(card, "submit"), complete_form(card, intent="submit"))
    assert response.status_code == 302
    assert "has not begun yet" in visible_text(client.get(response.url))
    card.refresh_from_db()
    assert card.status == Scorecard.Status.DRAFT


def test_bad_values_in_a_submit_change_nothing(client, bob, bobs, criteria):
    client.force_login(bob)
    before = snapshot()
    data = complete_form(bobs, intent="submit") | {f"score-{criteria[0].pk}": "7"}
    response = client.post(card_url(bobs, "submit"), data)
    assert response.status_code == 400
    assert "A score is 0, 1, 2, 3 or 4." in visible_text(response)
    assert snapshot() == before


def test_a_stale_submit_is_answered_with_what_differs_and_overwrites_nothing(
    client, bob, bobs, criteria
):
    client.force_login(bob)
    stale = complete_form(bobs, intent="submit")  # the first tab, at revision 0
    client.post(card_url(bobs, "field"), {f"score-{criteria[0].pk}": "1", "revision": "0"})
    response = client.post(card_url(bobs, "submit"), stale)
    assert response.status_code == 409
    text = visible_text(response)
    assert "This scorecard changed in another window" in text
    assert f"{criteria[0].name}: score" in text
    bobs.refresh_from_db()
    assert bobs.status == Scorecard.Status.DRAFT
    assert bobs.values()[f"score-{criteria[0].pk}"] == 1
    # Sent again from that page, knowing, it is submitted as shown.
    again = client.post(card_url(bobs, "submit"), stale | {"revision": str(bobs.revision)})
    assert again.status_code == 302
    bobs.refresh_from_db()
    assert bobs.is_submitted and bobs.values()[f"score-{criteria[0].pk}"] == 3


def amend_form(card, **changes):
    card.refresh_from_db()
    return {
        "revision": str(card.revision),
        "reason": "Reread my notes.",
        **{key: "" if value is None else str(value) for key, value in card.values().items()},
        **changes,
    }


def test_an_amendment_is_kept_with_who_when_why_before_and_after(
    client, org, alice, interview, bob, bobs, criteria
):
    submit(bobs, recommendation=2, summary="Unsure.")
    client.force_login(bob)
    form = client.get(card_url(bobs, "amend"))
    assert form.status_code == 200
    assert 'value="Unsure."' in form.text or "Unsure." in form.text
    response = client.post(
        card_url(bobs, "amend"),
        amend_form(bobs, recommendation="3", **{f"score-{criteria[0].pk}": "4"}),
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get(scorecard=bobs)
    assert amendment.author == bob and amendment.reason == "Reread my notes."
    assert amendment.before == {"recommendation": 2, f"score-{criteria[0].pk}": 3}
    assert amendment.after == {"recommendation": 3, f"score-{criteria[0].pk}": 4}
    bobs.refresh_from_db()
    assert bobs.is_submitted and bobs.recommendation == 3
    # Readers see it: the admin on the scorecard's page; the recommendation's change once the
    # debrief has revealed the recommendations.
    client.force_login(alice)
    page = visible_text(client.get(card_url(bobs)))
    assert "Amended after submitting" in page and "Reread my notes." in page
    assert f"{criteria[0].name}: score 3 4" in page
    assert "changed the recommendation, which stays sealed" in page
    assert "No Hire" not in page
    reveal(bobs.interview.loop)
    page = visible_text(client.get(card_url(bobs)))
    assert "Recommendation No Hire Hire" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "Nothing is changed"),
        ({"reason": "", "summary": "New."}, "This field is required."),
        ({"score-CRITERION": "", "summary": "New."}, "Pick a score"),
        ({"score-CRITERION": "9"}, "A score is 0, 1, 2, 3 or 4."),
    ],
)
def test_amendments_that_cannot_stand_are_refused(client, bob, bobs, criteria, changes, message):
    submit(bobs)
    client.force_login(bob)
    changes = {k.replace("CRITERION", str(criteria[0].pk)): v for k, v in changes.items()}
    before = snapshot()
    response = client.post(card_url(bobs, "amend"), amend_form(bobs, **changes))
    assert response.status_code == 400
    assert message in visible_text(response)
    assert snapshot() == before


def test_a_stale_amendment_is_refused(client, bob, bobs):
    submit(bobs)
    client.force_login(bob)
    first = amend_form(bobs, summary="From the first window.")
    second = amend_form(bobs, summary="From the second window.")
    assert client.post(card_url(bobs, "amend"), first).status_code == 302
    response = client.post(card_url(bobs, "amend"), second)
    assert response.status_code == 409
    assert "changed in another window" in visible_text(response)
    bobs.refresh_from_db()
    assert bobs.summary == "From the first window."


def test_a_draft_is_not_amended_but_filled_in(client, interview, bob, bobs):
    client.force_login(bob)
    response = client.get(card_url(bobs, "amend"))
    assert response.status_code == 302 and response.url == kit_url(interview)


def test_an_erased_candidates_feedback_cannot_be_amended(client, org, alice, interview, bob, bobs):
    submit(bobs)
    client.force_login(alice)
    client.post(
        f"/o/{org.slug}/candidates/{interview.loop.candidate_id}/erase/", {"confirm": "erase"}
    )
    client.force_login(bob)
    before = snapshot()
    response = client.post(card_url(bobs, "amend"), amend_form(bobs, recommendation="1"))
    assert response.status_code == 409
    assert snapshot() == before


def test_erasure_removes_the_texts_of_amendments(client, org, alice, interview, bob, bobs):
    submit(bobs)
    client.force_login(bob)
    client.post(card_url(bobs, "amend"), amend_form(bobs, summary="Mentions their family."))
    client.force_login(alice)
    client.post(
        f"/o/{org.slug}/candidates/{interview.loop.candidate_id}/erase/", {"confirm": "erase"}
    )
    amendment = Amendment.objects.get(scorecard=bobs)
    assert "family" not in str(amendment.before) + str(amendment.after) + amendment.reason
    assert "Solid." not in str(amendment.before)


def test_the_due_line_says_when_feedback_is_overdue(client, org, bob):
    loop = make_loop(org)
    interview = schedule(loop, interviewers=[bob], starts_at=timezone.now() - timedelta(days=3))
    client.force_login(bob)
    assert "Your feedback is overdue by" in visible_text(client.get(kit_url(interview)))


def test_a_stale_save_draft_does_not_wipe_a_score_of_0(client, bob, bobs, criteria):
    client.force_login(bob)
    name = f"score-{criteria[0].pk}"
    client.post(card_url(bobs, "field"), {name: "0", "revision": "0"})
    # A page from before that pick, with nothing picked there, saves its draft.
    response = client.post(
        card_url(bobs, "submit"), {"revision": "0", "intent": "save", "summary": ""}
    )
    assert response.status_code == 409
    assert f"{criteria[0].name}: score" in visible_text(response)
    bobs.refresh_from_db()
    assert bobs.values()[name] == 0


def test_an_interviewer_taken_off_and_put_back_finds_their_notes(client, org, alice, bob):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import member

    ada = member(org)
    interview = schedule(make_loop(org), interviewers=[bob, ada])
    card = interview.scorecards.get(interviewer=bob)
    client.force_login(bob)
    client.post(card_url(card, "field"), {"summary": "Notes from the first half."})
    client.force_login(alice)
    day = (timezone.localtime(interview.starts_at) + timedelta(days=0)).date().isoformat()
    form = {"date": day, "start": "10:00", "end": "11:00", "confirm": "1"}
    url = f"/o/{org.slug}/interviews/{interview.pk}/edit/"
    assert client.post(url, form | {"interviewers": [str(ada.pk)]}).status_code == 302
    assert client.post(url, form | {"interviewers": [str(ada.pk), str(bob.pk)]}).status_code == 302
    client.force_login(bob)
    page = client.get(kit_url(interview))
    assert "Notes from the first half." in page.text
    assert interview.scorecards.filter(interviewer=bob, archived_at__isnull=True).count() == 1


def test_amending_an_erased_candidates_feedback_explains_instead_of_a_form(
    client, org, alice, interview, bob, bobs
):
    submit(bobs)
    client.force_login(alice)
    client.post(
        f"/o/{org.slug}/candidates/{interview.loop.candidate_id}/erase/", {"confirm": "erase"}
    )
    client.force_login(bob)
    response = client.get(card_url(bobs, "amend"), follow=True)
    assert "their feedback cannot change" in visible_text(response)
