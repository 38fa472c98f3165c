"""The candidate's interview confirmations: an e-mail when an interview is scheduled, moved (or
its place changed) and cancelled, with a calendar file, through the send-once outbox
(scorecards.outbox), unless the loop's recruiter turned them off.

The candidate reads the time in their own zone, who interviews them, where, and the stage's
directions to share with the candidate: never a score, a note or the interviewers' guide text.
A take-home is not confirmed: its e-mails are the exercise's (exercises.emails).
"""

from datetime import datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scopes_disabled

from accounts.models import Organization, User
from candidates.models import Activity, Interview, Loop
from exercises.models import Confirmation
from guides.models import Stage
from guides.placeholders import PATTERN, key
from scorecards.models import Scorecard
from scorecards.outbox import BATCH_SIZE, Email, Mailer, run, send_in_batches


def _confirmable(organization: Organization) -> QuerySet[Interview]:
    """The organization's interviews (not take-homes) of active loops that confirm, the
    candidate not erased and reachable."""
    return Interview.objects.filter(
        loop__job__organization=organization,
        loop__status=Loop.Status.ACTIVE,
        loop__confirmations=True,
        loop__candidate__erased_at__isnull=True,
    ).exclude(Q(stage__kind=Stage.Kind.TAKE_HOME) | Q(loop__candidate__email=""))


def due_confirmations(organization: Organization, now: datetime) -> QuerySet[Interview]:
    """Interviews whose latest version the candidate has not been told of: scheduled ones
    (each time or place once), and cancelled ones that had been confirmed. Annotated with
    `told`: whether the candidate had an e-mail about it before."""
    logged = Confirmation.objects.with_scopes_disabled().filter(interview=OuterRef("pk"))
    return (
        _confirmable(organization)
        .filter(starts_at__gt=now)
        .annotate(told=Exists(logged))
        .exclude(Exists(logged.filter(sequence=OuterRef("sequence"))))
        .filter(Q(status=Interview.Status.SCHEDULED) | Q(told=True))
        .select_related("stage", "loop__candidate__organization", "loop__job")
        .prefetch_related(
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.select_related("interviewer").order_by(
                    "interviewer__full_name", "pk"
                ),
            )
        )
        .order_by("pk")
    )


def kind_of(interview: Interview) -> str:
    if interview.is_cancelled:
        return Confirmation.Kind.CANCELLED
    return Confirmation.Kind.MOVED if interview.told else Confirmation.Kind.SCHEDULED


def interviewers(interview: Interview) -> list[str]:
    """Who interviews, or was to (reads the prefetched scorecards)."""
    return [card.interviewer.display_name for card in interview.interviewers_scorecards()]


def plain(text: str, values: dict[str, str]) -> str:
    """A guide's text for a plain-text e-mail: the placeholders we know filled."""
    return PATTERN.sub(lambda m: values.get(key(m.group(1))) or m.group(0), text or "")


def calendar(interview: Interview, *, company: str, names: list[str]) -> bytes:
    """The candidate's calendar file: an invitation (METHOD:REQUEST) that each move updates
    (SEQUENCE), or its cancellation (METHOD:CANCEL)."""
    candidate = interview.loop.candidate
    organization = interview.loop.job.organization
    cancelled = interview.is_cancelled
    event = icalendar.Event()
    event.add("uid", f"interview-{interview.pk}-candidate@{organization.slug}.rubric")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("sequence", interview.sequence)
    event.add("summary", f"{interview.stage.name} with {company}")
    if interview.video_link or interview.location:
        event.add("location", interview.video_link or interview.location)
    if interview.video_link:
        event.add("url", interview.video_link)
    lines = [f"Interviewers: {', '.join(names)}"] if names else []
    if interview.location and interview.video_link:
        lines.append(f"Where: {interview.location}")
    if lines:
        event.add("description", "\n".join(lines))
    organizer = icalendar.vCalAddress(f"mailto:{_from_address()}")
    organizer.params["cn"] = icalendar.vText(company)
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{candidate.email}")
    attendee.params["cn"] = icalendar.vText(candidate.name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Rubric//Interviews//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add_component(event)
    return cal.to_ical()


def _from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "rubric@localhost"


def confirmation_email(organization: Organization, interview: Interview) -> Email:
    """The confirmation (or the news of a move or a cancellation) to the candidate."""
    loop = interview.loop
    candidate = loop.candidate
    company = organization.company_name or organization.name
    zone = candidate.zone
    kind = kind_of(interview)
    names = interviewers(interview)
    values = loop.placeholder_values()
    starts = timezone.localtime(interview.starts_at, zone)
    ends = timezone.localtime(interview.ends_at, zone)
    when = date_format(starts, "l j F Y, H:i") + "–" + date_format(ends, "H:i")
    context = {
        "organization": organization,
        "company": company,
        "candidate": candidate,
        "job": loop.job,
        "interview": interview,
        "stage": interview.stage,
        "kind": kind,
        "when": when,
        "zone": str(zone),
        "interviewers": names,
        "directions": interview.stage.candidate_directions,
        "directions_text": plain(interview.stage.candidate_directions, values),
        "values": values,
    }
    subject = {
        Confirmation.Kind.SCHEDULED: "Your interview with {company}: {stage}, {day}",
        Confirmation.Kind.MOVED: "Changed: your interview with {company}, now {day}",
        Confirmation.Kind.CANCELLED: "Cancelled: your interview with {company} on {day}",
    }[kind].format(company=company, stage=interview.stage.name, day=date_format(starts, "D j M"))
    message = Email(
        subject=" ".join(subject.split()),
        body=render_to_string("exercises/emails/confirmation.txt", context),
        to=[candidate.email],
    )
    message.attach_alternative(
        render_to_string("exercises/emails/confirmation.html", context), "text/html"
    )
    method = "CANCEL" if interview.is_cancelled else "REQUEST"
    message.attach(
        "cancelled.ics" if interview.is_cancelled else "interview.ics",
        calendar(interview, company=company, names=names),
        f"text/calendar; charset=utf-8; method={method}",
    )
    return message


def send_confirmations(
    *, now: datetime | None = None, organization_id: int | None = None, batch_size=BATCH_SIZE
) -> int:
    """Every confirmation due now, in every organization (or one). Answers how many went."""
    now = now or timezone.now()
    with scopes_disabled():
        organizations = Organization.objects.filter(
            Exists(
                Interview.objects.filter(
                    loop__job__organization=OuterRef("pk"),
                    loop__confirmations=True,
                    starts_at__gt=now,
                )
            )
        )
        if organization_id is not None:
            organizations = organizations.filter(pk=organization_id)
        return run("Confirmations", _send, organizations, now=now, batch_size=batch_size)


def _send(organization: Organization, *, mailer: Mailer, now: datetime, batch_size: int):
    send_in_batches(
        due_confirmations(organization, now),
        log=lambda batch: [
            Confirmation(
                interview=interview,
                sequence=interview.sequence,
                kind=kind_of(interview),
                sent_at=now,
            )
            for interview in batch
        ],
        email=lambda interview: confirmation_email(organization, interview),
        mailer=mailer,
        batch_size=batch_size,
    )


@transaction.atomic
def switch(*, loop: Loop, on: bool, user: User | None) -> Loop:
    """Turn the loop's confirmations on or off; turned on, those due go out now (its future
    interviews the candidate was not told of)."""
    if loop.confirmations != on:
        Loop.objects.filter(pk=loop.pk).update(confirmations=on)
        loop.confirmations = on
        Activity.record(
            loop.candidate,
            f"{loop.job.title}: interview confirmations to the candidate turned "
            + ("on" if on else "off"),
            actor=user,
            loop=loop,
        )
        if on:
            organization_id = loop.job.organization_id
            transaction.on_commit(lambda: _queue(organization_id))
    return loop


def _queue(organization_id: int) -> None:
    from exercises.tasks import queue_confirmations

    queue_confirmations(organization_id=organization_id)
