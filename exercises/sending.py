"""A take-home exercise's life: sent with the stage's scheduling, opened, handed in (again, until
the due time; late after it), sent again, given more time.

Scheduling a take-home stage (candidates.scheduling.schedule) starts its exercise here; the
e-mails go through exercises.emails, once each.
"""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from candidates.models import Activity, Interview
from exercises.models import Exercise, HandIn
from scorecards.models import Scorecard

MAX_GRACE_HOURS = 24 * 30


class Refused(Exception):
    """What the exercise's state does not allow; the message says why."""


def start(*, interview: Interview, grace_hours: int = 48) -> Exercise:
    """The exercise of a take-home interview just scheduled: due when the interview ends, with
    a private link that the outbox e-mails to the candidate."""
    exercise = Exercise(interview=interview, due_at=interview.ends_at, grace_hours=grace_hours)
    exercise.new_link()
    exercise.save()
    transaction.on_commit(lambda: _queue_emails(interview.loop.job.organization_id))
    return exercise


def move(*, interview: Interview) -> None:
    """The take-home rescheduled: due when the interview now ends (the link too, plus grace)."""
    Exercise.objects.filter(interview=interview).update(due_at=interview.ends_at)


def _queue_emails(organization_id: int) -> None:
    from exercises.tasks import queue_emails

    queue_emails(organization_id=organization_id)


def _locked(exercise: Exercise) -> Exercise:
    return (
        Exercise.objects.select_for_update(of=("self",))
        .select_related("interview__stage", "interview__loop__candidate", "interview__loop__job")
        .get(pk=exercise.pk)
    )


def _record(exercise: Exercise, text: str, *, user: User | None) -> None:
    loop = exercise.interview.loop
    Activity.record(
        loop.candidate,
        f"{loop.job.title}: {exercise.interview.stage.name} {text}",
        actor=user,
        loop=loop,
    )


@transaction.atomic
def resend(*, exercise: Exercise, user: User | None) -> Exercise:
    """E-mail the candidate their link again: the same link, or a new one if it was revoked."""
    exercise = _locked(exercise)
    if exercise.interview.is_cancelled:
        raise Refused("This exercise was cancelled.")
    if timezone.now() >= exercise.expires_at:
        raise Refused("This exercise's link has expired: give more time first.")
    revoked = exercise.revoked_at is not None
    if revoked:
        exercise.new_link()
        exercise.revoked_at = None
    exercise.link_number += 1
    exercise.save(update_fields=["link_key", "token_hash", "revoked_at", "link_number"])
    _record(exercise, "new link sent" if revoked else "link sent again", user=user)
    transaction.on_commit(lambda: _queue_emails(exercise.interview.loop.job.organization_id))
    return exercise


@transaction.atomic
def revoke(*, exercise: Exercise, user: User | None) -> Exercise:
    """The candidate's link stops working now (sending again makes a new one)."""
    exercise = _locked(exercise)
    if exercise.revoked_at is None:
        exercise.revoked_at = timezone.now()
        exercise.save(update_fields=["revoked_at"])
        _record(exercise, "link revoked", user=user)
    return exercise


@transaction.atomic
def extend(*, exercise: Exercise, hours: int, user: User | None) -> Exercise:
    """Keep the link open `hours` longer (a late hand-in is still marked late)."""
    exercise = _locked(exercise)
    if exercise.interview.is_cancelled:
        raise Refused("This exercise was cancelled.")
    if not 1 <= hours <= MAX_GRACE_HOURS:
        raise Refused("Give from 1 hour to 30 days more.")
    if exercise.grace_hours + hours > MAX_GRACE_HOURS:
        raise Refused("The link stays open at most 30 days after the due time.")
    exercise.grace_hours += hours
    exercise.save(update_fields=["grace_hours"])
    _record(exercise, f"link open {hours} hours longer", user=user)
    return exercise


def opened(exercise: Exercise) -> None:
    """The candidate opened their page: the first time is kept."""
    if exercise.opened_at is None:
        Exercise.objects.filter(pk=exercise.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


@transaction.atomic
def hand_in(
    *,
    exercise: Exercise,
    repository_url: str = "",
    file: UploadedFile | None = None,
    note: str = "",
    at: datetime | None = None,
) -> HandIn:
    """Keep what the candidate handed in (`at`: when, for the demo's past); the reviewers'
    scorecards are due the organization's feedback hours after it, and the outbox tells them."""
    exercise = _locked(exercise)
    now = at or timezone.now()
    if not exercise.is_open(now) or exercise.interview.is_cancelled:
        raise Refused("This link is no longer open.")
    if not repository_url and file is None:
        raise Refused("Hand in a repository link or a file.")
    hand_in = HandIn(
        exercise=exercise,
        repository_url=repository_url,
        note=note,
        late=now > exercise.due_at,
        file_name=file.name[:200] if file else "",
    )
    if file is not None:
        hand_in.file.save(file.name, file, save=False)
    hand_in.save()
    if at is not None:
        HandIn.objects.filter(pk=hand_in.pk).update(created_at=at)
        hand_in.created_at = at
    hours = exercise.interview.loop.job.organization.feedback_due_hours
    Scorecard.objects.filter(
        interview=exercise.interview_id, status=Scorecard.Status.DRAFT, archived_at__isnull=True
    ).update(due_at=hand_in.created_at + timedelta(hours=hours))
    _record(exercise, "handed in" + (" late" if hand_in.late else ""), user=None)
    transaction.on_commit(lambda: _queue_emails(exercise.interview.loop.job.organization_id))
    return hand_in


def erase(*, candidate) -> None:
    """The candidate's erasure (candidates.erasure): their hand-ins go, files and all, and their
    links stop working. Call inside the erasure's transaction."""
    exercises = Exercise.objects.filter(interview__loop__candidate=candidate)
    hand_ins = HandIn.objects.filter(exercise__in=exercises)
    names = [name for name in hand_ins.values_list("file", flat=True) if name]
    storage = HandIn._meta.get_field("file").storage

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    hand_ins.delete()
    for exercise in exercises.filter(revoked_at__isnull=True):
        exercise.new_link()  # the e-mailed link leads nowhere now
        exercise.revoked_at = timezone.now()
        exercise.save(update_fields=["link_key", "token_hash", "revoked_at"])
