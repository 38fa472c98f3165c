"""The base task: a task acting for an organization runs in its scope (django-scopes)."""

import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from accounts.access import acting_for
from candidates.models import Job
from config.celery import OrganizationTask, app
from tests.factories import make_job

pytestmark = pytest.mark.django_db


@app.task(base=OrganizationTask)
def count_jobs(*, organization_id: int) -> int:
    return Job.objects.count()


def test_a_task_on_the_base_counts_only_its_organizations_rows(org, other_org):
    make_job(org)
    make_job(other_org)
    make_job(other_org)
    with scope():  # as in a worker: no scope until the task enters one
        with pytest.raises(ScopeError):
            count_jobs.run(organization_id=org.pk)  # the body alone, outside the base
        assert count_jobs.apply(kwargs={"organization_id": org.pk}).get() == 1
        assert count_jobs.apply(kwargs={"organization_id": other_org.pk}).get() == 2


def test_a_task_on_the_base_says_it_needs_the_organization():
    with pytest.raises(TypeError, match="pass organization_id"):
        count_jobs.apply().get()


def test_work_for_each_organization_runs_in_its_own_scope_and_time_zone(org, other_org):
    org.time_zone, other_org.time_zone = "Europe/Paris", "Asia/Tokyo"
    make_job(other_org)
    seen = {}

    def run(organization):
        from django.utils import timezone

        seen[organization.slug] = (Job.objects.count(), timezone.get_current_timezone_name())

    with scope():
        for organization in [org, other_org]:
            with acting_for(organization):
                run(organization)
    assert seen == {"alpha": (0, "Europe/Paris"), "bravo": (1, "Asia/Tokyo")}
