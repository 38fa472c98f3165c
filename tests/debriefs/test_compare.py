"""Compare a job's candidates: up to five side by side, a mean per competency and outcome,
their recommendations sealed until each debrief reveals them (rule 3), nothing of a loop in
which the viewer still owes feedback (rule 2)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from tests.factories import (
    CandidateFactory,
    make_job,
    make_loop,
    member,
    reveal,
    schedule,
    submit,
)
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def _loop(org, job, name):
    with scopes_disabled():
        candidate = CandidateFactory(organization=org, name=name)
    return make_loop(org, job=job, candidate=candidate)


def _held(loop, interviewers, shadows=()):
    interview = schedule(
        loop,
        interviewers=interviewers,
        shadows=shadows,
        starts_at=timezone.now() - timedelta(days=1),
    )
    with scopes_disabled():
        return {card.interviewer_id: card for card in interview.scorecards.all()}


def _compare(client, org, job, *loops):
    return client.get(
        f"/o/{org.slug}/jobs/{job.pk}/compare/", {"loop": [str(loop.pk) for loop in loops]}
    )


def _rows(page) -> dict[str, list[str]]:
    """The comparison's rows by their heading: each cell's visible words."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page.text, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        words = [
            " ".join(re.sub(r"<span class=\"visually-hidden\">.*?</span>|<[^>]+>", " ", c).split())
            for c in cells
        ]
        if words:
            rows[words[0]] = words[1:]
    return rows


def test_the_job_page_offers_compare_once_it_has_candidates(client, org, alice):
    job = make_job(org)
    client.force_login(alice)
    assert "Compare" not in visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/"))
    _loop(org, job, "Ada Lovelace")
    page = client.get(f"/o/{org.slug}/jobs/{job.pk}/")
    assert f'href="/o/{org.slug}/jobs/{job.pk}/compare/"' in page.text
    picker = client.get(f"/o/{org.slug}/jobs/{job.pk}/compare/")
    assert picker.status_code == 200
    assert "Pick up to 5 candidates" in visible_text(picker)
    assert "Ada Lovelace" in visible_text(picker)


def test_candidates_side_by_side_with_a_mean_per_competency_and_sealed_recommendations(
    client, org, alice
):
    job = make_job(org, title="Data Engineer")
    ada, grace = _loop(org, job, "Ada Lovelace"), _loop(org, job, "Grace Hopper")
    x, y = member(org), member(org)
    cards = _held(ada, [x, y])
    submit(cards[x.pk], score=3, recommendation=3)
    submit(cards[y.pk], score=4, recommendation=4)
    reveal(ada, by=alice)
    cards = _held(grace, [x, y])
    submit(cards[x.pk], score=2, recommendation=2)
    submit(cards[y.pk], score=0, recommendation=1)  # 0: not enough information, a gap
    client.force_login(alice)

    page = _compare(client, org, job, ada, grace)
    assert page.status_code == 200
    rows = _rows(page)
    assert rows["Competency or outcome"] == ["Ada Lovelace", "Grace Hopper"]
    assert rows["Ownership"] == ["3.5", "2.0"]
    assert rows["Clarity"] == ["–", "–"]
    assert rows["Pipelines run on time"] == ["–", "–"]
    assert rows["Judgement 1"] == ["3.5", "2.0"]
    # Revealed in Ada's debrief; sealed in Grace's.
    assert rows["Recommendations"] == [
        "Hire ×1 Strong Hire ×1",
        "2 sealed until the debrief reveals them",
    ]
    assert rows["Decision"] == ["Not decided", "Not decided"]
    assert rows["Status"][0].startswith("Active")


def test_a_loop_in_which_the_viewer_owes_feedback_shows_nothing_of_its_cards(client, org):
    manager = member(org, Role.HIRING_MANAGER)
    job = make_job(org, hiring_manager=manager)
    owed, other = _loop(org, job, "Ada Lovelace"), _loop(org, job, "Grace Hopper")
    x = member(org)
    cards = _held(owed, [x, manager])
    submit(cards[x.pk], score=4, recommendation=4)
    submit(_held(other, [x])[x.pk], score=2, recommendation=2)
    reveal(owed, by=manager)
    client.force_login(manager)

    page = _compare(client, org, job, owed, other)
    rows = _rows(page)
    assert rows["Ownership"] == ["Yours first", "2.0"]
    assert rows["Recommendations"][0] == "Yours first: submit your feedback for this loop to see it"
    assert "Strong Hire" not in visible_text(page)


def test_more_than_five_or_a_malformed_choice_is_refused_plainly(client, org, alice):
    job = make_job(org)
    loops = [_loop(org, job, f"Candidate {n}") for n in range(6)]
    client.force_login(alice)
    page = _compare(client, org, job, *loops)
    assert page.status_code == 400
    assert "Compare at most 5 candidates at once: you picked 6." in visible_text(page)
    assert _compare(client, org, job, *loops[:5]).status_code == 200

    page = client.get(f"/o/{org.slug}/jobs/{job.pk}/compare/", {"loop": "one"})
    assert page.status_code == 400
    assert "Pick candidates from the list." in visible_text(page)


def test_a_loop_of_another_job_is_not_found(client, org, alice):
    job = make_job(org)
    elsewhere = _loop(org, make_job(org), "Ada Elsewhere")
    client.force_login(alice)
    assert _compare(client, org, job, elsewhere).status_code == 404


def test_an_interviewer_may_not_compare_and_a_hiring_manager_only_her_own_jobs(client, org):
    job = make_job(org)
    loop = _loop(org, job, "Ada Lovelace")
    client.force_login(member(org))
    assert _compare(client, org, job, loop).status_code == 403
    client.force_login(member(org, Role.HIRING_MANAGER))
    assert _compare(client, org, job, loop).status_code == 404


def test_a_shadows_card_is_never_counted(client, org, alice):
    job = make_job(org)
    loop = _loop(org, job, "Ada Lovelace")
    panel, shadow = member(org), member(org)
    cards = _held(loop, [panel], shadows=[shadow])
    submit(cards[panel.pk], score=3, recommendation=3)
    submit(cards[shadow.pk], score=1, recommendation=1)
    reveal(loop, by=alice)
    client.force_login(alice)
    rows = _rows(_compare(client, org, job, loop))
    assert rows["Ownership"] == ["3.0"]
    assert rows["Recommendations"] == ["Hire ×1"]
