"""Lookups of reference calls: the loops of the jobs the member manages, each starting from
the request's organization, and only once the member's own feedback on the loop is in."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import Action, OrgRequest, may
from candidates.access import loops_for
from candidates.models import Interview, Loop
from references.models import ReferenceCheck
from scorecards.models import Scorecard
from scorecards.visibility import loop_feedback


def _may_call(request: OrgRequest, loop: Loop) -> None:
    """Reference calls are the managers' (DESIGN.md's roles), and like the others' feedback
    they wait for one's own: someone who owes a scorecard in the loop reads none (rule 2)."""
    if loop_feedback(request.membership, loop).mine_open:
        raise PermissionDenied(
            "Submit your own feedback on this candidate first: until then the reference calls "
            "stay hidden from you, as the other interviewers' feedback does."
        )


def _loops(request: OrgRequest) -> QuerySet[Loop]:
    if not may(request.membership, Action.CALL_REFERENCES):
        raise PermissionDenied("Only admins, hiring managers and recruiters call references.")
    return loops_for(request).select_related("candidate", "job__organization", "guide_version")


def get_loop(request: OrgRequest, pk: int) -> Loop:
    loop = get_object_or_404(_loops(request), pk=pk)
    _may_call(request, loop)
    return loop


def get_check(request: OrgRequest, pk: int, *, lock: bool = False) -> ReferenceCheck:
    checks = ReferenceCheck.objects.filter(
        loop__job__organization=request.organization, loop__in=_loops(request)
    ).select_related("loop__candidate", "loop__job__organization", "loop__guide_version")
    if lock:
        checks = checks.select_for_update(of=("self",))
    check = get_object_or_404(checks, pk=pk)
    _may_call(request, check.loop)
    return check


def calls_to_make(request: OrgRequest) -> QuerySet[ReferenceCheck]:
    """References of the member's active loops not yet logged (no "would hire again"), leaving
    out the loops where the member still owes feedback (rule 2), the oldest first."""
    if not may(request.membership, Action.CALL_REFERENCES):
        return ReferenceCheck.objects.none()
    owes = Scorecard.objects.filter(
        interview__loop=OuterRef("loop"),
        interviewer=request.user,
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
        interview__status=Interview.Status.SCHEDULED,
    )
    return (
        ReferenceCheck.objects.filter(
            loop__job__organization=request.organization,
            loop__in=loops_for(request).filter(status=Loop.Status.ACTIVE),
            rehire_score__isnull=True,
        )
        .exclude(Exists(owes))
        .select_related("loop__candidate", "loop__job")
        .order_by("created_at", "pk")
    )
