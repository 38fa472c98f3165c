"""The job's agreement beside each row of the debrief's table, and an interviewer's own
calibration on "My interviews": who sees them, and what rule 2 leaves out."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from tests.factories import make_job, make_loop, member, reveal, schedule, submit
from tests.html import visible_text

# The figures and their cache, on SQLite too (the demo's database).
pytestmark = pytest.mark.sqlite

HELD = timezone.now() - timedelta(days=3)
SCORES = [(4, 3), (3, 2), (2, 1), (4, 4), (1, 2), (3, 3)]


def panel(org, job, people, scores):
    loop = make_loop(org, job=job)
    interview = schedule(loop, interviewers=people, starts_at=HELD)
    for person, score in zip(people, scores, strict=False):
        if score is not None:
            submit(interview.scorecards.get(interviewer=person), score=score)
    return loop, interview


def ownership_row(text):
    """The debrief's row for the Ownership competency, as read."""
    return next(line for line in text.split("Ownership")[1:] if "loops" in line or "few" in line)


def test_the_debrief_shows_how_well_the_job_s_panels_agree_on_each_row(client, org, alice):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org, hiring_manager=alice)
    loops = [panel(org, job, [ada, grace], scores)[0] for scores in SCORES]
    reveal(loops[0], by=alice)
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loops[0].pk}/debrief/"
    response = client.get(url)
    text = visible_text(response)
    assert "Panels agree" in text
    assert "6 loops" in ownership_row(text)
    # Only the rows across stages have the column: the stages' own tables have no such header.
    grouped_rows = len(re.findall(r'<tr class="(competency|outcome|criterion)', response.text))
    assert response.text.count('<td class="agreement">') == grouped_rows > 0

    # A seventh loop in which Alice sits on the panel and owes her feedback: left out.
    owed, interview = panel(org, job, [ada, grace, alice], (4, 1))
    assert "6 loops" in ownership_row(visible_text(client.get(url)))
    submit(interview.scorecards.get(interviewer=alice), score=2)
    assert "7 loops" in ownership_row(visible_text(client.get(url)))

    # An interviewer reads no insights: the column is not there for Ada.
    client.force_login(ada)
    text = visible_text(client.get(url))
    assert "Ada Lovelace" in text and "Panels agree" not in text


def test_figures_cached_for_one_reader_never_count_a_loop_another_still_owes(client, org, alice):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    hm = member(org, Role.HIRING_MANAGER, full_name="Hal Manager")
    job = make_job(org, hiring_manager=hm)
    loops = [panel(org, job, [ada, grace], scores)[0] for scores in SCORES]
    reveal(loops[0], by=hm)
    panel(org, job, [ada, grace, alice], (4, 1))  # Ada and Grace are in; Alice owes hers
    url = f"/o/{org.slug}/loops/{loops[0].pk}/debrief/"
    client.force_login(hm)
    assert "7 loops" in ownership_row(visible_text(client.get(url)))
    client.force_login(alice)
    assert "6 loops" in ownership_row(visible_text(client.get(url)))
    client.force_login(hm)
    assert "7 loops" in ownership_row(visible_text(client.get(url)))


def test_cached_figures_follow_a_new_loop_and_an_amended_score(client, org, alice):
    from scorecards import submission
    from scorecards.models import Scorecard

    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org, hiring_manager=alice)
    loops = [panel(org, job, [ada, grace], scores)[0] for scores in SCORES]
    reveal(loops[0], by=alice)
    url = f"/o/{org.slug}/loops/{loops[0].pk}/debrief/"
    client.force_login(alice)
    assert "6 loops" in ownership_row(visible_text(client.get(url)))
    panel(org, job, [ada, grace], (2, 4))
    before = ownership_row(visible_text(client.get(url)))
    assert "7 loops" in before

    card = Scorecard.objects.prefetch_related("ratings", "question_notes").get(
        interview__loop=loops[3], interviewer=ada
    )
    scores = {f"score-{rating.criterion_id}": 1 for rating in card.ratings.all()}
    submission.amend(scorecard=card, user=ada, values=scores, reason="Misread my notes.")
    after = ownership_row(visible_text(client.get(url)))
    assert "7 loops" in after and after != before


def test_a_job_with_few_loops_says_so(client, org, alice):
    ada = member(org, Role.INTERVIEWER)
    job = make_job(org)
    loop, _ = panel(org, job, [ada, alice], (4, 2))
    reveal(loop, by=alice)
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/loops/{loop.pk}/debrief/"))
    assert "too few loops" in ownership_row(text)


def test_an_interviewer_sees_their_own_calibration_and_nobody_else_s(client, org):
    org.leniency_minimum = 6
    org.save()
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    client.force_login(ada)
    panel(org, job, [ada, grace], (4, 3))
    text = visible_text(client.get(f"/o/{org.slug}/my-interviews/"))
    assert "My calibration" in text and "once you have given 6 ratings" in text

    for _ in range(3):
        panel(org, job, [ada, grace], (4, 3))  # Ada one above Grace every time
    text = visible_text(client.get(f"/o/{org.slug}/my-interviews/"))
    calibration = text.split("My calibration")[1]
    assert "Leniency" in calibration and "1.00" in calibration
    assert "8 shared ratings" in calibration  # 4 loops × 2 criteria
    assert "Grace Hopper" not in calibration and "-1.00" not in calibration
    assert "over the scores 1–4 4.00 3.50" in calibration  # Ada's, then everyone's


def test_calibration_leaves_out_a_loop_the_interviewer_owes_feedback_in(client, org):
    org.leniency_minimum = 2
    org.save()
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    panel(org, job, [ada, grace], (3, 3))
    # Ada owes her feedback here; Grace's 1s stay out of the organization's mean.
    panel(org, job, [ada, grace], (None, 1))
    client.force_login(ada)
    calibration = visible_text(client.get(f"/o/{org.slug}/my-interviews/")).split("My calibration")[
        1
    ]
    assert "over the scores 1–4 3.00 3.00" in calibration


def my_calibration(client, org):
    page = visible_text(client.get(f"/o/{org.slug}/my-interviews/"))
    return page.split("My calibration")[1]


def test_calibration_counts_feedback_submitted_since_it_was_last_shown(client, org):
    org.leniency_minimum = 2
    org.save()
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    panel(org, job, [ada, grace], (3, 3))
    client.force_login(ada)
    assert "over the scores 1–4 3.00 3.00" in my_calibration(client, org)
    panel(org, job, [grace], (1,))  # a loop Ada has no part in
    assert "over the scores 1–4 3.00 2.33" in my_calibration(client, org)
    panel(org, job, [ada, grace], (1, 1))
    assert "over the scores 1–4 2.00 1.80" in my_calibration(client, org)


def test_calibration_follows_an_amended_score(client, org):
    from scorecards import submission

    org.leniency_minimum = 2
    org.save()
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    _, interview = panel(org, job, [ada, grace], (3, 3))
    client.force_login(ada)
    assert "over the scores 1–4 3.00 3.00" in my_calibration(client, org)
    with scopes_disabled():
        card = interview.scorecards.get(interviewer=grace)
        values = card.values() | {key: 1 for key in card.values() if key.startswith("score-")}
        submission.amend(scorecard=card, user=grace, values=values, reason="Misread the anchor.")
    assert "over the scores 1–4 3.00 2.00" in my_calibration(client, org)


def test_calibration_shown_before_leaves_out_a_loop_the_interviewer_now_owes_feedback_in(
    client, org
):
    org.leniency_minimum = 2
    org.save()
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    panel(org, job, [ada, grace], (3, 3))
    loop, _ = panel(org, job, [grace], (1,))
    client.force_login(ada)
    assert "over the scores 1–4 3.00 2.33" in my_calibration(client, org)
    # Ada joins a later stage of that loop: Grace's 1s are sealed from her again (rule 2).
    with scopes_disabled():
        later = loop.guide_version.stages.all()[1]
    schedule(loop, interviewers=[ada], stage=later)
    assert "over the scores 1–4 3.00 3.00" in my_calibration(client, org)


def test_calibration_is_each_interviewer_s_own(client, org):
    org.leniency_minimum = 2
    org.save()
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    panel(org, job, [ada, grace], (4, 2))
    panel(org, job, [ada], (None,))  # Ada owes feedback here, Grace has no part in it
    client.force_login(ada)
    assert "over the scores 1–4 4.00 3.00" in my_calibration(client, org)
    client.force_login(grace)
    assert "over the scores 1–4 2.00 3.00" in my_calibration(client, org)


def test_the_packet_draws_the_panels_scores_beside_their_agreement(org, alice):
    from django.template.loader import render_to_string

    from accounts.models import Membership
    from candidates.packets import packet_context

    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org, hiring_manager=alice)
    loops = [panel(org, job, [ada, grace], scores)[0] for scores in SCORES]
    reveal(loops[0], by=alice)
    membership = Membership.objects.get(organization=org, user=alice)
    html = render_to_string("candidates/packet_pdf.html", packet_context(loops[0], membership))
    across = html.split('id="across"')[1]
    ownership = across.split(">Ownership<")[1].split("</tr>")[0]
    # Over the six loops' twelve scores of Ownership: two 1s, three 2s, four 3s, three 4s.
    assert '<svg class="chart"' in ownership
    assert 'aria-label="Scores 1 to 4: 2, 3, 4, 3"' in ownership
