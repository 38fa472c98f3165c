"""Workflows of candidates, loops and jobs that span models: each records itself on the
candidate's timeline."""

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from candidates import scheduling
from candidates.models import Activity, Candidate, Interview, Job, Loop
from guides.models import GuideVersion, Stage
from scorecards.models import Scorecard


class AlreadyInJob(Exception):
    def __init__(self, loop: Loop):
        super().__init__("This candidate is already in this job.")
        self.loop = loop


def start_loop(*, candidate: Candidate, job: Job, user: User | None) -> Loop:
    """Put the candidate in the job; the loop runs the job's guide version of today."""
    if candidate.organization_id != job.organization_id:
        raise ValueError("The candidate and the job belong to different organizations.")
    try:
        with transaction.atomic():
            loop = Loop.objects.create(
                candidate=candidate, job=job, guide_version=job.guide_version, created_by=user
            )
    except IntegrityError:
        raise AlreadyInJob(Loop.objects.get(candidate=candidate, job=job)) from None
    Activity.record(candidate, f"Added to {job.title}", actor=user, loop=loop)
    return loop


@transaction.atomic
def set_loop_status(*, loop: Loop, status: str, reason: str, user: User | None) -> int:
    """Set the loop's status. A rejected or withdrawn candidate has no interview to come:
    those are cancelled. Returns how many were."""
    loop.status = status
    loop.rejection_reason = reason if status == Loop.Status.REJECTED else ""
    loop.save(update_fields=["status", "rejection_reason", "updated_at"])
    Activity.record(
        loop.candidate,
        f"{loop.job.title}: marked {loop.get_status_display().lower()}",
        actor=user,
        loop=loop,
    )
    if status not in (Loop.Status.REJECTED, Loop.Status.WITHDRAWN):
        return 0
    upcoming = (
        loop.interviews.filter(status=Interview.Status.SCHEDULED, starts_at__gt=timezone.now())
        .exclude(scorecards__status=Scorecard.Status.SUBMITTED)
        .select_related("stage")
    )
    for interview in upcoming:
        scheduling.cancel(interview=interview, user=user)
    return len(upcoming)


@transaction.atomic
def move_job(*, job: Job, version: GuideVersion, user: User | None) -> int:
    """Move the job to another published version; loops not yet started follow it.

    Returns how many loops moved."""
    if version.status != GuideVersion.Status.PUBLISHED or (
        version.guide.organization_id != job.organization_id
    ):
        raise ValueError("A job runs a published guide of its own organization.")
    job.guide_version = version
    job.save(update_fields=["guide_version"])
    # Locked, so that none is scheduled (and so started) while it moves.
    list(job.loops.select_for_update())
    waiting = job.loops.filter(~Exists(Interview.objects.filter(loop=OuterRef("pk"))))
    moved = list(waiting.select_related("candidate"))
    waiting.update(guide_version=version)
    for loop in moved:
        Activity.record(
            loop.candidate, f"{job.title}: now runs guide v{version.number}", actor=user, loop=loop
        )
    return len(moved)


def with_progress(loops: QuerySet[Loop]) -> QuerySet[Loop]:
    """Annotate each loop's `progress` (a Loop.Progress value), in the database so that it
    can be filtered on."""
    now = timezone.now()
    active = Scorecard.objects.filter(
        interview__loop=OuterRef("pk"),
        interview__status=Interview.Status.SCHEDULED,
        archived_at__isnull=True,
    )
    # A stage of the loop's guide with no interview (held or to come) in the loop.
    unscheduled = Stage.objects.filter(version=OuterRef("guide_version")).filter(
        ~Exists(
            Interview.objects.filter(
                loop=OuterRef(OuterRef("pk")),
                stage=OuterRef("pk"),
                status=Interview.Status.SCHEDULED,
            )
        )
    )
    return loops.annotate(
        progress=Case(
            When(~Q(status=Loop.Status.ACTIVE), then=Value(Loop.Progress.DECIDED)),
            When(
                Exists(active.filter(status=Scorecard.Status.DRAFT, interview__ends_at__lte=now)),
                then=Value(Loop.Progress.AWAITING_FEEDBACK),
            ),
            When(
                Exists(
                    Interview.objects.filter(
                        loop=OuterRef("pk"),
                        status=Interview.Status.SCHEDULED,
                        ends_at__gt=now,
                    )
                ),
                then=Value(Loop.Progress.SCHEDULED),
            ),
            When(Exists(unscheduled), then=Value(Loop.Progress.NEW)),
            default=Value(Loop.Progress.FEEDBACK_IN),
        )
    )
