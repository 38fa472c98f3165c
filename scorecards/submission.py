"""Submitting a scorecard, and amending it once submitted: the workflows that the kit's views,
the factories of the tests and the bench call alike.

Each takes the scorecard (locked by the caller when it comes from a request), who acts and the
values by the field names of scorecards.forms, and raises `Refused` with the message and the
HTTP status that a view answers.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts import events
from candidates.models import Activity, Interview
from guides.models import Criterion
from scorecards.models import Amendment, Scorecard, same
from scorecards.tasks import queue_feedback_in

ERASED = "This candidate's data was erased; their feedback cannot change."
NOT_BEGUN = "The interview has not begun yet: submit your feedback after it."
NOTHING_CHANGED = "Nothing is changed: there is nothing to amend."
SUBMITTED = "You had already submitted this scorecard. To change it, amend it."


class Refused(Exception):
    """A submit or an amendment that may not go through: `message` for the page (or "" when
    `errors`, by field name, say it all) and the HTTP status the view answers."""

    def __init__(self, message: str = "", *, status: int = 400, errors: dict | None = None):
        super().__init__(message or "; ".join((errors or {}).values()))
        self.message = message
        self.status = status
        self.errors = errors or {}


def incomplete(values: dict[str, object], criteria: Iterable[int]) -> dict[str, str]:
    """What submitting still needs, by field name: a score for every criterion of the stage
    (0 is one) and a recommendation."""
    errors = {
        f"score-{pk}": "Pick a score: 0 if you gathered no information."
        for pk in criteria
        if values.get(f"score-{pk}") in (None, "")
    }
    if values.get("recommendation") in (None, ""):
        errors["recommendation"] = "Choose your recommendation."
    return errors


def _criteria(scorecard: Scorecard) -> list[int]:
    interview = scorecard.interview
    return list(
        Criterion.objects.filter(
            stage=interview.stage_id,
            stage__version__guide__organization=interview.loop.job.organization_id,
        ).values_list("pk", flat=True)
    )


def _missing(scorecard: Scorecard) -> dict[str, str]:
    """What the scorecard as saved lacks to be submitted."""
    scores = scorecard.ratings.values_list("criterion_id", "score")
    saved = {f"score-{pk}": score for pk, score in scores}
    return incomplete({**saved, "recommendation": scorecard.recommendation}, _criteria(scorecard))


@transaction.atomic
def save_draft(*, scorecard: Scorecard, values: dict[str, object]) -> None:
    """Store what the interviewer typed in their open draft."""
    if not scorecard.is_open:
        raise Refused(SUBMITTED, status=409)
    scorecard.write(values)


def submit(
    *,
    scorecard: Scorecard,
    user,
    values: dict[str, object] | None = None,
    at: datetime | None = None,
) -> Scorecard:
    """Store `values` in the draft, then submit it, complete, once its interview has begun (by
    `at`, now unless given). Refused, the values stay saved as the draft: nothing typed is lost.

    The loop's last scorecard in asks a worker, once committed, to tell the hiring manager.
    """
    at = at or timezone.now()
    if values:
        save_draft(scorecard=scorecard, values=values)
    with transaction.atomic():
        if not scorecard.is_open:
            raise Refused(SUBMITTED, status=409)
        if errors := _missing(scorecard):
            raise Refused(status=400, errors=errors)
        interview = scorecard.interview
        if interview.starts_at > at:
            raise Refused(NOT_BEGUN, status=400)
        scorecard.status = Scorecard.Status.SUBMITTED
        scorecard.submitted_at = at
        scorecard.save(update_fields=["status", "submitted_at", "updated_at"])
        loop = interview.loop
        if not _feedback_owed(loop.job.organization_id, loop.pk):
            # Queued once committed, and never failing the submit: the periodic run tells the
            # hiring manager if the broker is down.
            transaction.on_commit(
                partial(
                    queue_feedback_in, organization_id=loop.job.organization_id, loop_id=loop.pk
                ),
                robust=True,
            )
        Activity.record(
            loop.candidate,
            f"{user.display_name} submitted feedback for {interview.stage.name}",
            actor=user,
            loop=loop,
        )
        events.announce(
            "scorecard.submitted", organization_id=loop.job.organization_id, subject_id=scorecard.pk
        )
    return scorecard


def may_amend(scorecard: Scorecard) -> None:
    """Refused unless the scorecard is submitted and its candidate's data still kept."""
    if scorecard.is_open:
        raise Refused("This scorecard is not submitted yet: change it in the kit.", status=409)
    if scorecard.interview.loop.candidate.erased_at:
        raise Refused(ERASED, status=409)


@transaction.atomic
def amend(*, scorecard: Scorecard, user, values: dict[str, object], reason: str) -> Amendment:
    """Change submitted feedback, kept as an Amendment with who, when, why, before and after.

    `scorecard` has its ratings and question notes prefetched; `values` is the whole scorecard
    as it is to read now (an amendment keeps it complete)."""
    may_amend(scorecard)
    saved = scorecard.values()
    if errors := incomplete({**saved, **values}, _criteria(scorecard)):
        raise Refused(status=400, errors=errors)
    after = {name: value for name, value in values.items() if not same(saved.get(name), value)}
    if not after:
        raise Refused(NOTHING_CHANGED, status=400)
    amendment = Amendment.objects.create(
        scorecard=scorecard,
        author=user,
        reason=reason,
        before={name: saved.get(name) for name in after},
        after=after,
    )
    scorecard.write(after)
    interview = scorecard.interview
    Activity.record(
        interview.loop.candidate,
        f"{user.display_name} amended their feedback for {interview.stage.name}",
        actor=user,
        loop=interview.loop,
    )
    return amendment


def _feedback_owed(organization_id: int, loop_id: int) -> bool:
    """Whether someone on a panel still owes feedback in the loop (an open draft of a
    scheduled interview); a shadow's is never waited for."""
    return Scorecard.objects.filter(
        interview__loop__job__organization=organization_id,
        interview__loop=loop_id,
        interview__status=Interview.Status.SCHEDULED,
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
        seat=Scorecard.Seat.PANEL,
    ).exists()
