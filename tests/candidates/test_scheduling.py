"""Scheduling a stage: times in the organization's zone, interviewers' drafts, reschedule,
cancel, swap, conflicts and calendars."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from accounts.models import Role
from candidates.models import Interview
from scorecards.models import Scorecard
from tests.factories import make_guide, make_loop, member, schedule, submit
from tests.html import visible_text

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def loop(org):
    org.time_zone = "Europe/Berlin"
    org.feedback_due_hours = 24
    org.save()
    return make_loop(org)


@pytest.fixture
def ada(org):
    return member(org, Role.INTERVIEWER, full_name="Ada Lovelace")


@pytest.fixture
def grace(org):
    return member(org, Role.INTERVIEWER, full_name="Grace Hopper")


def form(stage=None, **fields):
    data = {"date": "2030-03-04", "start": "10:00", "end": "11:00", "location": "Room 2"}
    if stage is not None:
        data["stage"] = stage.pk
    return data | fields


def test_scheduling_creates_a_draft_for_each_interviewer_due_after_the_end(
    client, org, alice, loop, ada, grace
):
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/",
        form(stage, interviewers=[ada.pk, grace.pk], video_link="meet.example/abc"),
    )
    assert response.status_code == 302
    interview = Interview.objects.get(loop=loop)
    assert interview.starts_at == datetime(2030, 3, 4, 10, tzinfo=BERLIN)
    assert interview.ends_at - interview.starts_at == timedelta(hours=1)
    assert interview.video_link == "https://meet.example/abc"
    cards = Scorecard.objects.filter(interview=interview)
    assert {c.interviewer for c in cards} == {ada, grace}
    assert {c.status for c in cards} == {"draft"}
    assert {c.due_at for c in cards} == {datetime(2030, 3, 5, 11, tzinfo=BERLIN)}
    page = client.get(response.url).text
    assert "Mon 4 Mar 2030, 10:00" in page and "Ada Lovelace" in page
    timeline = client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/").text
    assert f"{stage.name} scheduled for Mon 4 Mar 2030, 10:00 (Europe/Berlin)" in timeline


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end": "09:00"}, "The interview must end after it starts."),
        ({"end": "10:00"}, "The interview must end after it starts."),
        ({"date": "2030-02-30"}, "Enter a valid date."),
        ({"start": "25:00"}, "Enter a valid time."),
        ({"video_link": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"interviewers": []}, "Choose at least one interviewer."),
    ],
)
def test_bad_schedules_are_refused_and_keep_what_was_typed(
    client, org, alice, loop, ada, fields, message
):
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    data = form(stage, interviewers=[ada.pk], location="Room Zuse") | fields
    response = client.post(f"/o/{org.slug}/loops/{loop.pk}/schedule/", data)
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Room Zuse"' in response.text
    assert not Interview.objects.exists() and not Scorecard.objects.exists()


def test_an_interviewer_from_another_organization_is_refused(client, org, alice, loop, charlie):
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/", form(stage, interviewers=[charlie.pk])
    )
    assert response.status_code == 400
    assert "is not a member of this organization" in response.text
    assert not Interview.objects.exists()


def test_a_stage_of_another_guide_is_refused(client, org, alice, loop, ada):
    other = make_guide(org, publish=True).stages.first()
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/", form(other, interviewers=[ada.pk])
    )
    assert response.status_code == 400
    assert "Choose a stage of this loop&#x27;s guide." in response.text
    assert not Interview.objects.exists()


def test_a_stage_is_scheduled_once(client, org, alice, loop, ada):
    stage = loop.guide_version.stages.first()
    schedule(loop, interviewers=[ada], stage=stage)
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/", form(stage, interviewers=[ada.pk])
    )
    assert response.status_code == 400
    assert "already scheduled: reschedule it instead" in response.text


def test_a_busy_interviewer_is_pointed_out_before_scheduling(client, org, alice, loop, ada):
    other_loop = make_loop(org, job=loop.job)
    schedule(
        other_loop,
        interviewers=[ada],
        starts_at=datetime(2030, 3, 4, 10, 30, tzinfo=BERLIN),
    )
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    response = client.post(url, form(stage, interviewers=[ada.pk]))
    assert response.status_code == 200
    assert "Already busy at that time" in response.text
    warning = response.text.split('id="conflicts"')[1].split("</div>")[0]
    assert f"Ada Lovelace has {stage.name} with {other_loop.candidate.name}" in warning
    assert "Mon 4 Mar 2030, 10:30–11:30" in warning
    assert Interview.objects.filter(loop=loop).count() == 0
    confirm = re.search(r'name="confirm" value="([^"]+)"', response.text)[1]
    # "Schedule anyway" holds for what was checked: another time is checked again
    response = client.post(url, form(stage, interviewers=[ada.pk], start="10:15", confirm=confirm))
    assert response.status_code == 200 and "Already busy at that time" in response.text
    response = client.post(url, form(stage, interviewers=[ada.pk], confirm=confirm))
    assert response.status_code == 302
    assert Interview.objects.filter(loop=loop).count() == 1


def test_an_interviewer_busy_in_another_organization_is_none_of_its_business(
    client, org, other_org, alice, loop, ada
):
    from accounts.models import Membership

    Membership.objects.create(user=ada, organization=other_org, role=Role.INTERVIEWER)
    elsewhere = make_loop(other_org)
    schedule(elsewhere, interviewers=[ada], starts_at=datetime(2030, 3, 4, 10, tzinfo=BERLIN))
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/",
        form(loop.guide_version.stages.first(), interviewers=[ada.pk]),
    )
    assert response.status_code == 302


def test_a_take_home_can_run_over_days(client, org, alice, loop, ada):
    take_home = loop.guide_version.stages.get(kind="take_home")
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    data = form(take_home, interviewers=[ada.pk], start="09:00", end="17:00", end_date="2030-03-07")
    assert client.post(url, data).status_code == 302
    interview = Interview.objects.get(stage=take_home)
    assert interview.ends_at - interview.starts_at == timedelta(days=3, hours=8)
    page = client.get(f"/o/{org.slug}/loops/{loop.pk}/").text
    assert "Mon 4 Mar 2030, 09:00–Thu 7 Mar 2030, 17:00" in page
    too_long = form(take_home, interviewers=[ada.pk], end_date="2030-04-04")
    response = client.post(f"/o/{org.slug}/interviews/{interview.pk}/edit/", too_long)
    assert response.status_code == 400
    assert "lasts at most 14 days" in response.text


def test_the_interviewers_of_a_cancelled_interview_can_still_open_it(client, org, loop, ada):
    from candidates import scheduling

    interview = schedule(loop, interviewers=[ada])
    scheduling.cancel(interview=interview, user=None)
    client.force_login(ada)
    page = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert page.status_code == 200 and "Cancelled" in page.text
    calendar = client.get(f"/o/{org.slug}/interviews/{interview.pk}/calendar.ics")
    assert b"STATUS:CANCELLED" in calendar.content


def test_rescheduling_moves_the_due_time_and_swapping_archives_the_old_draft(
    client, org, alice, loop, ada, grace
):
    interview = schedule(loop, interviewers=[ada], starts_at=datetime(2030, 3, 4, 9, tzinfo=BERLIN))
    old = interview.scorecards.get()
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(start="14:00", end="15:30", interviewers=[grace.pk]),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    old.refresh_from_db()
    assert interview.starts_at == datetime(2030, 3, 4, 14, tzinfo=BERLIN)
    assert interview.sequence == 1
    assert old.archived_at is not None and Scorecard.objects.filter(pk=old.pk).exists()
    new = interview.scorecards.get(archived_at__isnull=True)
    assert new.interviewer == grace and new.status == "draft"
    assert new.due_at == datetime(2030, 3, 5, 15, 30, tzinfo=BERLIN)
    timeline = client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/").text
    assert "Grace Hopper added; Ada Lovelace taken off" in timeline
    # swapping Ada back gives her back her draft, with what she had written, due anew
    client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(start="14:00", end="15:30", interviewers=[ada.pk]),
    )
    back = interview.scorecards.get(archived_at__isnull=True)
    assert back.interviewer == ada and back.pk == old.pk
    assert back.due_at == new.due_at


def test_an_interviewer_who_submitted_stays_on_the_interview(client, org, alice, loop, ada, grace):
    interview = schedule(
        loop, interviewers=[ada, grace], starts_at=timezone.now() - timedelta(days=1)
    )
    submit(interview.scorecards.get(interviewer=ada))
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/", form(interviewers=[grace.pk])
    )
    assert response.status_code == 400
    assert "Ada Lovelace submitted feedback for this interview and stay on it." in response.text
    assert interview.scorecards.filter(archived_at__isnull=True).count() == 2


def test_cancelling_archives_the_drafts_and_frees_the_stage(client, org, alice, loop, ada, grace):
    interview = schedule(loop, interviewers=[ada, grace])
    client.force_login(alice)
    client.post(f"/o/{org.slug}/interviews/{interview.pk}/cancel/")
    interview.refresh_from_db()
    assert interview.status == "cancelled"
    assert Scorecard.objects.filter(interview=interview).count() == 2
    assert not Scorecard.objects.filter(interview=interview, archived_at__isnull=True).exists()
    page = client.get(f"/o/{org.slug}/loops/{loop.pk}/").text
    assert "Cancelled interviews (1)" in page
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/",
        form(interview.stage, interviewers=[ada.pk]),
    )
    assert response.status_code == 302


def test_the_calendar_file_holds_the_interview(client, org, alice, loop, ada):
    interview = schedule(
        loop, interviewers=[ada], starts_at=datetime(2030, 3, 4, 10, tzinfo=BERLIN), minutes=45
    )
    client.force_login(ada)
    response = client.get(f"/o/{org.slug}/interviews/{interview.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 3, 4, 10, tzinfo=BERLIN)
    assert event.decoded("dtend") == datetime(2030, 3, 4, 10, 45, tzinfo=BERLIN)
    assert loop.candidate.name in str(event["summary"])
    assert f"/o/{org.slug}/interviews/{interview.pk}/" in str(event["description"])
    from candidates import scheduling

    scheduling.cancel(interview=interview, user=None)
    client.force_login(alice)
    cancelled = icalendar.Calendar.from_ical(
        client.get(f"/o/{org.slug}/interviews/{interview.pk}/calendar.ics").content
    ).walk("VEVENT")[0]
    assert str(cancelled["status"]) == "CANCELLED" and int(cancelled["sequence"]) == 1


def test_only_the_assigned_interviewers_open_an_interview(client, org, loop, ada, grace):
    interview = schedule(loop, interviewers=[ada])
    client.force_login(grace)
    assert client.get(f"/o/{org.slug}/interviews/{interview.pk}/").status_code == 404
    assert client.get(f"/o/{org.slug}/interviews/{interview.pk}/calendar.ics").status_code == 404
    assert client.get(f"/o/{org.slug}/loops/{loop.pk}/").status_code == 403
    client.force_login(ada)
    page = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert page.status_code == 200
    assert interview.stage.questions.first().text.split(":")[0] in page.text
    assert "Reschedule" not in page.text


def test_a_loop_that_is_not_active_cannot_be_scheduled(client, org, alice, loop, ada):
    from candidates.models import Loop

    Loop.objects.filter(pk=loop.pk).update(status="withdrawn")
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/schedule/",
        form(loop.guide_version.stages.first(), interviewers=[ada.pk]),
    )
    assert response.status_code == 400
    assert "This loop is withdrawn: make it active again" in response.text
    assert not Interview.objects.exists()


def test_a_loop_status_needs_a_reason_to_reject(client, org, alice, loop):
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loop.pk}/status/"
    response = client.post(url, {"status": "rejected", "rejection_reason": "  "})
    assert response.status_code == 400
    assert "Say why the candidate is rejected." in response.text
    loop.refresh_from_db()
    assert loop.status == "active"
    client.post(url, {"status": "rejected", "rejection_reason": "Wants a remote role"})
    loop.refresh_from_db()
    assert (loop.status, loop.rejection_reason) == ("rejected", "Wants a remote role")
    page = client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/").text
    assert "marked rejected" in page and "Wants a remote role" not in page


def test_scheduling_refuses_a_foreign_stage_or_interviewer_whoever_calls_it(
    org, other_org, loop, ada
):
    from candidates import scheduling
    from candidates.scheduling import Slot
    from candidates.scheduling import schedule as schedule_stage

    now = timezone.now()
    slot = Slot(starts_at=now, ends_at=now + timedelta(hours=1))
    foreign_stage = make_guide(other_org, publish=True).stages.first()
    outsider = member(other_org)
    with pytest.raises(scheduling.Refused, match="not one of this loop's guide"):
        schedule_stage(loop=loop, stage=foreign_stage, slot=slot, interviewers=[ada], user=None)
    with pytest.raises(scheduling.Refused, match="must be a member"):
        schedule_stage(
            loop=loop,
            stage=loop.guide_version.stages.first(),
            slot=slot,
            interviewers=[outsider],
            user=None,
        )
    assert not Interview.objects.exists()


def test_the_timeline_names_the_organizations_time_zone_outside_a_request(loop, ada):
    schedule(loop, interviewers=[ada], starts_at=datetime(2030, 3, 4, 9, tzinfo=ZoneInfo("UTC")))
    assert "Mon 4 Mar 2030, 10:00 (Europe/Berlin)" in loop.candidate.activities.first().text


def test_an_interview_with_feedback_cannot_be_cancelled(client, org, alice, loop, ada):
    interview = schedule(loop, interviewers=[ada], starts_at=timezone.now() - timedelta(days=1))
    submit(interview.scorecards.get())
    client.force_login(alice)
    assert "Cancel interview" not in client.get(f"/o/{org.slug}/loops/{loop.pk}/").text
    response = client.post(f"/o/{org.slug}/interviews/{interview.pk}/cancel/", follow=True)
    assert "was held and has feedback: it cannot be cancelled" in response.text
    interview.refresh_from_db()
    assert interview.status == "scheduled"


def test_a_time_the_clocks_skip_is_refused(client, org, alice, loop, ada):
    # On 31 March 2030 Berlin's clocks go from 02:00 to 03:00.
    client.force_login(alice)
    data = form(
        loop.guide_version.stages.first(),
        interviewers=[ada.pk],
        date="2030-03-31",
        start="02:30",
        end="03:30",
    )
    response = client.post(f"/o/{org.slug}/loops/{loop.pk}/schedule/", data)
    assert response.status_code == 400
    assert "The clocks change then: 02:30 does not exist." in response.text
    interview = schedule(loop, interviewers=[ada], stage=loop.guide_version.stages.last())
    response = client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(interviewers=[ada.pk], date="2030-03-31", start="01:30", end="02:15"),
    )
    assert response.status_code == 400
    assert "02:15 does not exist" in response.text
    # across the change, an hour by the clock is an hour
    client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(interviewers=[ada.pk], date="2030-03-31", start="01:30", end="03:30"),
    )
    interview.refresh_from_db()
    assert interview.ends_at - interview.starts_at == timedelta(hours=1)


def test_a_search_with_a_nul_character_finds_nothing_wrong(client, org, alice, loop):
    client.force_login(alice)
    for url in (f"/o/{org.slug}/jobs/{loop.job.pk}/", f"/o/{org.slug}/candidates/"):
        assert client.get(url, {"q": "\x00"}).status_code == 200


def test_rejecting_cancels_the_interviews_still_to_come(client, org, alice, loop, ada):
    held = schedule(loop, interviewers=[ada], starts_at=timezone.now() - timedelta(days=1))
    stage = loop.guide_version.stages.last()
    upcoming = schedule(loop, interviewers=[ada], stage=stage)
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/status/",
        {"status": "rejected", "rejection_reason": "Chose another offer"},
        follow=True,
    )
    assert "is now marked rejected; 1 upcoming interview cancelled." in response.text
    held.refresh_from_db()
    upcoming.refresh_from_db()
    assert (held.status, upcoming.status) == ("scheduled", "cancelled")
    client.force_login(ada)
    assert (
        loop.candidate.name
        not in client.get(f"/o/{org.slug}/my-interviews/")
        .text.split('id="upcoming-heading"')[1]
        .split('id="submitted-heading"')[0]
    )


def test_a_cancelled_interview_still_names_who_was_on_it(client, org, alice, loop, ada, grace):
    from candidates import scheduling

    interview = schedule(loop, interviewers=[ada, grace])
    client.force_login(alice)
    client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(interviewers=[ada.pk, member(org, full_name="Linus Torvalds").pk]),
    )
    scheduling.cancel(interview=interview, user=None)
    page = client.get(f"/o/{org.slug}/interviews/{interview.pk}/").text
    assert "Ada Lovelace" in page and "Linus Torvalds" in page
    assert "Grace Hopper" not in page  # taken off before it was cancelled
    assert "Calendar cancellation (.ics)" in page
    client.force_login(grace)
    assert client.get(f"/o/{org.slug}/interviews/{interview.pk}/").status_code == 404


def test_a_time_gone_by_is_confirmed_before_it_is_recorded(client, org, alice, loop, ada):
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    data = form(loop.guide_version.stages.first(), interviewers=[ada.pk], date="2020-03-04")
    response = client.post(url, data)
    assert response.status_code == 200 and "That time has passed." in response.text
    assert not Interview.objects.exists()
    confirm = re.search(r'name="confirm" value="([^"]+)"', response.text)[1]
    assert client.post(url, data | {"confirm": confirm}).status_code == 302
    interview = Interview.objects.get()
    # changing only who interviews in a past interview asks nothing
    response = client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(interviewers=[ada.pk, alice.pk], date="2020-03-04"),
    )
    assert response.status_code == 302


def test_the_schedule_form_of_a_closed_loop_sends_back_to_the_loop(client, org, alice, loop):
    from candidates.models import Loop

    Loop.objects.filter(pk=loop.pk).update(status="hired")
    client.force_login(alice)
    response = client.get(f"/o/{org.slug}/loops/{loop.pk}/schedule/", follow=True)
    assert "This loop is hired: make it active again to schedule or change interviews." in (
        response.text
    )
    assert response.redirect_chain[-1][0] == f"/o/{org.slug}/loops/{loop.pk}/"


def test_a_hiring_manager_is_told_an_interviewer_is_busy_not_with_whom(client, org, loop, ada):
    from tests.factories import make_job

    manager = member(org, Role.HIRING_MANAGER)
    mine = make_loop(org, job=make_job(org, hiring_manager=manager))
    schedule(loop, interviewers=[ada], starts_at=datetime(2030, 3, 4, 10, tzinfo=BERLIN))
    client.force_login(manager)
    response = client.post(
        f"/o/{org.slug}/loops/{mine.pk}/schedule/",
        form(mine.guide_version.stages.first(), interviewers=[ada.pk]),
    )
    assert "Ada Lovelace has another interview," in response.text
    assert "Mon 4 Mar 2030, 10:00–11:00" in response.text
    assert loop.candidate.name not in response.text


def test_a_held_interview_keeps_its_time(client, org, alice, loop, ada):
    interview = schedule(loop, interviewers=[ada], starts_at=timezone.now() - timedelta(hours=3))
    submit(interview.scorecards.get())
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/interviews/{interview.pk}/edit/",
        form(interviewers=[ada.pk], date="2030-01-01", confirm="x"),
    )
    assert response.status_code == 400
    assert "This interview has feedback: it was held, so its time stays." in response.text
    # and so rejecting the loop leaves it as it is
    response = client.post(
        f"/o/{org.slug}/loops/{loop.pk}/status/", {"status": "rejected", "rejection_reason": "No"}
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "scheduled"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_dates_outside_any_hiring_calendar_are_refused(client, org, alice, loop, ada, day):
    client.force_login(alice)
    data = form(loop.guide_version.stages.first(), interviewers=[ada.pk], date=day, end="23:30")
    response = client.post(f"/o/{org.slug}/loops/{loop.pk}/schedule/", data)
    assert response.status_code == 400
    assert "Pick a date between the years 2000 and 2100." in response.text


def test_the_interviews_of_a_closed_loop_stay_as_they_are(client, org, alice, loop, ada, grace):
    from candidates.models import Loop

    interview = schedule(loop, interviewers=[ada], starts_at=timezone.now() - timedelta(days=1))
    Loop.objects.filter(pk=loop.pk).update(status="rejected")
    client.force_login(alice)
    url = f"/o/{org.slug}/interviews/{interview.pk}/edit/"
    assert client.get(url).status_code == 302
    response = client.post(url, form(interviewers=[ada.pk, grace.pk], date="2030-01-01"))
    assert response.status_code == 400
    assert "This loop is rejected: make it active again" in response.text
    assert interview.scorecards.count() == 1


def test_a_candidate_already_in_another_interview_then_is_pointed_out(
    client, org, alice, loop, ada, grace
):
    from tests.factories import make_job

    other_job = make_job(org, title="Data Engineer")
    elsewhere = make_loop(org, job=other_job, candidate=loop.candidate)
    schedule(elsewhere, interviewers=[grace], starts_at=datetime(2030, 3, 4, 10, 30, tzinfo=BERLIN))
    stage = loop.guide_version.stages.first()
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    response = client.post(url, form(stage, interviewers=[ada.pk]))
    assert response.status_code == 200
    warning = visible_text(response)
    assert f"{loop.candidate.name} is already in another interview then:" in warning
    other_stage = elsewhere.guide_version.stages.first().name
    assert f"{other_stage} for Data Engineer, Mon 4 Mar 2030, 10:30–11:30" in warning
    assert "Already busy" not in warning  # Ada and Grace are free
    assert Interview.objects.filter(loop=loop).count() == 0
    confirm = re.search(r'name="confirm" value="([^"]+)"', response.text)[1]
    response = client.post(url, form(stage, interviewers=[ada.pk], confirm=confirm))
    assert response.status_code == 302
    # Back to back is no overlap, and a take-home is done in the candidate's own time.
    take_home = elsewhere.guide_version.stages.get(kind="take_home")
    schedule(
        elsewhere,
        stage=take_home,
        interviewers=[grace],
        starts_at=datetime(2030, 3, 5, 9, tzinfo=BERLIN),
        minutes=3 * 24 * 60,
    )
    later = loop.guide_version.stages.all()[1]
    response = client.post(url, form(later, interviewers=[ada.pk], start="11:30", end="12:30"))
    assert response.status_code == 302
    interview = Interview.objects.get(loop=loop, stage=later)
    edit = f"/o/{org.slug}/interviews/{interview.pk}/edit/"
    response = client.post(edit, form(interviewers=[ada.pk], date="2030-03-06"))
    assert response.status_code == 302


def test_a_hiring_manager_is_told_only_of_the_job_she_runs(client, org, loop, ada):
    from tests.factories import make_job

    manager = member(org, Role.HIRING_MANAGER)
    mine = make_loop(org, job=make_job(org, hiring_manager=manager), candidate=loop.candidate)
    loop.job.title = "Founding Engineer"
    loop.job.save()
    schedule(loop, interviewers=[ada], starts_at=datetime(2030, 3, 4, 10, tzinfo=BERLIN))
    client.force_login(manager)
    response = client.post(
        f"/o/{org.slug}/loops/{mine.pk}/schedule/",
        form(mine.guide_version.stages.first(), interviewers=[ada.pk], start="10:30", end="11:00"),
    )
    text = visible_text(response)
    assert "An interview for another job, Mon 4 Mar 2030, 10:00–11:00" in text
    assert "Founding Engineer" not in text


def test_a_manager_who_joins_a_panel_is_told_the_feedback_she_reads_will_be_hidden(
    client, org, loop, ada
):
    from tests.factories import make_job

    manager = member(org, Role.HIRING_MANAGER, full_name="Harper Manager")
    job = make_job(org, hiring_manager=manager)
    mine = make_loop(org, job=job)
    first = schedule(mine, interviewers=[ada], starts_at=timezone.now() - timedelta(days=1))
    submit(first.scorecards.get())
    client.force_login(manager)
    assert "Solid." in client.get(f"/o/{org.slug}/loops/{mine.pk}/").text
    later = mine.guide_version.stages.all()[1]
    url = f"/o/{org.slug}/loops/{mine.pk}/schedule/"
    response = client.post(url, form(later, interviewers=[manager.pk]))
    assert response.status_code == 200
    text = visible_text(response)
    assert "You are putting yourself on this interview." in text
    assert "The 1 scorecard of others in this loop that you can read now will be hidden" in text
    assert "you run the debrief once it is in" in text
    assert not Interview.objects.filter(loop=mine, stage=later).exists()
    confirm = re.search(r'name="confirm" value="([^"]+)"', response.text)[1]
    response = client.post(url, form(later, interviewers=[manager.pk], confirm=confirm))
    assert response.status_code == 302
    page = client.get(response.url)
    assert "the others' feedback in it is hidden from you until you submit" in (visible_text(page))
    assert "Solid." not in page.text
    # Putting someone else on the panel asks nothing.
    response = client.post(url, form(mine.guide_version.stages.all()[2], interviewers=[ada.pk]))
    assert response.status_code == 302


def test_a_take_home_keeps_no_interviewer_busy(client, org, alice, loop, ada):
    other = make_loop(org, job=loop.job)
    take_home = other.guide_version.stages.get(kind="take_home")
    schedule(
        other,
        stage=take_home,
        interviewers=[ada],
        starts_at=datetime(2030, 3, 3, 9, tzinfo=BERLIN),
        minutes=3 * 24 * 60,
    )
    client.force_login(alice)
    url = f"/o/{org.slug}/loops/{loop.pk}/schedule/"
    response = client.post(url, form(loop.guide_version.stages.first(), interviewers=[ada.pk]))
    assert response.status_code == 302
    schedule(other, interviewers=[ada], starts_at=datetime(2030, 3, 10, 10, tzinfo=BERLIN))
    mine = loop.guide_version.stages.get(kind="take_home")
    data = form(mine, interviewers=[ada.pk], date="2030-03-09", end_date="2030-03-11")
    assert client.post(url, data).status_code == 302
