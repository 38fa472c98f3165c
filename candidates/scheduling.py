"""Scheduling a stage of a loop: the interview, its interviewers' scorecards, and calendars.

An interviewer's assignment is their scorecard: assigning creates a draft due
`feedback_due_hours` after the interview ends; unassigning or cancelling archives the draft.
A seat is on the panel or a shadow's (in training: scored and sealed like anyone, never
counted); an interview has someone on its panel.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Organization, User
from candidates.models import Activity, Interview, Loop
from exercises import sending
from exercises.models import HandIn
from exercises.tasks import queue_confirmations
from guides.models import Stage
from scorecards.models import Scorecard


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    video_link: str = ""


def _when(moment: datetime, loop: Loop) -> str:
    """A time for the timeline, in the organization's zone whoever writes it (a request, a
    command or a task)."""
    zone = loop.job.organization.zone
    return f"{date_format(timezone.localtime(moment, zone), 'D j M Y, H:i')} ({zone})"


def _confirm(loop: Loop) -> None:
    """Once committed, e-mail the candidate what changed (exercises.confirmations)."""
    organization_id = loop.job.organization_id
    transaction.on_commit(lambda: queue_confirmations(organization_id=organization_id))


def _names(users: Iterable[User]) -> str:
    return ", ".join(sorted(user.display_name for user in users)) or "no one"


def _due(interview: Interview) -> datetime:
    """When feedback is due: the organization's hours after the interview ends or, for a
    take-home handed in, after the latest hand-in (exercises.sending.hand_in)."""
    hours = interview.loop.job.organization.feedback_due_hours
    if interview.stage.is_take_home:
        handed_in = HandIn.objects.filter(exercise__interview=interview).aggregate(
            latest=Max("created_at")
        )["latest"]
        if handed_in is not None:
            return handed_in + timedelta(hours=hours)
    return interview.ends_at + timedelta(hours=hours)


def _assign(interview: Interview, interviewers: Iterable[User], shadows: list[User]) -> None:
    """Give each interviewer their draft, in their seat (a shadow's if in `shadows`): a new
    one, or back the one they had when they were taken off this interview, with what they had
    written."""
    users = {user.pk: user for user in interviewers}
    returning = {}
    for card in interview.scorecards.filter(
        interviewer__in=users, status=Scorecard.Status.DRAFT, archived_at__isnull=False
    ).order_by("archived_at"):
        returning[card.interviewer_id] = card  # the latest archived one of each
    for card in returning.values():
        card.archived_at = None
        card.due_at = _due(interview)
        card.seat = _seat(users[card.interviewer_id], shadows)
        card.save(update_fields=["archived_at", "due_at", "seat", "updated_at"])
    Scorecard.objects.bulk_create(
        Scorecard(
            interview=interview,
            interviewer=user,
            due_at=_due(interview),
            seat=_seat(user, shadows),
        )
        for pk, user in users.items()
        if pk not in returning
    )


def _seat(user: User, shadows: list[User]) -> str:
    return Scorecard.Seat.SHADOW if user in shadows else Scorecard.Seat.PANEL


def _archive(scorecards, at: datetime | None = None) -> None:
    scorecards.filter(status=Scorecard.Status.DRAFT, archived_at__isnull=True).update(
        archived_at=at or timezone.now()
    )


class Refused(Exception):
    """A scheduling change that the interview's state does not allow; the message says why."""


def _check_members(loop: Loop, interviewers) -> None:
    users = {user.pk for user in interviewers}
    members = User.objects.filter(pk__in=users, memberships__organization=loop.job.organization_id)
    if members.count() != len(users):
        raise Refused("Every interviewer must be a member of this organization.")


def _check_seats(panel: set[User], shadows: set[User]) -> None:
    if panel & shadows:
        raise Refused(f"{_names(panel & shadows)} cannot both sit on the panel and shadow it.")
    if not panel:
        raise Refused("Put at least one interviewer on the panel: shadows are not counted.")


def _with_shadows(names: str, shadows: Iterable[User]) -> str:
    return f"{names} (shadowing: {_names(shadows)})" if shadows else names


@transaction.atomic
def schedule(
    *,
    loop: Loop,
    stage: Stage,
    slot: Slot,
    interviewers: list[User],
    user: User | None,
    shadows: Iterable[User] = (),
) -> Interview:
    """Call with the loop locked, so that the job cannot move it to another guide meanwhile.
    `interviewers` sit on the panel, `shadows` shadow it."""
    if stage.version_id != loop.guide_version_id:
        raise Refused("The stage is not one of this loop's guide.")
    shadows = list(dict.fromkeys(shadows))  # in the order given, once each
    _check_seats(set(interviewers), set(shadows))
    _check_members(loop, {*interviewers, *shadows})
    interview = Interview.objects.create(
        loop=loop,
        stage=stage,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        location=slot.location,
        video_link=slot.video_link,
        created_by=user,
    )
    _assign(interview, [*interviewers, *shadows], shadows)
    if stage.is_take_home:
        sending.start(interview=interview)  # scheduling a take-home sends it
    else:
        _confirm(loop)
    Activity.record(
        loop.candidate,
        f"{loop.job.title}: {stage.name} scheduled for {_when(slot.starts_at, loop)} "
        f"with {_with_shadows(_names(interviewers), shadows)}",
        actor=user,
        loop=loop,
    )
    return interview


def _locked(interview: Interview) -> Interview:
    """The interview as it is now, locked: one change at a time, each seeing the last."""
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("stage", "loop__candidate", "loop__job__organization")
        .get(pk=interview.pk)
    )


@transaction.atomic
def reschedule(
    *,
    interview: Interview,
    slot: Slot,
    interviewers: list[User],
    user: User | None,
    shadows: Iterable[User] = (),
) -> Interview:
    """Change the time, the place and who interviews, in which seat. The drafts of those
    taken off are archived; those added get fresh drafts; every open draft is due after the
    new end. Submitted feedback keeps its seat: what was counted stays counted."""
    interview = _locked(interview)
    if interview.is_cancelled:
        raise Refused("This interview was cancelled meanwhile: schedule the stage again instead.")
    current = interview.scorecards.filter(archived_at__isnull=True).select_related("interviewer")
    before = {card.interviewer for card in current}
    shadows = list(dict.fromkeys(shadows))
    _check_seats(set(interviewers), set(shadows))
    after = {*interviewers, *shadows}
    _check_members(interview.loop, after - before)
    kept_off = sorted(
        c.interviewer.display_name for c in current if c.is_submitted and c.interviewer not in after
    )
    if kept_off:
        raise Refused(
            f"{', '.join(kept_off)} submitted feedback for this interview and stay on it."
        )
    reseated = [
        card
        for card in current
        if card.interviewer in after and card.seat != _seat(card.interviewer, shadows)
    ]
    if held := sorted(c.interviewer.display_name for c in reseated if c.is_submitted):
        raise Refused(f"{', '.join(held)} submitted feedback for this interview: their seat stays.")

    moved = (interview.starts_at, interview.ends_at) != (slot.starts_at, slot.ends_at)
    if moved and any(card.is_submitted for card in current):
        raise Refused("This interview has feedback: it was held, so its time stays.")
    changed = moved or (interview.location, interview.video_link) != (
        slot.location,
        slot.video_link,
    )
    interview.starts_at, interview.ends_at = slot.starts_at, slot.ends_at
    interview.location, interview.video_link = slot.location, slot.video_link
    if changed:
        interview.sequence += 1
        _confirm(interview.loop)
    interview.save(update_fields=["starts_at", "ends_at", "location", "video_link", "sequence"])
    _archive(current.filter(interviewer__in=before - after))
    _assign(interview, [u for u in [*interviewers, *shadows] if u not in before], shadows)
    for card in reseated:
        card.seat = _seat(card.interviewer, shadows)
        card.save(update_fields=["seat", "updated_at"])
    if moved:
        current.filter(status=Scorecard.Status.DRAFT).update(due_at=_due(interview))
        if interview.stage.is_take_home:
            sending.move(interview=interview)  # the candidate's due time is the new end

    notes = []
    if moved:
        notes.append(f"moved to {_when(slot.starts_at, interview.loop)}")
    elif changed:
        notes.append("place changed")
    if (after - before) - set(shadows):
        notes.append(f"{_names((after - before) - set(shadows))} added")
    if (after - before) & set(shadows):
        notes.append(f"{_names((after - before) & set(shadows))} added as shadows")
    if before - after:
        notes.append(f"{_names(before - after)} taken off")
    if reseated:
        notes.append(
            "; ".join(
                f"{card.interviewer.display_name} now "
                + ("shadows" if card.seat == Scorecard.Seat.SHADOW else "on the panel")
                for card in reseated
            )
        )
    if notes:
        loop = interview.loop
        Activity.record(
            loop.candidate,
            f"{loop.job.title}: {interview.stage.name} " + "; ".join(notes),
            actor=user,
            loop=loop,
        )
    return interview


@transaction.atomic
def cancel(*, interview: Interview, user: User | None) -> Interview:
    """Cancel an interview without feedback: its drafts are archived, kept."""
    interview = _locked(interview)
    if interview.is_cancelled:
        return interview
    if interview.scorecards.filter(status=Scorecard.Status.SUBMITTED).exists():
        raise Refused(f"{interview.stage.name} was held and has feedback: it cannot be cancelled.")
    interview.status = Interview.Status.CANCELLED
    interview.cancelled_at = timezone.now()
    interview.sequence += 1
    interview.save(update_fields=["status", "cancelled_at", "sequence"])
    _archive(interview.scorecards.all(), at=interview.cancelled_at)
    loop = interview.loop
    _confirm(loop)
    Activity.record(
        loop.candidate,
        f"{loop.job.title}: {interview.stage.name} on {_when(interview.starts_at, loop)} cancelled",
        actor=user,
        loop=loop,
    )
    return interview


def conflicts(
    *,
    organization: Organization,
    interviewers: list[User],
    slot: Slot,
    exclude: Interview | None = None,
) -> list[Scorecard]:
    """The interviewers' other interviews in the organization that overlap the slot (those of
    another organization they belong to are none of this one's business)."""
    overlapping = (
        Scorecard.objects.filter(
            interview__loop__job__organization=organization,
            interviewer__in=interviewers,
            archived_at__isnull=True,
            interview__status=Interview.Status.SCHEDULED,
            interview__starts_at__lt=slot.ends_at,
            interview__ends_at__gt=slot.starts_at,
        )
        .select_related("interviewer", "interview__stage", "interview__loop__candidate")
        .order_by("interview__starts_at")
    )
    if exclude is not None:
        overlapping = overlapping.exclude(interview=exclude)
    return list(overlapping)


def calendar(interview: Interview, *, interviewers: list[User]) -> bytes:
    """The interview as an iCalendar file: one event, cancelled when the interview is."""
    loop = interview.loop
    organization = loop.job.organization
    link = settings.SITE_URL + reverse("scorecards:kit", args=[organization.slug, interview.pk])
    event = icalendar.Event()
    event.add("uid", f"interview-{interview.pk}@{organization.slug}.rubric")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("sequence", interview.sequence)
    event.add("summary", f"{interview.stage.name}: {loop.candidate.name} ({loop.job.title})")
    event.add("location", interview.video_link or interview.location)
    if interview.video_link:
        event.add("url", interview.video_link)
    lines = [f"Interviewers: {_names(interviewers)}", f"Interview kit: {link}"]
    if interview.location and interview.video_link:
        lines.insert(0, f"Where: {interview.location}")
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if interview.is_cancelled else "CONFIRMED")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Rubric//Interviews//EN")
    cal.add("version", "2.0")
    # A downloaded file publishes the event as it stands, cancelled or not (RFC 5546's CANCEL
    # is for an organizer's own invitations).
    cal.add("method", "PUBLISH")
    cal.add_component(event)
    return cal.to_ical()
