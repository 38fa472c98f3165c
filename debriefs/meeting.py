"""The debrief meeting's workflows: open the discussion of the ratings, reveal the
recommendations, change one's recommendation with a reason, decide, amend the decision (the
loop's status follows it). Each records itself on the candidate's timeline. `Notes` is where
each participant's notes on the guiding questions are written as they type.

Who may do which is the caller's to check (debriefs.access.Seat); these keep the meeting's own
rules and refuse with `Refused`. The caller holds the debrief locked
(`get_seat(..., lock=True)`)."""

from django.db import transaction
from django.utils import timezone

from accounts import events
from accounts.models import User
from candidates import services
from candidates.models import Activity, Loop
from debriefs.models import Debrief, DebriefNote, DecisionAmendment, RecommendationChange
from scorecards.models import Scorecard

ERASED = "This candidate's data was erased: their debrief no longer changes."

# How a decision moves the loop.
LOOP_STATUS = {
    Debrief.Decision.HIRE: Loop.Status.OFFER,
    Debrief.Decision.NO_HIRE: Loop.Status.REJECTED,
    Debrief.Decision.MORE_INFORMATION: Loop.Status.ACTIVE,
}


class Refused(Exception):
    """A change the debrief does not take now: the message, and the HTTP status to answer."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def check_open(debrief: Debrief) -> None:
    """Refuse any change to the debrief of a candidate whose data was erased."""
    if debrief.loop.candidate.erased_at:
        raise Refused(ERASED, status=409)


def check_decidable(debrief: Debrief) -> None:
    """Refuse a decision before the recommendations are revealed."""
    check_open(debrief)
    if not debrief.is_revealed:
        raise Refused(
            "Reveal the recommendations before deciding: the decision comes last.", status=409
        )


def check_recommendations_open(debrief: Debrief) -> None:
    """Refuse a change of recommendation outside the revealed phase."""
    check_open(debrief)
    if debrief.is_decided:
        raise Refused("The debrief is decided: recommendations no longer change.", status=409)
    if not debrief.is_revealed:
        raise Refused(
            "The recommendations are not revealed yet: change yours once the facilitator has.",
            status=409,
        )


@transaction.atomic
def move(*, debrief: Debrief, user: User, to: str) -> bool:
    """Move the debrief on to `to` (discussing, then revealed). False if it is already there
    or past it: a second click, or another facilitator was quicker."""
    check_open(debrief)
    if to not in (Debrief.Phase.DISCUSSING, Debrief.Phase.REVEALED):
        raise Refused("Say which phase to move to: discussing or revealed.", status=400)
    if debrief.has_reached(to):
        return False
    if not debrief.can_move_to(to):
        raise Refused(
            "Open the discussion of the ratings first: recommendations come after it.", status=409
        )
    debrief.phase = to
    if to == Debrief.Phase.DISCUSSING:
        debrief.opened_at = timezone.now()
        text = "opened the debrief's discussion"
    else:
        debrief.revealed_at, debrief.revealed_by = timezone.now(), user
        text = "revealed the recommendations in the debrief"
    debrief.save()
    loop = debrief.loop
    Activity.record(loop.candidate, f"{user.display_name} {text}", actor=user, loop=loop)
    if to == Debrief.Phase.REVEALED:
        events.announce(
            "debrief.revealed", organization_id=loop.job.organization_id, subject_id=loop.pk
        )
    return True


def open_discussion(*, debrief: Debrief, user: User) -> bool:
    """The ratings side by side; False if the discussion was already open."""
    return move(debrief=debrief, user=user, to=Debrief.Phase.DISCUSSING)


@transaction.atomic
def reveal(*, debrief: Debrief, user: User) -> bool:
    """The recommendations shown, the discussion opened first if it was not; False if they
    already were."""
    if not debrief.has_reached(Debrief.Phase.DISCUSSING):
        open_discussion(debrief=debrief, user=user)
    return move(debrief=debrief, user=user, to=Debrief.Phase.REVEALED)


@transaction.atomic
def change_recommendation(
    *, debrief: Debrief, scorecard: Scorecard, user: User, recommendation: int, reason: str
) -> RecommendationChange:
    """The interviewer's recommendation on their submitted `scorecard` of the loop is now
    `recommendation`, for `reason`; the scorecard keeps what they submitted."""
    check_recommendations_open(debrief)
    if not (
        scorecard.interviewer_id == user.pk
        and scorecard.is_submitted
        and scorecard.interview.loop_id == debrief.loop_id
    ):
        raise Refused("This is not a submitted scorecard of yours in this loop.", status=403)
    if scorecard.is_shadow:
        raise Refused("A shadow's recommendation is not counted: it does not change.", status=403)
    last = debrief.recommendation_changes.filter(scorecard=scorecard).last()
    before = last.after if last else scorecard.recommendation
    if recommendation == before:
        raise Refused("That is already your recommendation.", status=400)
    change = RecommendationChange.objects.create(
        debrief=debrief,
        scorecard=scorecard,
        author=user,
        before=before,
        after=recommendation,
        reason=reason,
    )
    loop = debrief.loop
    Activity.record(
        loop.candidate,
        f"{user.display_name} changed their recommendation in the debrief",
        actor=user,
        loop=loop,
    )
    return change


@transaction.atomic
def decide(*, debrief: Debrief, user: User, values: dict[str, object], reason: str = "") -> str:
    """Record the decision (`values` keyed as Debrief.decision_values()); once decided, a
    change is an amendment kept with its `reason` and what it changed. The loop's status
    follows a new decision. Says what became of the loop, or "" when nothing did."""
    check_decidable(debrief)
    amending = debrief.is_decided
    saved = debrief.decision_values()
    changed = {name: value for name, value in values.items() if saved[name] != value}
    if amending and not changed:
        raise Refused("Nothing is changed: there is nothing to amend.", status=400)
    for name, value in values.items():
        if name != "other_jobs":
            setattr(debrief, name, value)
    if not amending:
        debrief.phase = Debrief.Phase.DECIDED
        debrief.decided_at, debrief.decided_by = timezone.now(), user
    debrief.revision += 1
    debrief.save()
    debrief.other_jobs.set(values["other_jobs"])
    label = debrief.get_decision_display()
    loop = debrief.loop
    if amending:
        DecisionAmendment.objects.create(
            debrief=debrief,
            author=user,
            reason=reason,
            before={name: saved[name] for name in changed},
            after=changed,
        )
        text = f"{user.display_name} amended the debrief's decision: {label}"
    else:
        text = f"{user.display_name} recorded the debrief's decision: {label}"
    Activity.record(loop.candidate, text, actor=user, loop=loop)
    events.announce("debrief.decided", organization_id=loop.job.organization_id, subject_id=loop.pk)
    if not amending or "decision" in changed:
        return _follow(loop, debrief, user)
    if "rationale" in changed and loop.status == Loop.Status.REJECTED:
        loop.rejection_reason = debrief.rationale
        loop.save(update_fields=["rejection_reason", "updated_at"])
    return ""


def _follow(loop: Loop, debrief: Debrief, user: User) -> str:
    """Move the loop to the status the decision calls for, unless it has already ended in a
    hire or a withdrawal, which only someone's own choice changes. Says what happened."""
    status = LOOP_STATUS[debrief.decision]
    if loop.status in (Loop.Status.HIRED, Loop.Status.WITHDRAWN):
        return f"{loop.candidate.name} stays marked {loop.get_status_display().lower()}."
    if loop.status != status:
        services.set_loop_status(loop=loop, status=status, reason=debrief.rationale, user=user)
    elif status == Loop.Status.REJECTED:
        loop.rejection_reason = debrief.rationale
        loop.save(update_fields=["rejection_reason", "updated_at"])
    return f"{loop.candidate.name} is now marked {loop.get_status_display().lower()}."


class Notes:
    """A member's notes on the debrief's guiding questions, by the field names of
    debriefs.forms.NoteForm ("question-<pk>"): the store that scorecards.autosave writes
    as they type."""

    revision = None

    def __init__(self, *, debrief: Debrief, author: User):
        self.debrief, self.author = debrief, author
        self.notes: dict[str, DebriefNote] = {}

    def _note(self, name: str) -> DebriefNote:
        if name not in self.notes:
            question_id = int(name.partition("-")[2])
            self.notes[name] = DebriefNote.objects.filter(
                debrief=self.debrief, question_id=question_id, author=self.author
            ).first() or DebriefNote(
                debrief=self.debrief, question_id=question_id, author=self.author
            )
        return self.notes[name]

    def saved(self, name: str) -> str:
        return self._note(name).text

    def write(self, name: str, value: str) -> None:
        note = self._note(name)
        note.text = value
        note.save()
