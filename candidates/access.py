"""Lookups of jobs, candidates, loops and interviews: each starts from the request's
organization, and a hiring manager reaches only the jobs they manage, the loops of those jobs
and the candidates in them (accounts.access: MANAGE_JOBS reaches their own jobs)."""

from datetime import timedelta

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import Action, OrgRequest, Reach, may, reach
from candidates.models import Candidate, Interview, Job, Loop, Packet
from scorecards.models import Scorecard


def _own_jobs_only(request: OrgRequest) -> bool:
    return reach(request.membership, Action.MANAGE_JOBS) == Reach.OWN_JOBS


def jobs_for(request: OrgRequest) -> QuerySet[Job]:
    jobs = Job.objects.filter(organization=request.organization)
    if _own_jobs_only(request):
        jobs = jobs.filter(hiring_manager=request.user)
    return jobs


def open_jobs(request: OrgRequest) -> QuerySet[Job]:
    return jobs_for(request).filter(status=Job.Status.OPEN)


def loops_for(request: OrgRequest) -> QuerySet[Loop]:
    loops = Loop.objects.filter(job__organization=request.organization)
    if _own_jobs_only(request):
        loops = loops.filter(job__hiring_manager=request.user)
    return loops


def manages_loop(request: OrgRequest, loop_id: int) -> bool:
    """Whether the member manages the loop (its job is theirs to run)."""
    return (
        may(request.membership, Action.MANAGE_JOBS)
        and loops_for(request).filter(pk=loop_id).exists()
    )


def candidates_for(request: OrgRequest) -> QuerySet[Candidate]:
    candidates = Candidate.objects.filter(organization=request.organization)
    if _own_jobs_only(request):
        in_my_jobs = loops_for(request).filter(candidate=OuterRef("pk"))
        candidates = candidates.filter(Q(Exists(in_my_jobs)) | Q(created_by=request.user))
    return candidates


def get_job(request: OrgRequest, pk: int) -> Job:
    return get_object_or_404(jobs_for(request).select_related("guide_version"), pk=pk)


def get_candidate(request: OrgRequest, pk: int, *, lock: bool = False) -> Candidate:
    candidates = candidates_for(request)
    return get_object_or_404(candidates.select_for_update() if lock else candidates, pk=pk)


def get_loop(request: OrgRequest, pk: int, *, lock: bool = False) -> Loop:
    loops = loops_for(request).select_related("candidate", "job__organization", "guide_version")
    if lock:
        loops = loops.select_for_update(of=("self",))
    return get_object_or_404(loops, pk=pk)


def _interviews(request: OrgRequest) -> QuerySet[Interview]:
    return Interview.objects.filter(loop__job__organization=request.organization).select_related(
        "stage__version", "loop__candidate", "loop__job__organization"
    )


def get_interview_to_manage(request: OrgRequest, pk: int) -> Interview:
    return get_object_or_404(_interviews(request).filter(loop__in=loops_for(request)), pk=pk)


def get_interview(request: OrgRequest, pk: int) -> Interview:
    """An interview the member manages, or one they are assigned to."""
    # Its interviewers, and those of a cancelled interview, who need its calendar's cancellation.
    mine = Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interview=OuterRef("pk"),
        interviewer=request.user,
    ).filter(Q(archived_at__isnull=True) | Q(archived_at=F("interview__cancelled_at")))
    visible = Q(Exists(mine))
    if may(request.membership, Action.MANAGE_JOBS):
        visible |= Q(loop__in=loops_for(request))
    return get_object_or_404(_interviews(request).filter(visible), pk=pk)


def interviewers_scorecards(interview: Interview) -> list[Scorecard]:
    """Its interviewers' scorecards, the archived ones of a cancelled interview included."""
    prefetch_related_objects(
        [interview],
        Prefetch("scorecards", queryset=Scorecard.objects.select_related("interviewer")),
    )
    return interview.interviewers_scorecards()


def may_read_resume(request: OrgRequest, candidate_pk: int) -> bool:
    """Those who manage the candidate, and the interviewers of their interviews (the kit)."""
    if (
        may(request.membership, Action.MANAGE_JOBS)
        and candidates_for(request).filter(pk=candidate_pk).exists()
    ):
        return True
    return Scorecard.objects.filter(
        interviewer=request.user,
        archived_at__isnull=True,
        interview__loop__candidate_id=candidate_pk,
        interview__loop__job__organization=request.organization,
    ).exists()


def loops_to_schedule(request: OrgRequest) -> QuerySet[Loop]:
    """The member's active loops with a stage of their guide that has no interview yet, the
    oldest first."""
    from candidates.services import with_progress

    if not may(request.membership, Action.MANAGE_JOBS):
        return Loop.objects.none()
    loops = with_progress(loops_for(request).filter(status=Loop.Status.ACTIVE))
    # The candidates are read for the rows shown: joined, they led PostgreSQL (which cannot
    # guess how many loops the progress keeps) to scan every candidate once per loop.
    return (
        loops.filter(progress=Loop.Progress.NEW)
        .select_related("job")
        .prefetch_related("candidate")
        .order_by("created_at", "pk")
    )


def loops_stuck(request: OrgRequest) -> QuerySet[Loop]:
    """Loops to schedule where nothing was scheduled for the organization's `stuck_after_days`."""
    if not may(request.membership, Action.RUN_DEBRIEF):
        return Loop.objects.none()
    cutoff = timezone.now() - timedelta(days=request.organization.stuck_after_days)
    recent = Interview.objects.filter(loop=OuterRef("pk"), created_at__gt=cutoff)
    return loops_to_schedule(request).filter(created_at__lte=cutoff).exclude(Exists(recent))


def members_in_training(request: OrgRequest) -> list:
    """For admins: members with the interviewer role not yet qualified for any stage of the
    open jobs (candidates.training), each with the shadow seats they have done."""
    from candidates import training

    if not may(request.membership, Action.MANAGE_ORGANIZATION):
        return []
    return training.untrained(request.organization)


def packets_ready(request: OrgRequest) -> QuerySet[Packet]:
    """The packets the member asked for that are ready to download, the newest first."""
    if not may(request.membership, Action.EXPORT_PACKETS):
        return Packet.objects.none()
    return (
        Packet.objects.filter(
            loop__job__organization=request.organization,
            requested_by=request.user,
            status=Packet.Status.READY,
            loop__candidate__erased_at__isnull=True,
        )
        .select_related("loop__candidate", "loop__job")
        .order_by("-finished_at", "-pk")
    )


def _my_scorecards(request: OrgRequest) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interviewer=request.user,
        archived_at__isnull=True,
    )


def jobs_to_open(request: OrgRequest) -> QuerySet[Job]:
    """The jobs whose page the member may open: none unless they manage jobs."""
    if not may(request.membership, Action.MANAGE_JOBS):
        return Job.objects.none()
    return jobs_for(request)


def candidates_to_open(request: OrgRequest) -> QuerySet[Candidate]:
    """The candidates the member manages, and those of their own interviews, whose data has
    not been erased. `managed`: whether their page is the member's to open; `my_interview`:
    the member's latest interview with them, whose kit the others open."""
    mine = _my_scorecards(request).filter(interview__loop__candidate=OuterRef("pk"))
    visible = Q(Exists(mine))
    managed = Value(False)
    if may(request.membership, Action.MANAGE_JOBS):
        managed = Q(pk__in=candidates_for(request).values("pk"))
        visible |= managed
    latest = mine.order_by("-interview__starts_at", "-pk").values("interview_id")[:1]
    return (
        Candidate.objects.filter(organization=request.organization, erased_at__isnull=True)
        .filter(visible)
        .annotate(managed=managed, my_interview=Subquery(latest))
    )


def loops_to_open(request: OrgRequest) -> QuerySet[Loop]:
    """The loops the member manages, and those they interview in (whose debrief they take
    part in), of candidates whose data has not been erased. `managed` as above."""
    mine = _my_scorecards(request).filter(interview__loop=OuterRef("pk"))
    visible = Q(Exists(mine))
    managed = Value(False)
    if may(request.membership, Action.MANAGE_JOBS):
        managed = Q(pk__in=loops_for(request).values("pk"))
        visible |= managed
    return (
        Loop.objects.filter(job__organization=request.organization)
        .filter(candidate__erased_at__isnull=True)
        .filter(visible)
        .annotate(managed=managed)
        .select_related("candidate", "job")
    )
