"""What insights may count: only submitted scorecards, of the jobs the member reads insights
of, and never a loop in which the member still owes feedback (rule 2 in aggregates)."""

from django.db.models import QuerySet

from accounts.access import Action, OrgRequest, Reach, may, reach
from accounts.models import Membership
from candidates.models import Job
from scorecards.models import Scorecard


def insight_jobs(request: OrgRequest) -> QuerySet[Job]:
    return jobs_of(request.membership)


def jobs_of(membership: Membership) -> QuerySet[Job]:
    """The jobs whose insights the member reads: none without the right."""
    jobs = Job.objects.filter(organization=membership.organization_id)
    if not may(membership, Action.READ_INSIGHTS):
        return jobs.none()
    if reach(membership, Action.READ_INSIGHTS) == Reach.OWN_JOBS:
        jobs = jobs.filter(hiring_manager=membership.user_id)
    return jobs


def owed_loops(membership: Membership, jobs: QuerySet[Job] | list[Job]) -> list[int]:
    """The loops of `jobs` in which the member still owes feedback (an open draft, a shadow's
    too), in order."""
    return sorted(
        set(
            Scorecard.objects.filter(
                interview__loop__job__in=jobs,
                interviewer_id=membership.user_id,
                status=Scorecard.Status.DRAFT,
                archived_at__isnull=True,
            ).values_list("interview__loop_id", flat=True)
        )
    )


def counted_for(
    membership: Membership,
    jobs: QuerySet[Job] | list[Job] | None = None,
    owed: list[int] | None = None,
) -> QuerySet[Scorecard]:
    """The submitted scorecards of `jobs` (the member's insight jobs by default) outside every
    loop in which the member still owes feedback (`owed`, owed_loops' when not given)."""
    jobs = jobs_of(membership) if jobs is None else jobs
    owed = owed_loops(membership, jobs) if owed is None else owed
    # A shadow's card is never counted.
    return Scorecard.objects.filter(
        interview__loop__job__in=jobs,
        status=Scorecard.Status.SUBMITTED,
        archived_at__isnull=True,
        seat=Scorecard.Seat.PANEL,
    ).exclude(interview__loop__in=owed)
