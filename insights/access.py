"""What insights may count: only submitted scorecards, of the jobs the member reads insights
of, and never a loop in which the member still owes feedback (rule 2 in aggregates)."""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.access import Action, OrgRequest, Reach, reach
from candidates.models import Job
from scorecards.models import Scorecard


def insight_jobs(request: OrgRequest) -> QuerySet[Job]:
    jobs = Job.objects.filter(organization=request.organization)
    if reach(request.membership, Action.READ_INSIGHTS) == Reach.OWN_JOBS:
        jobs = jobs.filter(hiring_manager=request.user)
    return jobs


def counted_scorecards(request: OrgRequest) -> QuerySet[Scorecard]:
    owed = Scorecard.objects.filter(
        interview__loop=OuterRef("interview__loop"),
        interviewer_id=request.user.pk,
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
    )
    # A shadow's card is never counted; a shadow who owes feedback still owes it (rule 2).
    return Scorecard.objects.filter(
        interview__loop__job__in=insight_jobs(request),
        status=Scorecard.Status.SUBMITTED,
        archived_at__isnull=True,
        seat=Scorecard.Seat.PANEL,
    ).exclude(Exists(owed))
