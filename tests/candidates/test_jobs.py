"""Jobs: who may open and run them, the pinned guide version, and the pipeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from candidates.models import Job, Loop
from guides import versions
from tests.factories import make_guide, make_job, make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(org):
    return member(org, Role.RECRUITER, email="rita@alpha.test", full_name="Rita Recruiter")


@pytest.fixture
def manager(org):
    return member(org, Role.HIRING_MANAGER, email="hank@alpha.test", full_name="Hank Manager")


def test_a_recruiter_opens_a_job_running_a_published_guide(client, org, recruiter):
    version = make_guide(org, publish=True, title="Data Engineer")
    client.force_login(recruiter)
    response = client.post(
        f"/o/{org.slug}/jobs/new/",
        {
            "title": "Data Engineer",
            "department": "Data",
            "guide_version": version.pk,
            "status": "open",
        },
    )
    job = Job.objects.get(organization=org)
    assert response.url == f"/o/{org.slug}/jobs/{job.pk}/"
    assert job.guide_version == version
    page = client.get(response.url)
    assert "Data Engineer v1" in page.text
    assert "No candidates in this job yet" in page.text


def test_a_draft_or_foreign_guide_cannot_be_chosen(client, org, other_org, recruiter):
    draft = make_guide(org)
    foreign = make_guide(other_org, publish=True)
    client.force_login(recruiter)
    for version in (draft, foreign):
        response = client.post(
            f"/o/{org.slug}/jobs/new/",
            {"title": "X", "guide_version": version.pk, "status": "open"},
        )
        assert response.status_code == 400
        assert "Choose a published guide of this organization." in response.text
        assert 'value="X"' in response.text  # what was typed stays
    assert not Job.objects.exists()


def test_an_interviewer_may_not_see_jobs(client, org, bob):
    job = make_job(org)
    client.force_login(bob)
    assert client.get(f"/o/{org.slug}/jobs/").status_code == 403
    assert client.get(f"/o/{org.slug}/jobs/{job.pk}/").status_code == 403


def test_a_hiring_manager_runs_only_their_own_jobs(client, org, manager):
    mine = make_job(org, title="Mine", hiring_manager=manager)
    other = make_job(org, title="Someone else's")
    client.force_login(manager)
    listing = client.get(f"/o/{org.slug}/jobs/")
    assert "Mine" in listing.text and "Someone else" not in listing.text
    assert client.get(f"/o/{org.slug}/jobs/{mine.pk}/").status_code == 200
    assert client.get(f"/o/{org.slug}/jobs/{other.pk}/").status_code == 404
    # and cannot hand a new job to another hiring manager
    colleague = member(org, Role.HIRING_MANAGER)
    response = client.post(
        f"/o/{org.slug}/jobs/new/",
        {
            "title": "Sneaky",
            "guide_version": mine.guide_version.pk,
            "status": "open",
            "hiring_manager": colleague.pk,
        },
    )
    assert response.status_code == 400
    assert not Job.objects.filter(title="Sneaky").exists()


def test_publishing_a_new_version_changes_no_job(org):
    job = make_job(org)
    draft = versions.start_draft(guide=job.guide_version.guide, user=None)
    versions.publish(version=draft, user=None)
    job.refresh_from_db()
    assert job.guide_version.number == 1


def test_moving_a_job_moves_only_the_loops_not_yet_started(client, org, alice, bob):
    job = make_job(org)
    started = make_loop(org, job=job)
    schedule(started, interviewers=[bob])
    waiting = make_loop(org, job=job)
    newer = versions.publish(
        version=versions.start_draft(guide=job.guide_version.guide, user=None), user=None
    )
    client.force_login(alice)
    response = client.post(
        f"/o/{org.slug}/jobs/{job.pk}/edit/",
        {"title": job.title, "guide_version": newer.pk, "status": "open"},
        follow=True,
    )
    assert (
        "1 loop without interviews moved with it; 1 started loop keeps the guide it started on."
        in response.text
    )
    started.refresh_from_db()
    waiting.refresh_from_db()
    assert waiting.guide_version == newer
    assert started.guide_version.number == 1
    page = client.get(f"/o/{org.slug}/loops/{started.pk}/")
    assert "this loop keeps the guide it started on" in page.text


def test_the_pipeline_shows_each_loops_progress_and_filters_by_it(client, org, alice, bob):
    job = make_job(org)
    new = make_loop(org, job=job)
    upcoming = make_loop(org, job=job)
    schedule(upcoming, interviewers=[bob])
    owed = make_loop(org, job=job)
    schedule(owed, interviewers=[bob], starts_at=timezone.now() - timedelta(days=2))
    done = make_loop(org, job=job)
    for days, stage in enumerate(job.guide_version.stages.all(), start=3):
        past = timezone.now() - timedelta(days=days)
        submit(schedule(done, interviewers=[bob], stage=stage, starts_at=past).scorecards.get())
    one_stage_in = make_loop(org, job=job)
    interview = schedule(
        one_stage_in, interviewers=[bob], starts_at=timezone.now() - timedelta(days=3)
    )
    submit(interview.scorecards.get())
    decided = make_loop(org, job=job)
    Loop.objects.filter(pk=decided.pk).update(status="hired")
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/jobs/{job.pk}/").text
    for loop, label in [
        (new, "To schedule"),
        (one_stage_in, "To schedule"),
        (upcoming, "Scheduled"),
        (owed, "Awaiting feedback"),
        (done, "All feedback in"),
        (decided, "Decided"),
    ]:
        row = page.split(f'id="loop-{loop.pk}"')[1].split("</tr>")[0]
        assert label in row, label
    filtered = client.get(f"/o/{org.slug}/jobs/{job.pk}/", {"progress": "awaiting"}).text
    assert f'id="loop-{owed.pk}"' in filtered
    assert f'id="loop-{new.pk}"' not in filtered
    assert "0 of 1 in" in filtered
    by_name = client.get(f"/o/{org.slug}/jobs/{job.pk}/", {"q": done.candidate.name}).text
    assert by_name.count('id="loop-') == 1
    # htmx swaps only the results
    partial = client.get(
        f"/o/{org.slug}/jobs/{job.pk}/", {"status": "hired"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.text and f'id="loop-{decided.pk}"' in partial.text


def test_a_long_pipeline_shows_fifty_loops_a_page_and_pages_through_the_rest(client, org, alice):
    from candidates.models import Candidate

    job = make_job(org)
    people = Candidate.objects.bulk_create(
        Candidate(organization=org, name=f"Person {n:03}", email=f"p{n}@example.test")
        for n in range(120)
    )
    Loop.objects.bulk_create(
        Loop(candidate=person, job=job, guide_version=job.guide_version) for person in people
    )
    Loop.objects.filter(candidate=people[-1]).update(status="hired")
    client.force_login(alice)
    url = f"/o/{org.slug}/jobs/{job.pk}/"
    first = client.get(url).text
    assert first.count('id="loop-') == 50 and "Person 000" in first and "Person 050" not in first
    assert "Page 1 of 3 · 120 candidates" in first
    last = client.get(url, {"page": "3"}).text
    assert last.count('id="loop-') == 20 and "Person 119" in last
    # The filters and the pager go together; a page beyond the last shows the last.
    to_schedule = client.get(url, {"progress": "new", "page": "2"}).text
    assert "Page 2 of 3 · 119 candidates" in to_schedule
    assert "progress=new&amp;status=&amp;page=3" in to_schedule
    hired = client.get(url, {"status": "hired", "page": "9"}).text
    assert hired.count('id="loop-') == 1 and "Page " not in hired
    assert client.get(url, {"page": "x"}).status_code == 200


def test_a_guide_that_a_job_runs_cannot_be_deleted(client, org, alice):
    job = make_job(org, title="Platform Engineer")
    client.force_login(alice)
    url = f"/o/{org.slug}/guides/{job.guide_version.guide_id}/delete/"
    assert "Platform Engineer" in client.get(url).text
    response = client.post(url)
    assert response.status_code == 409
    assert "cannot be deleted" in response.text
    job.refresh_from_db()


def test_a_hiring_manager_learns_how_many_other_jobs_run_a_guide_not_which(client, org, manager):
    job = make_job(org, title="Secret Job")
    client.force_login(manager)
    page = client.get(f"/o/{org.slug}/guides/{job.guide_version.guide_id}/delete/").text
    assert "1 other job runs it" in page and "Secret Job" not in page


def test_the_pipeline_marks_a_stage_whose_feedback_is_overdue_in_words(
    client, org, alice, bob, recruiter
):
    from tests.html import visible_text

    org.feedback_due_hours = 24
    org.save()
    job = make_job(org)
    late = make_loop(org, job=job)
    held = timezone.now() - timedelta(days=2)
    interview = schedule(late, interviewers=[bob, recruiter], starts_at=held)
    submit(interview.scorecards.get(interviewer=recruiter))
    on_time = make_loop(org, job=job)
    schedule(on_time, interviewers=[bob], starts_at=timezone.now() - timedelta(hours=3))
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/jobs/{job.pk}/")

    def row(loop):
        return page.text.split(f'id="loop-{loop.pk}"')[1].split("</tr>")[0]

    assert "stage-overdue" in row(late)
    assert "Stage 1 1 of 2 in, 1 overdue" in visible_text(page)
    assert "overdue" not in row(on_time) and "0 of 1 in" in row(on_time)
