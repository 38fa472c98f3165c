"""A recruiter opens a job, adds a candidate, schedules their stages; an interviewer finds
them on "My interviews", opens the kit and takes the calendar file."""

import os
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from candidates.models import Interview, Loop
from tests.factories import PASSWORD, OrganizationFactory, make_guide, member

pytestmark = pytest.mark.django_db(transaction=True)

ORG_ZONE = "Europe/Berlin"
BROWSER_ZONE = "America/New_York"
SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-shots"))


def panel(page):
    """The schedule form's panel interviewers (the shadows' boxes carry the same names)."""
    return page.get_by_role("group", name="Interviewers")


@pytest.fixture
def browser_context_args(browser_context_args):
    """A laptop-sized window in a time zone other than the organization's."""
    return {
        **browser_context_args,
        "timezone_id": BROWSER_ZONE,
        "locale": "en-US",
        "viewport": {"width": 1366, "height": 850},
    }


@pytest.fixture
def acme(transactional_db):
    org = OrganizationFactory(
        name="Acme", slug="acme", company_name="Acme Corporation", time_zone=ORG_ZONE
    )
    member(org, Role.RECRUITER, email="rita@acme.test", full_name="Rita Recruiter")
    member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    member(org, Role.INTERVIEWER, email="grace@acme.test", full_name="Grace Hopper")
    member(org, Role.INTERVIEWER, email="linus@acme.test", full_name="Linus Torvalds")
    make_guide(org, publish=True, title="Data Engineer guide")
    return org


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def interview_day() -> date:
    """A weekday a week or more ahead."""
    day = date.today() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def browser_clock(day: date, at: time) -> str:
    """What a New York browser shows for `at` o'clock in Berlin, as rubric.js writes it."""
    moment = datetime.combine(day, at, tzinfo=ZoneInfo(ORG_ZONE)).astimezone(ZoneInfo(BROWSER_ZONE))
    return f"{moment:%H:%M}"


def your_time(day: date) -> re.Pattern:
    """The viewer's own time that rubric.js adds beside a 10:00–11:00 interview in Berlin."""
    start, end = browser_clock(day, time(10, 0)), browser_clock(day, time(11, 0))
    return re.compile(rf"{start}\s*–\s*{end} your time")


def nav(page, name):
    return page.get_by_role("navigation", name="Organization").get_by_role("link", name=name)


def fill_slot(page, day: date, start: str, end: str):
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start", exact=True).fill(start)
    page.get_by_label("End", exact=True).fill(end)


def test_a_recruiter_schedules_a_loop_and_an_interviewer_opens_the_kit(
    page, browser, browser_context_args, live_server, log_in, acme
):
    day = interview_day()

    # The recruiter opens a job running the published guide.
    log_in(page, "rita@acme.test", PASSWORD)
    nav(page, "Jobs").click()
    expect(page.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()
    shot(page, "01-job-list-empty")
    page.get_by_role("link", name="New job").click()
    page.get_by_label("Title").fill("Data Engineer")
    page.get_by_label("Department").fill("Platform")
    page.get_by_label("Location").fill("Berlin")
    page.get_by_label("Guide", exact=True).select_option(label="Data Engineer guide (v1)")
    shot(page, "02-job-form")
    page.get_by_role("button", name="Create the job").click()
    expect(page.get_by_text("“Data Engineer” is open.")).to_be_visible()
    shot(page, "03-job-pipeline-empty")

    # She adds a candidate from the job's page, which puts them in the job.
    page.get_by_role("link", name="Add candidate").click()
    expect(page.get_by_label("Add to job")).to_have_value(str(acme.jobs.get().pk))
    page.get_by_label("Name").fill("Marie Curie")
    page.get_by_label("E-mail").fill("Marie@Example.test")
    page.get_by_label("Source").fill("Referral")
    # A résumé over 10 MB is let go before it is sent; a real one is kept.
    page.wait_for_load_state()
    resume = page.get_by_label("Résumé")
    big = {
        "name": "cv.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF-" + b"0" * (11 * 1024 * 1024),
    }
    resume.set_input_files(big)
    expect(page.get_by_role("alert")).to_contain_text("“cv.pdf” is 11.0 MB; a résumé can be at")
    expect(resume).to_have_value("")
    expect(page.get_by_label("Name")).to_have_value("Marie Curie")
    pdf = {"name": "Marie CV.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    resume.set_input_files(pdf)
    expect(page.get_by_role("alert")).to_have_count(0)
    shot(page, "04-candidate-form")
    page.get_by_role("button", name="Add candidate").click()

    # She lands on the loop, with every stage of the guide to schedule.
    expect(page.get_by_text("Marie Curie is in “Data Engineer”: schedule a stage.")).to_be_visible()
    loop = Loop.objects.get(candidate__email="marie@example.test")
    assert page.url.endswith(f"/o/acme/loops/{loop.pk}/")
    assert loop.candidate.resume_name == "Marie CV.pdf"
    stages = list(loop.guide_version.stages.order_by("position"))
    assert [s.name for s in stages] == ["Stage 1", "Stage 2", "Take-home"]
    expect(page.locator(".stage-card")).to_have_count(3)
    shot(page, "05-loop-empty")

    # Stage 1, with two interviewers.
    page.locator(f"#stage-{stages[0].pk}").get_by_role("link", name="Schedule").click()
    expect(page.get_by_label("Stage")).to_have_value(str(stages[0].pk))
    fill_slot(page, day, "10:00", "11:00")
    # The recruiter in New York sees when that is for her as she types.
    preview = page.locator(".local-preview")
    expect(preview).to_contain_text("In your time (America/New_York):")
    expect(preview).to_contain_text(re.compile(your_time(day).pattern.replace(" your time", "")))
    page.get_by_label("Location").fill("Room Curie")
    panel(page).get_by_label("Ada Lovelace").check()
    panel(page).get_by_label("Grace Hopper").check()
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("Stage 1 is scheduled.")).to_be_visible()

    # Stage 2: an end before its start is refused next to the field, keeping what was typed.
    page.locator(f"#stage-{stages[1].pk}").get_by_role("link", name="Schedule").click()
    fill_slot(page, day, "10:30", "09:30")
    page.get_by_label("Location").fill("Room Noether")
    page.get_by_label("Video link").fill("https://meet.example.test/abc")
    panel(page).get_by_label("Ada Lovelace").check()
    panel(page).get_by_label("Linus Torvalds").check()
    page.get_by_role("button", name="Schedule", exact=True).click()
    end_error = page.get_by_text("The interview must end after it starts.")
    expect(end_error).to_be_visible()
    # The message sits in the End field's group, before the box.
    end_input = page.get_by_label("End", exact=True)
    expect(page.locator("div", has=end_input).last.locator(".errorlist")).to_have_text(
        "The interview must end after it starts."
    )
    expect(end_input).to_have_value("09:30")
    expect(page.get_by_label("Start", exact=True)).to_have_value("10:30")
    expect(page.get_by_label("Date", exact=True)).to_have_value(day.isoformat())
    expect(page.get_by_label("Location")).to_have_value("Room Noether")
    expect(page.get_by_label("Video link")).to_have_value("https://meet.example.test/abc")
    expect(panel(page).get_by_label("Ada Lovelace")).to_be_checked()
    expect(panel(page).get_by_label("Linus Torvalds")).to_be_checked()
    expect(panel(page).get_by_label("Grace Hopper")).not_to_be_checked()
    shot(page, "06-schedule-form-error")

    # Fixed, it overlaps Ada's Stage 1: she is said to be busy, and it can go ahead anyway.
    end_input.fill("11:30")
    page.get_by_role("button", name="Schedule", exact=True).click()
    conflicts = page.locator("#conflicts")
    expect(conflicts).to_contain_text("Already busy at that time")
    expect(conflicts).to_contain_text("Ada Lovelace has Stage 1 with Marie Curie")
    expect(conflicts).not_to_contain_text("Linus")
    assert Interview.objects.filter(loop=loop).count() == 1
    shot(page, "07-schedule-form-conflict")
    page.get_by_role("button", name="Schedule anyway").click()
    expect(page.get_by_text("Stage 2 is scheduled.")).to_be_visible()
    assert list(
        Interview.objects.filter(loop=loop)
        .order_by("starts_at")
        .values_list("stage__name", flat=True)
    ) == ["Stage 1", "Stage 2"]

    # The loop shows both, in Berlin time with the viewer's New York time beside it.
    page.wait_for_load_state()
    first = page.locator(f"#stage-{stages[0].pk}")
    expect(first.locator("time")).to_have_text(f"{day:%a} {day.day} {day:%b %Y}, 10:00–11:00")
    expect(first.locator(".local-time")).to_contain_text(your_time(day))
    expect(first).to_contain_text("Ada Lovelace")
    expect(first).to_contain_text("Grace Hopper")
    second = page.locator(f"#stage-{stages[1].pk}")
    expect(second).to_contain_text("Linus Torvalds")
    expect(page.locator(f"#stage-{stages[2].pk}")).to_contain_text("Not scheduled")
    shot(page, "08-loop-scheduled")

    # The .ics link downloads the calendar file.
    with page.expect_download() as download_info:
        first.get_by_role("link", name=".ics").click()
    download = download_info.value
    stage_1 = Interview.objects.get(loop=loop, stage=stages[0])
    assert download.suggested_filename == f"interview-{stage_1.pk}.ics"
    ics = Path(download.path()).read_text()
    assert "BEGIN:VCALENDAR" in ics
    assert "SUMMARY:Stage 1: Marie Curie (Data Engineer)" in ics

    # The candidate's page and the job's pipeline tell the same story.
    page.get_by_role("link", name="Marie Curie", exact=True).click()
    expect(page.get_by_role("heading", name="Marie Curie")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Stage 2 scheduled for")
    expect(page.locator(".timeline .local-time").first).to_contain_text("your time")
    shot(page, "09-candidate-page")
    nav(page, "Jobs").click()
    expect(page.locator("tr", has_text="Data Engineer")).to_contain_text("1 active")
    shot(page, "10-job-list")
    page.get_by_role("link", name="Data Engineer", exact=True).click()
    expect(page.get_by_role("heading", name="Data Engineer")).to_be_visible()
    row = page.locator(f"#loop-{loop.pk}")
    expect(row.get_by_text("Scheduled", exact=True)).to_be_visible()
    expect(row.locator(".stage-scheduled")).to_have_count(2)
    expect(row.locator(".stage-unscheduled")).to_have_count(1)
    page.wait_for_load_state()
    expect(row.locator(".local-time").first).to_contain_text("your time")
    shot(page, "11-job-pipeline")

    # An interviewer, in her own browser, finds both interviews and their kits.
    ada_context = browser.new_context(**browser_context_args)
    try:
        ada = ada_context.new_page()
        log_in(ada, "ada@acme.test", PASSWORD)
        nav(ada, "My interviews").click()
        expect(ada.get_by_role("heading", name="My interviews")).to_be_visible()
        upcoming = ada.locator("section", has=ada.get_by_role("heading", name="Upcoming"))
        expect(upcoming.locator("tbody tr")).to_have_count(2)
        expect(upcoming.locator("tbody tr").first).to_contain_text("Stage 1")
        expect(upcoming.locator("tbody tr").nth(1)).to_contain_text("Stage 2")
        expect(upcoming).to_contain_text("Marie Curie")
        expect(upcoming.get_by_role("link", name="Open the kit")).to_have_count(2)
        ada.wait_for_load_state()
        expect(upcoming.locator(".local-time").first).to_contain_text(your_time(day))
        shot(ada, "12-my-interviews")

        with ada.expect_download() as download_info:
            upcoming.locator("tbody tr").nth(1).get_by_role("link", name=".ics").click()
        assert "SUMMARY:Stage 2: Marie Curie" in Path(download_info.value.path()).read_text()

        upcoming.get_by_role("link", name="Open the kit").first.click()
        expect(ada.get_by_role("heading", name="Stage 1 with Marie Curie")).to_be_visible()
        expect(ada.get_by_role("heading", name="Directions for you")).to_be_visible()
        expect(ada.get_by_text("Stage 1 question 1: tell me about")).to_be_visible()
        expect(ada.get_by_text("Interviewers: Ada Lovelace, Grace Hopper")).to_be_visible()
        expect(ada.locator(".local-time").first).to_contain_text("your time")
        shot(ada, "13-interview-kit")
        with ada.expect_download() as download_info:
            ada.get_by_role("link", name="Add to calendar (.ics)").click()
        assert download_info.value.suggested_filename == f"interview-{stage_1.pk}.ics"
    finally:
        ada_context.close()
