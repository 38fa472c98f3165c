"""Who may read which scorecard: the one place that decides it (rules 2 and 3 of DESIGN.md).

Every page, partial, export and e-mail that shows a scorecard's ratings, notes, summary or
recommendation starts from `readable_scorecards`; whether a member interviews in a loop and
has yet to submit is the same question everywhere. And until the loop's debrief reveals them,
no one reads another interviewer's recommendation: `seal` takes it out of what they read.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.access import Action, Reach, reach
from accounts.models import Membership
from candidates.models import Interview, Loop
from debriefs.models import Debrief
from scorecards.models import Amendment, QuestionNote, Rating, Scorecard


def readable_scorecards(membership: Membership) -> QuerySet[Scorecard]:
    """The scorecards of `membership`'s organization whose contents its user may read.

    Their own, in any state. Someone else's once it is submitted, if the member
    - has no open draft in that loop: an interviewer sees nothing of the others until their
      own feedback for the loop is in, whatever their role; and
    - reads the loop's feedback by role (admin, recruiter, the job's hiring manager), or has
      submitted a scorecard in that loop themselves.
    """
    user_id = membership.user_id
    cards = Scorecard.objects.filter(
        interview__loop__job__organization=membership.organization, archived_at__isnull=True
    )
    mine_in_loop = Scorecard.objects.filter(
        interview__loop__job__organization=membership.organization,
        interview__loop=OuterRef("interview__loop"),
        interviewer_id=user_id,
        archived_at__isnull=True,
    )
    waiting_for_mine = Exists(mine_in_loop.filter(status=Scorecard.Status.DRAFT))
    may_read = Q(Exists(mine_in_loop.filter(status=Scorecard.Status.SUBMITTED)))
    by_role = reach(membership, Action.READ_FEEDBACK)
    if by_role == Reach.ALL:
        may_read = Q(pk__isnull=False)
    elif by_role == Reach.OWN_JOBS:
        may_read |= Q(interview__loop__job__hiring_manager_id=user_id)
    if user_id is None:
        # An API key: an admin who interviews in no loop (DESIGN.md, "Roles"), so nothing is its
        # own and it owes nothing. Asking for the cards of interviewer NULL besides led
        # PostgreSQL to join every organization's scorecards first (5 s at 100 organizations).
        return cards.filter(Q(status=Scorecard.Status.SUBMITTED) & may_read)
    others = Q(status=Scorecard.Status.SUBMITTED) & ~Q(waiting_for_mine) & may_read
    return cards.filter(Q(interviewer_id=user_id) | others)


@dataclass
class LoopFeedback:
    """What a member may read of a loop's feedback, and what is still out."""

    readable: set[int]  # primary keys of the loop's submitted scorecards the member may read
    mine_open: bool  # the member owes feedback in this loop, so the others' stays hidden
    pending: int  # other interviewers' scorecards not yet submitted
    hidden: int  # submitted scorecards the member may not read
    sealed: bool  # the others' recommendations wait for the debrief's reveal


REVEALED = (Debrief.Phase.REVEALED, Debrief.Phase.DECIDED)


def sealed(loop: Loop, phase: str | None) -> bool:
    """Whether the loop's recommendations are sealed, its debrief being in `phase` (None: it
    has none yet). A loop that has ended, whatever ended it, keeps nothing sealed."""
    return loop.status == Loop.Status.ACTIVE and phase not in REVEALED


def debrief_phase(loop: Loop) -> str | None:
    return Debrief.objects.filter(loop=loop).values_list("phase", flat=True).first()


def loop_feedback(membership: Membership, loop: Loop) -> LoopFeedback:
    """One query: the loop's scorecards with who wrote them and whether the member may read
    them, and the phase of its debrief."""
    readable = readable_scorecards(membership).filter(pk=OuterRef("pk"))
    phase = Debrief.objects.filter(loop=OuterRef("interview__loop")).values("phase")
    rows = Scorecard.objects.filter(
        interview__loop__job__organization=membership.organization,
        interview__loop=loop,
        archived_at__isnull=True,
    ).values_list("interviewer_id", "status", "pk", Exists(readable), Subquery(phase))
    rows = list(rows)
    readable_pks, mine_open, pending, hidden = set(), False, 0, 0
    for interviewer_id, status, pk, may_read, _phase in rows:
        if status == Scorecard.Status.SUBMITTED:
            if may_read:
                readable_pks.add(pk)
            else:
                hidden += 1
        elif interviewer_id == membership.user_id:
            mine_open = True
        else:
            pending += 1
    return LoopFeedback(
        readable=readable_pks,
        mine_open=mine_open,
        pending=pending,
        hidden=hidden,
        sealed=sealed(loop, rows[0][4] if rows else None),
    )


def with_contents(cards: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
    """Scorecards with what a reader sees: ratings with their anchors, notes, amendments."""
    return cards.select_related("interviewer", "interview__stage").prefetch_related(
        Prefetch(
            "ratings",
            queryset=Rating.objects.select_related("criterion").order_by(
                "criterion__position", "criterion__pk"
            ),
        ),
        Prefetch(
            "question_notes",
            queryset=QuestionNote.objects.select_related("question").order_by(
                "question__position", "question__pk"
            ),
        ),
        Prefetch("amendments", queryset=Amendment.objects.select_related("author")),
    )


def readable_in_loop(membership: Membership, loop_id: int, *, sealed: bool) -> list[Scorecard]:
    """The submitted scorecards of a loop that the member may read, with their contents;
    `sealed` (LoopFeedback.sealed) takes the others' recommendations out."""
    cards = readable_scorecards(membership).filter(
        interview__loop=loop_id, status=Scorecard.Status.SUBMITTED
    )
    cards = list(with_contents(cards).order_by("interview__starts_at", "pk"))
    if sealed:
        seal(cards, membership)
    return cards


def seal(cards: list[Scorecard], membership: Membership) -> None:
    """Take the recommendation out of the others' scorecards, as read (cards from
    `with_contents`, never saved again): the member reads their own only (rule 3).

    An amendment that changed the recommendation says so, without the values."""
    for card in cards:
        if card.interviewer_id == membership.user_id:
            continue
        card.recommendation = None
        card.recommendation_sealed = True
        for amendment in card.amendments.all():
            amendment.before.pop("recommendation", None)
            if amendment.after.pop("recommendation", None) is not None:
                amendment.sealed_change = True


def handoff_notes(interview: Interview) -> list[Scorecard]:
    """The notes for the next interviewers that the kit of `interview` shows: those of the
    submitted scorecards of its loop's earlier stages. Only `interviewer`, `interview__stage`,
    `submitted_at` and `next_note` are read: nothing else of the card leaves here (rule 2)."""
    return list(
        Scorecard.objects.filter(
            interview__loop__job__organization=interview.loop.job.organization_id,
            interview__loop=interview.loop_id,
            interview__stage__position__lt=interview.stage.position,
            status=Scorecard.Status.SUBMITTED,
            archived_at__isnull=True,
        )
        .exclude(next_note="")
        .select_related("interviewer", "interview__stage")
        .only(
            "next_note",
            "submitted_at",
            "interviewer__full_name",
            "interviewer__email",
            "interview__stage__name",
            "interview__stage__position",
        )
        .order_by("interview__stage__position", "submitted_at", "pk")
    )
