"""The exercises' e-mails, through the send-once outbox (scorecards.outbox): the candidate's
private link (again when the recruiter sends it again), the reminder 24 hours before the due
time if nothing was handed in, and the notice to the reviewers of each hand-in.

An e-mail to the candidate holds the company, the stage's directions to share with them, the
exercise and the link: never a score, a note or the interviewers' guide text.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Organization
from candidates.models import Interview, Loop
from exercises.models import Exercise, ExerciseEmail, HandIn
from scorecards.outbox import BATCH_SIZE, Mailer, run, send_in_batches

REMIND_BEFORE = timedelta(hours=24)


def _email(template: str, subject: str, to: list[str], context: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"exercises/emails/{template}.txt", context),
        to=to,
    )
    message.attach_alternative(
        render_to_string(f"exercises/emails/{template}.html", context), "text/html"
    )
    return message


def _live(organization: Organization, now: datetime) -> QuerySet[Exercise]:
    """The organization's exercises whose link works: of a scheduled interview of an active
    loop, the candidate not erased, not expired."""
    return Exercise.objects.filter(
        interview__loop__job__organization=organization,
        interview__status=Interview.Status.SCHEDULED,
        interview__loop__status=Loop.Status.ACTIVE,
        interview__loop__candidate__erased_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related(
        "interview__stage",
        "interview__loop__candidate__organization",
        "interview__loop__job__organization",
    )


def _logged(kind: str, number) -> Exists:
    return Exists(
        ExerciseEmail.objects.with_scopes_disabled().filter(
            exercise=OuterRef("pk"), kind=kind, number=number
        )
    )


def due_links(organization: Organization, now: datetime) -> QuerySet[Exercise]:
    return (
        _live(organization, now)
        .filter(due_at__gt=now - timedelta(hours=24 * 30))
        .exclude(_logged(ExerciseEmail.Kind.LINK, OuterRef("link_number")))
        .order_by("pk")
    )


def due_reminders(organization: Organization, now: datetime) -> QuerySet[Exercise]:
    return (
        _live(organization, now)
        .filter(due_at__gt=now, due_at__lte=now + REMIND_BEFORE, hand_ins__isnull=True)
        .exclude(_logged(ExerciseEmail.Kind.REMINDER, 1))
        .order_by("pk")
    )


def due_hand_in_notices(organization: Organization, now: datetime) -> QuerySet[Exercise]:
    """Those with a hand-in the reviewers have not been told of (one notice per hand-in)."""
    hand_ins = HandIn.objects.with_scopes_disabled().filter(exercise=OuterRef("pk")).order_by()
    count = hand_ins.values("exercise").annotate(n=Count("pk")).values("n")
    return (
        _live(organization, now)
        .annotate(handed_in=Subquery(count))
        .filter(handed_in__gt=0)
        .exclude(_logged(ExerciseEmail.Kind.HANDED_IN, OuterRef("handed_in")))
        .order_by("pk")
    )


def send_exercise_emails(
    *, now: datetime | None = None, organization_id: int | None = None, batch_size=BATCH_SIZE
) -> int:
    """Every exercise e-mail due now, in every organization (or one). Answers how many went."""
    now = now or timezone.now()
    with scopes_disabled():
        organizations = Organization.objects.filter(
            Exists(Exercise.objects.filter(interview__loop__job__organization=OuterRef("pk")))
        )
        if organization_id is not None:
            organizations = organizations.filter(pk=organization_id)
        return run("Exercise e-mails", _send, organizations, now=now, batch_size=batch_size)


def _context(organization: Organization, exercise: Exercise) -> dict:
    return {
        "organization": organization,
        "exercise": exercise,
        "stage": exercise.interview.stage,
        "candidate": exercise.interview.loop.candidate,
        "job": exercise.interview.loop.job,
        "link": exercise.link,
        "values": exercise.interview.loop.placeholder_values(),
    }


def _send(organization: Organization, *, mailer: Mailer, now: datetime, batch_size: int):
    def to_candidate(template: str, subject: str):
        def email(exercise: Exercise) -> EmailMultiAlternatives:
            candidate = exercise.interview.loop.candidate
            context = _context(organization, exercise) | {"zone": str(candidate.zone)}
            with timezone.override(candidate.zone):  # the due time in the candidate's zone
                return _email(
                    template,
                    subject.format(company=organization.company_name or organization.name),
                    [candidate.email],
                    context,
                )

        return email

    def to_reviewers(exercise: Exercise) -> EmailMultiAlternatives:
        interview = exercise.interview
        reviewers = interview.scorecards.filter(
            archived_at__isnull=True, interviewer__is_active=True
        ).select_related("interviewer")
        context = _context(organization, exercise) | {
            "kit_url": settings.SITE_URL
            + reverse("scorecards:kit", args=[organization.slug, interview.pk]),
            "hand_in": exercise.hand_ins.order_by("-created_at", "-pk").first(),
        }
        subject = f"Handed in: {interview.loop.candidate.name}, {interview.stage.name}"
        return _email("handed_in", subject, [c.interviewer.email for c in reviewers], context)

    def log(kind: str, number):
        return lambda batch: [
            ExerciseEmail(exercise=e, kind=kind, number=number(e), sent_at=now) for e in batch
        ]

    send_in_batches(
        due_links(organization, now),
        log=log(ExerciseEmail.Kind.LINK, lambda e: e.link_number),
        email=to_candidate("link", "Your take-home exercise for {company}"),
        mailer=mailer,
        batch_size=batch_size,
    )
    send_in_batches(
        due_reminders(organization, now),
        log=log(ExerciseEmail.Kind.REMINDER, lambda e: 1),
        email=to_candidate("reminder", "Reminder: your exercise for {company} is due tomorrow"),
        mailer=mailer,
        batch_size=batch_size,
    )
    send_in_batches(
        due_hand_in_notices(organization, now),
        log=log(ExerciseEmail.Kind.HANDED_IN, lambda e: e.handed_in),
        email=to_reviewers,
        mailer=mailer,
        batch_size=batch_size,
    )
