"""What insights may count: only submitted scorecards, of the jobs the member reads insights
of, and never a loop in which the member still owes feedback (rule 2 in aggregates)."""

from django.db.models import Exists, OuterRef, QuerySet

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


def counted_scorecards(request: OrgRequest) -> QuerySet[Scorecard]:
    return counted_for(request.membership)


def _owed(membership: Membership) -> QuerySet[Scorecard]:
    """The member's open drafts: feedback they still owe."""
    return Scorecard.objects.filter(
        interviewer_id=membership.user_id,
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
    )


def owed_loops(membership: Membership) -> QuerySet:
    """The ids of the loops in which the member still owes feedback, in order: those that
    `counted_for` leaves out."""
    return (
        _owed(membership)
        .filter(interview__loop__job__organization=membership.organization_id)
        .values_list("interview__loop_id", flat=True)
        .order_by("interview__loop_id")
        .distinct()
    )


def counted_for(membership: Membership, jobs: QuerySet[Job] | None = None) -> QuerySet[Scorecard]:
    """The submitted scorecards of `jobs` (the member's insight jobs by default) outside every
    loop in which the member still owes feedback."""
    owed = _owed(membership).filter(interview__loop=OuterRef("interview__loop"))
    # A shadow's card is never counted; a shadow who owes feedback still owes it (rule 2).
    return Scorecard.objects.filter(
        interview__loop__job__in=jobs_of(membership) if jobs is None else jobs,
        status=Scorecard.Status.SUBMITTED,
        archived_at__isnull=True,
        seat=Scorecard.Seat.PANEL,
    ).exclude(Exists(owed))
