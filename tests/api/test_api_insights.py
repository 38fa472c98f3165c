"""A job's insights through the API: the figures its page shows, by a read key."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role
from tests.factories import make_job, make_loop, member, schedule, submit

YESTERDAY = timezone.now() - timedelta(days=1)


def test_a_key_reads_a_jobs_agreement_and_leniency(api, org):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    for ada_score, grace_score in [(4, 3), (3, 2), (2, 1), (4, 3), (3, 2)]:
        interview = schedule(
            make_loop(org, job=job), interviewers=[ada, grace], starts_at=YESTERDAY
        )
        submit(interview.scorecards.get(interviewer=ada), score=ada_score)
        submit(interview.scorecards.get(interviewer=grace), score=grace_score)
    org.leniency_minimum = 2
    org.save()
    response = api.get(f"/api/v1/jobs/{job.pk}/insights")
    assert response.status_code == 200
    figures = response.json()
    assert figures["loops"] == 5
    assert figures["agreements"] and all(row["loops"] == 5 for row in figures["agreements"])
    lenient = {row["name"]: row["leniency"]["mean"] for row in figures["interviewers"]}
    assert lenient == {"Ada Lovelace": 1.0, "Grace Hopper": -1.0}


def test_a_leniency_below_the_minimum_of_cells_is_not_given(api, org):
    ada = member(org, Role.INTERVIEWER, full_name="Ada Lovelace")
    grace = member(org, Role.INTERVIEWER, full_name="Grace Hopper")
    job = make_job(org)
    interview = schedule(make_loop(org, job=job), interviewers=[ada, grace], starts_at=YESTERDAY)
    submit(interview.scorecards.get(interviewer=ada), score=4)
    submit(interview.scorecards.get(interviewer=grace), score=2)
    figures = api.get(f"/api/v1/jobs/{job.pk}/insights").json()
    assert figures["interviewers"] and all(r["leniency"] is None for r in figures["interviewers"])
