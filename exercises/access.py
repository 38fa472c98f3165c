"""Lookups of exercises and hand-ins: from the request's organization for members, 404 alike
for missing and foreign; and the candidate's, by the token of their private link."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from accounts.access import Action, OrgRequest, may
from candidates.access import loops_for
from candidates.models import Interview, Loop
from exercises.models import Exercise, HandIn, hash_token
from scorecards.models import Scorecard


def get_exercise_to_manage(request: OrgRequest, pk: int) -> Exercise:
    exercises = Exercise.objects.filter(
        interview__loop__job__organization=request.organization
    ).select_related("interview__stage", "interview__loop__candidate", "interview__loop__job")
    if not may(request.membership, Action.SEND_EXERCISES):
        raise Http404("No such exercise.")
    return get_object_or_404(exercises.filter(interview__loop__in=loops_for(request)), pk=pk)


def loops_readable(request: OrgRequest) -> QuerySet[Loop]:
    """The loops whose hand-ins the member may read: those they manage, and those they
    interview in (every stage's interviewers read the hand-ins before they score)."""
    interviewing = Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interviewer=request.user,
        archived_at__isnull=True,
    ).values("interview__loop")
    condition = Q(pk__in=interviewing)
    if may(request.membership, Action.MANAGE_JOBS):
        condition |= Q(pk__in=loops_for(request).values("pk"))
    return Loop.objects.filter(job__organization=request.organization).filter(condition)


def get_hand_in(request: OrgRequest, pk: int) -> HandIn:
    hand_ins = HandIn.objects.filter(
        exercise__interview__loop__job__organization=request.organization,
        exercise__interview__loop__in=loops_readable(request),
        exercise__interview__loop__candidate__erased_at__isnull=True,
    )
    return get_object_or_404(hand_ins, pk=pk)


def exercise_by_token(token: str) -> Exercise:
    """The exercise whose private link this is, while it is open: 404 alike for a wrong,
    expired, revoked or cancelled one. The token names the organization, so the lookup
    starts unscoped."""
    if not 0 < len(token) <= 128:
        raise Http404("No such exercise.")
    with scopes_disabled():
        exercise = (
            Exercise.objects.filter(
                token_hash=hash_token(token),
                interview__status=Interview.Status.SCHEDULED,
                interview__loop__status=Loop.Status.ACTIVE,
                interview__loop__candidate__erased_at__isnull=True,
            )
            .select_related(
                "interview__stage",
                "interview__loop__candidate__organization",
                "interview__loop__job__organization",
            )
            .first()
        )
    if exercise is None or not exercise.is_open():
        raise Http404("No such exercise.")
    return exercise


def exercises_up_to(interview: Interview) -> list[Exercise]:
    """The take-homes of the interview's loop up to its stage (itself included), with their
    hand-ins: what its kit shows, to those who may open it."""
    return list(
        Exercise.objects.filter(
            interview__loop__job__organization=interview.loop.job.organization_id,
            interview__loop=interview.loop_id,
            interview__status=Interview.Status.SCHEDULED,
            interview__stage__position__lte=interview.stage.position,
        )
        .select_related("interview__stage")
        .prefetch_related("hand_ins")
        .order_by("interview__stage__position", "pk")
    )


def states(interview_ids: list[int]) -> dict[int, str]:
    """Each take-home interview's exercise state (Exercise.state), in one query: the pipeline's."""
    hand_ins = HandIn.objects.filter(exercise=OuterRef("pk")).order_by("-created_at", "-pk")
    open_cards = Scorecard.objects.filter(
        interview=OuterRef("interview"), archived_at__isnull=True, status=Scorecard.Status.DRAFT
    )
    rows = (
        Exercise.objects.filter(interview__in=interview_ids)
        .annotate(
            handed_in=Exists(hand_ins),
            late=Subquery(hand_ins.values("late")[:1]),
            drafts=Exists(open_cards),
        )
        .values_list("interview_id", "opened_at", "handed_in", "late", "drafts")
    )
    return {
        interview: Exercise.state_of(
            opened=opened is not None, handed_in=handed, late=bool(late), reviewed=not drafts
        )
        for interview, opened, handed, late, drafts in rows
    }


def mark_states(rows: list[tuple[Loop, list[dict]]]) -> None:
    """Give each take-home cell of the pipeline (candidates.services.pipeline) its exercise's
    state, as `exercise_state`."""
    cells = [
        cell
        for _loop, loop_cells in rows
        for cell in loop_cells
        if cell["interview"] is not None and cell["stage"].is_take_home
    ]
    if cells:
        found = states([cell["interview"].pk for cell in cells])
        for cell in cells:
            cell["exercise_state"] = found.get(cell["interview"].pk)


def hand_ins_to_review(request: OrgRequest) -> QuerySet[HandIn]:
    """Hand-ins of the take-homes the member still has to score, the oldest first."""
    return (
        HandIn.objects.filter(
            exercise__interview__loop__job__organization=request.organization,
            exercise__interview__status=Interview.Status.SCHEDULED,
            exercise__interview__loop__candidate__erased_at__isnull=True,
            exercise__interview__scorecards__interviewer=request.user,
            exercise__interview__scorecards__status=Scorecard.Status.DRAFT,
            exercise__interview__scorecards__archived_at__isnull=True,
        )
        .select_related("exercise__interview__stage", "exercise__interview__loop__candidate")
        .order_by("created_at", "pk")
    )
