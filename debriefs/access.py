"""The member's seat at a loop's debrief: the loop (for those who manage it or interview in
it, else 404), its debrief, what they may read of its feedback, and whether they facilitate."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from accounts.access import Action, OrgRequest, Reach, may, reach
from candidates.access import loops_for
from candidates.models import Job, Loop
from debriefs.models import Debrief
from scorecards.models import Scorecard
from scorecards.visibility import LoopFeedback, loop_feedback


@dataclass
class Seat:
    """The member's place at a loop's debrief."""

    loop: Loop
    debrief: Debrief  # unsaved while the loop has none
    feedback: LoopFeedback
    facilitates: bool  # an admin, or the job's hiring manager
    interviews: bool  # has a scorecard in the loop

    @property
    def owes_feedback(self) -> bool:
        """Sees nothing of the others' until their own feedback is in (rule 2)."""
        return self.feedback.mine_open

    @property
    def takes_part(self) -> bool:
        """Writes notes: the facilitator and the loop's interviewers, their feedback in."""
        return (self.facilitates or self.interviews) and not self.owes_feedback

    @property
    def may_write(self) -> bool:
        return self.takes_part and not self.debrief.is_decided


def get_seat(request: OrgRequest, pk: int, *, lock: bool = False) -> Seat:
    """The loop of the debrief, for those who manage it or interview in it; 404 for others.

    `lock`: the debrief row, created if the loop has none, is locked for a change."""
    mine = Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interview__loop=OuterRef("pk"),
        interviewer=request.user,
        archived_at__isnull=True,
    )
    visible = Q(Exists(mine))
    if may(request.membership, Action.MANAGE_JOBS):
        visible |= Q(pk__in=loops_for(request).values("pk"))
    loops = (
        Loop.objects.filter(job__organization=request.organization)
        .filter(visible)
        .annotate(interviews_in_it=Exists(mine))
        .select_related("candidate", "job__organization", "guide_version")
    )
    loop = get_object_or_404(loops, pk=pk)
    if lock:
        debrief, _ = Debrief.objects.select_for_update().get_or_create(loop=loop)
    else:
        debrief = Debrief.objects.filter(loop=loop).select_related("decided_by").first() or Debrief(
            loop=loop
        )
    debrief.loop = loop
    runs = reach(request.membership, Action.RUN_DEBRIEF)
    return Seat(
        loop=loop,
        debrief=debrief,
        feedback=loop_feedback(request.membership, loop),
        facilitates=runs == Reach.ALL
        or (runs == Reach.OWN_JOBS and loop.job.hiring_manager_id == request.user.pk),
        interviews=loop.interviews_in_it,
    )


def _loops_to_facilitate(request: OrgRequest):
    if not may(request.membership, Action.RUN_DEBRIEF):
        return Loop.objects.none()
    # The candidates are read for the rows shown (candidates.access.loops_to_schedule says why).
    return (
        loops_for(request)
        .filter(status=Loop.Status.ACTIVE)
        .select_related("job")
        .prefetch_related("candidate")
    )


def debriefs_ready(request: OrgRequest):
    """Loops the member facilitates with every card in and the debrief not yet under way."""
    from candidates.services import with_progress

    started = Debrief.objects.filter(loop=OuterRef("pk")).exclude(phase=Debrief.Phase.COLLECTING)
    return (
        with_progress(_loops_to_facilitate(request))
        .filter(progress=Loop.Progress.FEEDBACK_IN)
        .exclude(Exists(started))
        .order_by("updated_at", "pk")
    )


def decisions_waiting(request: OrgRequest):
    """Loops the member facilitates whose debrief has begun and has no decision yet."""
    under_way = (Debrief.Phase.DISCUSSING, Debrief.Phase.REVEALED)
    return (
        _loops_to_facilitate(request)
        .filter(debrief__phase__in=under_way)
        .order_by("debrief__opened_at", "pk")
    )


def get_job_to_compare(request: OrgRequest, pk: int) -> Job:
    """A job whose candidates the member may compare: any, or the jobs they manage."""
    jobs = Job.objects.filter(organization=request.organization)
    if reach(request.membership, Action.COMPARE_CANDIDATES) == Reach.OWN_JOBS:
        jobs = jobs.filter(hiring_manager=request.user)
    return get_object_or_404(jobs.select_related("guide_version"), pk=pk)


def loops_to_compare(job: Job):
    """The job's loops, to pick from, with their progress; by candidate."""
    from candidates.services import with_progress

    return (
        with_progress(Loop.objects.filter(job__organization=job.organization_id, job=job))
        .select_related("candidate", "guide_version")
        .order_by("candidate__name", "pk")
    )
