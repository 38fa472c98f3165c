"""Shadow seats: a member in training sits in on an interview and fills a scorecard, sealed
like anyone's and never counted; after submitting they see how they compare with the panel.
And qualification: after the organization's number of shadow seats, or an admin's word."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from candidates import training
from candidates.models import Interview, Loop, Qualification
from candidates.packets import as_organization, packet_context
from candidates.services import with_progress
from guides.models import Stage
from scorecards import notifications
from scorecards.models import Scorecard
from scorecards.tasks import queue_feedback_in
from tests.debriefs.conftest import debrief_url
from tests.factories import make_job, make_loop, member, reveal, schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db

# On the minute, as a form gives it.
YESTERDAY = (timezone.now() - timedelta(days=1)).replace(second=0, microsecond=0)


@pytest.fixture
def ada(org):
    return member(org, Role.INTERVIEWER, full_name="Ada Lovelace")


@pytest.fixture
def grace(org):
    return member(org, Role.INTERVIEWER, full_name="Grace Hopper")


@pytest.fixture
def linus(org):
    return member(org, Role.INTERVIEWER, full_name="Linus Shadow")


@pytest.fixture
def job(org, alice):
    return make_job(org, hiring_manager=alice)


@pytest.fixture
def held(org, job, ada, grace, linus):
    """An interview held yesterday: Ada and Grace on the panel, Linus shadowing."""
    loop = make_loop(org, job=job)
    return schedule(loop, interviewers=[ada, grace], shadows=[linus], starts_at=YESTERDAY)


def card_of(interview, user) -> Scorecard:
    return interview.scorecards.get(interviewer=user)


def panel_in(interview, ada, grace, *, ada_score=4, grace_score=2):
    submit(card_of(interview, ada), score=ada_score, recommendation=4)
    submit(card_of(interview, grace), score=grace_score, recommendation=2)


def tells_the_manager(callbacks) -> bool:
    return any(getattr(c, "func", None) is queue_feedback_in for c in callbacks)


def form(stage=None, **fields):
    data = {"date": "2030-03-04", "start": "10:00", "end": "11:00"}
    if stage is not None:
        data["stage"] = stage.pk
    return data | fields


# Scheduling a shadow


def test_a_scheduler_seats_a_shadow_and_the_loop_page_and_kit_say_so(
    client, org, alice, job, ada, linus
):
    loop = make_loop(org, job=job)
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/",
        form(stage, interviewers=[ada.pk], shadows=[linus.pk]),
    )
    assert response.status_code == 302
    interview = Interview.objects.get(loop=loop)
    assert card_of(interview, ada).seat == Scorecard.Seat.PANEL
    assert card_of(interview, linus).seat == Scorecard.Seat.SHADOW
    page = visible_text(client.get(f"/o/{org.slug}/loops/{loop.pk}/"))
    assert "Linus Shadow shadow —" in page and "Ada Lovelace —" in page
    assert "(shadowing: Linus Shadow)" in loop.candidate.activities.first().text
    client.force_login(linus)
    kit = visible_text(client.get(f"/o/{org.slug}/interviews/{interview.pk}/"))
    assert "You are shadowing this interview." in kit
    assert "Interviewers: Ada Lovelace, Linus Shadow (shadow)" in kit
    client.force_login(ada)
    assert "You are shadowing" not in client.get(f"/o/{org.slug}/interviews/{interview.pk}/").text


def test_a_member_is_on_the_panel_or_shadowing_and_a_panel_has_someone(
    client, org, alice, job, ada, linus
):
    loop = make_loop(org, job=job)
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    both = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/",
        form(stage, interviewers=[ada.pk], shadows=[ada.pk, linus.pk]),
    )
    assert both.status_code == 400
    assert "Ada Lovelace: on the panel or shadowing it, not both." in visible_text(both)
    alone = client.post(f"/o/{org.slug}/loops/{loop.pk}/schedule/", form(stage, shadows=[linus.pk]))
    assert alone.status_code == 400
    assert "Choose at least one interviewer." in visible_text(alone)
    assert not Interview.objects.filter(loop=loop).exists()


def test_rescheduling_moves_a_draft_between_seats_but_submitted_feedback_keeps_its_seat(
    client, org, alice, held, ada, grace, linus
):
    client.force_login(alice)
    url = f"/o/{org.slug}/interviews/{held.pk}/edit/"
    local = timezone.localtime(held.starts_at)
    when = {
        "date": local.date().isoformat(),
        "start": local.strftime("%H:%M"),
        "end": timezone.localtime(held.ends_at).strftime("%H:%M"),
    }
    page = client.get(url)
    assert page.context["form"].initial["shadows"] == [linus.pk]
    moved = client.post(url, when | {"interviewers": [ada.pk, linus.pk], "shadows": [grace.pk]})
    assert moved.status_code == 302
    assert card_of(held, linus).seat == Scorecard.Seat.PANEL
    assert card_of(held, grace).seat == Scorecard.Seat.SHADOW
    submit(card_of(held, grace))
    refused = client.post(url, when | {"interviewers": [ada.pk, grace.pk], "shadows": [linus.pk]})
    assert refused.status_code == 400
    assert "Grace Hopper submitted feedback for this interview: their seat stays." in (
        visible_text(refused)
    )
    assert card_of(held, grace).seat == Scorecard.Seat.SHADOW


# Never counted


def test_the_pipeline_and_all_feedback_in_wait_for_the_panel_not_the_shadow(
    client, org, alice, job, ada, grace, linus, django_capture_on_commit_callbacks
):
    """Every stage held, Linus shadowing each: the panels' feedback in is all feedback in."""
    loop = make_loop(org, job=job)
    interviews = [
        schedule(
            loop,
            interviewers=[ada, grace],
            shadows=[linus],
            stage=stage,
            starts_at=YESTERDAY + timedelta(hours=n),
        )
        for n, stage in enumerate(loop.guide_version.stages.all())
    ]
    assert with_progress(Loop.objects.filter(pk=loop.pk)).get().progress == "awaiting"
    for interview in interviews[:-1]:
        panel_in(interview, ada, grace)
    submit(card_of(interviews[-1], ada))
    with django_capture_on_commit_callbacks() as callbacks:
        submit(card_of(interviews[-1], grace))
    assert tells_the_manager(callbacks), "the panel's last card asks for the e-mail"
    # Linus's drafts are open: the loop has all its feedback in all the same.
    assert all(card_of(interview, linus).is_open for interview in interviews)
    assert with_progress(Loop.objects.filter(pk=loop.pk)).get().progress == "feedback_in"
    assert notifications.send_feedback_in() == 1
    (email,) = [m for m in mail.outbox if m.subject.startswith("All feedback is in")]
    assert "Ada Lovelace" in email.body and "Linus" not in email.body
    client.force_login(alice)
    pipeline = visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/"))
    assert "feedback in" in pipeline and " of 3 in" not in pipeline
    assert loop in client.get(f"/o/{org.slug}/").context["todo"]["debriefs"]


def test_reminders_still_go_to_a_shadow_who_owes_feedback(org, held, linus):
    later = timezone.now() + timedelta(days=3)
    due = notifications.due_reminders(org, later)
    assert linus.pk in set(due.values_list("interviewer", flat=True))


def test_the_debrief_counts_the_panel_and_shows_the_shadows_card_apart(
    client, org, alice, held, ada, grace, linus
):
    panel_in(held, ada, grace)
    submit(card_of(held, linus), score=1, recommendation=1, summary="Linus-shadow-summary")
    loop = held.loop
    reveal(loop, by=alice)
    client.force_login(alice)
    response = client.get(debrief_url(loop))
    context = response.context
    assert [card.interviewer for card in context["cards"]] == [ada, grace]
    assert [card.interviewer for card in context["shadow_cards"]] == [linus]
    assert all(table.cards == context["cards"] for table in context["tables"])
    assert context["across"].cards == context["cards"]
    counts = {value: count for value, _, count in context["distribution"]}
    assert counts == {1: 0, 2: 1, 3: 0, 4: 1}  # Linus's Strong No Hire is not among them
    page = visible_text(response)
    assert "Shadows' scorecards" in page and "Linus-shadow-summary" in page
    assert "All feedback is in." in page
    # A shadow changes no recommendation in the debrief: theirs is not counted.
    client.force_login(linus)
    change = client.post(
        debrief_url(loop, "recommendation"),
        {"scorecard": card_of(held, linus).pk, "recommendation": 4, "reason": "Convinced."},
    )
    assert change.status_code == 403


def test_the_debrief_does_not_wait_for_a_shadow(client, org, alice, held, ada, grace, linus):
    panel_in(held, ada, grace)
    client.force_login(alice)
    page = visible_text(client.get(debrief_url(held.loop)))
    assert "All feedback is in." in page and "Still to come" not in page
    assert "Linus Shadow" in page and "shadowing (not counted)" in page


def test_the_packet_holds_the_panels_feedback_only(held, ada, grace, linus):
    panel_in(held, ada, grace)
    submit(card_of(held, linus))
    loop = held.loop
    context = packet_context(loop, as_organization(loop))
    assert {card.interviewer for card in context["cards"]} == {ada, grace}
    assert {row.interviewer for row in context["summary"]} == {ada, grace}
    assert context["outstanding"] == 0
    assert {c.card.interviewer for c in context["grouped"].rows[0].cells} == {ada, grace}


def test_insights_and_the_candidates_summary_leave_the_shadow_out(
    client, org, alice, job, held, ada, grace, linus
):
    panel_in(held, ada, grace)
    submit(card_of(held, linus), score=1)
    client.force_login(alice)
    insights = visible_text(client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/"))
    assert "Ada Lovelace" in insights and "Linus Shadow" not in insights
    candidate = client.get(f"/o/{org.slug}/candidates/{held.loop.candidate_id}/")
    rows = candidate.context["loops"][0].competency_rows
    scores = sorted(score for row in rows for score in row.scores)
    assert scores and 1 not in scores  # Linus scored 1 throughout; Ada 4, Grace 2


def test_a_shadow_sees_no_ones_feedback_until_theirs_is_in_and_no_one_sees_theirs_before(
    client, org, held, ada, grace, linus
):
    submit(card_of(held, ada), summary="Ada-panel-summary")
    submit(card_of(held, linus), summary="Linus-shadow-summary")
    kit = f"/o/{org.slug}/interviews/{held.pk}/"
    client.force_login(grace)  # her draft is open
    page = client.get(kit).text
    assert "Linus-shadow-summary" not in page and "Ada-panel-summary" not in page
    submit(card_of(held, grace))
    assert "Linus-shadow-summary" in client.get(kit).text


# After submitting: the shadow beside the panel


def test_after_submitting_a_shadow_sees_their_scores_beside_the_panels(
    client, org, alice, held, ada, grace, linus
):
    panel_in(held, ada, grace, ada_score=4, grace_score=2)
    kit = f"/o/{org.slug}/interviews/{held.pk}/"
    client.force_login(linus)
    before = client.get(kit)
    assert "You and the panel" not in before.text
    assert "Ada-" not in before.text and before.context.get("comparison") is None
    submit(card_of(held, linus), score=1, recommendation=1)
    response = client.get(kit)
    comparison = response.context["comparison"]
    row = comparison["rows"][0]
    assert row.mine == 1 and sorted(score for _, score in row.panel) == [2, 4]
    assert row.panel_mean == 3.0
    page = visible_text(response)
    assert "You and the panel" in page and "Recommendation sealed" in page
    assert "Strong Hire" not in page.split("You and the panel")[1].split("Other feedback")[0]
    reveal(held.loop, by=alice)
    page = visible_text(client.get(kit)).split("You and the panel")[1]
    assert "Strong No Hire" in page and "Strong Hire" in page and "No Hire" in page


def test_a_panel_member_sees_no_comparison(client, org, held, ada, grace):
    panel_in(held, ada, grace)
    client.force_login(ada)
    assert "You and the panel" not in client.get(f"/o/{org.slug}/interviews/{held.pk}/").text


# Qualification


def shadowed(org, job, user, stage, *, times, panel):
    """`user` shadowed `stage` `times` times with their feedback in, `panel` interviewing."""
    for _ in range(times):
        loop = make_loop(org, job=job)
        interview = schedule(
            loop, interviewers=[panel], shadows=[user], stage=stage, starts_at=YESTERDAY
        )
        submit(card_of(interview, panel))
        submit(card_of(interview, user))


def test_scheduling_warns_of_an_unqualified_panel_member_and_offers_the_shadow_seat(
    client, org, alice, job, ada, linus
):
    qualified = make_loop(org, job=job)
    stage = qualified.guide_version.stages.first()
    submit(card_of(schedule(qualified, interviewers=[ada], starts_at=YESTERDAY), ada))
    loop = make_loop(org, job=job)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    client.force_login(alice)
    data = form(stage, interviewers=[ada.pk, linus.pk])
    warned = client.post(url, data)
    assert warned.status_code == 200 and not Interview.objects.filter(loop=loop).exists()
    text = visible_text(warned)
    assert f"Not yet qualified for {stage.name}:" in text
    assert "Linus Shadow has shadowed it 0 times of the 2 that qualify." in text
    assert "Ada Lovelace has shadowed" not in text
    # The warning stands above the form: its button submits the form all the same.
    assert 'id="interview-form"' in warned.text
    assert 'form="interview-form" class="small secondary" name="as_shadows"' in warned.text
    # The suggestion: Linus moves to the shadows, for the scheduler to look over.
    suggested = client.post(url, data | {"as_shadows": str(linus.pk)})
    assert suggested.status_code == 200 and not Interview.objects.filter(loop=loop).exists()
    assert suggested.context["form"]["shadows"].value() == [str(linus.pk)]
    assert suggested.context["form"]["interviewers"].value() == [str(ada.pk)]
    assert "Moved to the shadows" in visible_text(suggested)
    saved = client.post(url, data | {"interviewers": [ada.pk], "shadows": [linus.pk]})
    assert saved.status_code == 302
    assert card_of(Interview.objects.get(loop=loop), linus).seat == Scorecard.Seat.SHADOW


def test_a_warned_scheduler_may_seat_an_unqualified_member_anyway(
    client, org, alice, job, ada, linus
):
    qualified = make_loop(org, job=job)
    stage = qualified.guide_version.stages.first()
    submit(card_of(schedule(qualified, interviewers=[ada], starts_at=YESTERDAY), ada))
    loop = make_loop(org, job=job)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    client.force_login(alice)
    data = form(stage, interviewers=[linus.pk])
    warned = client.post(url, data)
    anyway = client.post(url, data | {"confirm": warned.context["form"].fingerprint()})
    assert anyway.status_code == 302
    assert card_of(Interview.objects.get(loop=loop), linus).seat == Scorecard.Seat.PANEL


def test_no_warning_while_no_one_is_qualified_for_the_stage_or_none_is_asked(
    client, org, alice, job, ada, linus
):
    loop = make_loop(org, job=job)
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    # A new guide: no one has interviewed its stages yet, so there is no one to shadow.
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    assert client.post(url, form(stage, interviewers=[linus.pk])).status_code == 302
    other = make_loop(org, job=job)
    submit(card_of(schedule(other, interviewers=[ada], starts_at=YESTERDAY), ada))
    org.shadows_to_qualify = 0
    org.save()
    third = make_loop(org, job=job)
    url = f"/o/{org.slug}/loops/{third.pk}/schedule/"
    assert client.post(url, form(stage, interviewers=[ada.pk, member(org).pk])).status_code == 302


def test_a_member_qualifies_after_the_organizations_number_of_shadow_seats(org, job, ada, linus):
    stage = job.guide_version.stages.first()
    shadowed(org, job, linus, stage, times=1, panel=ada)
    assert [user for user, _ in training.unqualified(stage, [ada, linus])] == [linus]
    ((_, standing),) = training.unqualified(stage, [linus])
    assert standing.shadows == 1
    shadowed(org, job, linus, stage, times=1, panel=ada)
    assert training.unqualified(stage, [ada, linus]) == []
    org.shadows_to_qualify = 3
    org.save()
    stage = Stage.objects.get(pk=stage.pk)  # read afresh, with the organization
    assert [user for user, _ in training.unqualified(stage, [linus])] == [linus]


def test_an_admin_qualifies_a_member_on_the_members_page(client, org, alice, bob, job, ada, linus):
    stage = job.guide_version.stages.first()
    submit(card_of(schedule(make_loop(org, job=job), interviewers=[ada], starts_at=YESTERDAY), ada))
    membership = linus.memberships.get(organization=org)
    url = f"/o/{org.slug}/members/{membership.pk}/training/"
    client.force_login(alice)
    members = client.get(f"/o/{org.slug}/members/")
    assert url in members.text
    page = visible_text(client.get(url))
    assert f"{stage.name} 0 0 not yet" in page
    response = client.post(
        url, {"stage": f"{job.guide_version.guide_id}:{stage.name}", "qualified": "yes"}
    )
    assert response.status_code == 302
    assert Qualification.objects.get(user=linus).granted_by == alice
    assert "yes, by an admin" in visible_text(client.get(url))
    assert training.unqualified(stage, [linus]) == []
    withdrawn = client.post(
        url, {"stage": f"{job.guide_version.guide_id}:{stage.name}", "qualified": "no"}
    )
    assert withdrawn.status_code == 302 and not Qualification.objects.exists()
    bad = client.post(url, {"stage": "999:Nothing", "qualified": "yes"})
    assert bad.status_code == 400
    assert "Choose a stage of a guide that an open job runs." in visible_text(bad)
    client.force_login(bob)
    assert client.get(url).status_code == 403


def test_the_admins_home_lists_interviewers_without_training(client, org, alice, job, ada, linus):
    stage = job.guide_version.stages.first()
    submit(card_of(schedule(make_loop(org, job=job), interviewers=[ada], starts_at=YESTERDAY), ada))
    shadowed(org, job, linus, stage, times=1, panel=ada)
    client.force_login(alice)
    home = client.get(f"/o/{org.slug}/")
    assert [m.user for m in home.context["todo"]["untrained"]] == [linus]
    text = visible_text(home).split("Members without a role's training")[1]
    assert "Linus Shadow 1 shadow seat so far" in text and "Ada Lovelace" not in text
    client.force_login(ada)
    assert "Members without a role's training" not in client.get(f"/o/{org.slug}/").text


def test_the_setting_is_two_shadow_seats_by_default(client, org, alice):
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/settings/")
    assert 'name="shadows_to_qualify" value="2"' in page.text


def test_a_shadows_submit_asks_for_no_all_feedback_in(
    held, ada, linus, django_capture_on_commit_callbacks
):
    submit(card_of(held, ada))
    with django_capture_on_commit_callbacks() as callbacks:
        submit(card_of(held, linus))
    assert not tells_the_manager(callbacks)  # Grace, on the panel, still owes hers
