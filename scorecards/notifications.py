"""E-mails about interviews, sent by the periodic tasks (scorecards.tasks): reminders of overdue
feedback, the interview kit before an interview, "all feedback is in" to the hiring manager.

Each goes at most as often as it should, however often the tasks run and however many workers
run them at once: scorecards.outbox sends them, once.

No e-mail holds anything an interviewer wrote (rule 2), and each is built inside the scope of
its own organization and names nothing of another (rule 1).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scopes_disabled

from accounts.models import Membership, Organization
from candidates.models import Interview, Loop
from candidates.services import with_progress
from candidates.templatetags.schedule import span
from config.stencils import Stencil, marker
from exercises.models import HandIn
from guides.models import Stage
from scorecards.models import FeedbackInEmail, FeedbackReminder, KitEmail, Scorecard
from scorecards.outbox import BATCH_SIZE, Email, Mailer, run, send_in_batches

__all__ = ["BATCH_SIZE", "send_feedback_in", "send_feedback_reminders", "send_kit_emails"]

# The longest an organization may set for `kit_email_hours`.
MAX_KIT_EMAIL_HOURS = 168


def _email(template: str, subject: str, to: str, context: dict) -> EmailMultiAlternatives:
    """A plain-text e-mail with its HTML part, from templates/scorecards/emails/."""
    message = Email(
        subject=" ".join(subject.split()),
        body=render_to_string(f"scorecards/emails/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"scorecards/emails/{template}.html", context), "text/html"
    )
    return message


class _Letter:
    """An e-mail's two templates rendered once for a whole run (config.stencils), each e-mail
    only filling in the values that change from one to the next (`fields`), escaped for the
    HTML part."""

    def __init__(self, template: str, context: dict, fields: tuple[str, ...]):
        context = context | {field: marker(field) for field in fields}
        self.text = Stencil(f"scorecards/emails/{template}.txt", context, escape=str)
        self.html = Stencil(f"scorecards/emails/{template}.html", context)

    def email(self, subject: str, to: str, values: dict[str, str]) -> EmailMultiAlternatives:
        message = Email(subject=" ".join(subject.split()), body=self.text.fill(values), to=[to])
        message.attach_alternative(self.html.fill(values), "text/html")
        return message


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _owed(organization: Organization, members: QuerySet[Membership]) -> QuerySet[Scorecard]:
    """The organization's open drafts that someone still owes: of a scheduled interview of an
    active loop, the candidate not erased, the interviewer one of `members` and able to log in.

    A decided loop (offer, hired, rejected, withdrawn) asks nobody for more feedback.
    """
    return Scorecard.objects.filter(
        interview__loop__job__organization=organization,
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
        interview__status=Interview.Status.SCHEDULED,
        interview__loop__status=Loop.Status.ACTIVE,
        interview__loop__candidate__erased_at__isnull=True,
        interviewer__is_active=True,
    ).filter(Exists(members.filter(organization=organization, user=OuterRef("interviewer"))))


def _with_interview(cards: QuerySet[Scorecard]) -> QuerySet[Scorecard]:
    return cards.select_related(
        "interviewer", "interview__stage", "interview__loop__candidate", "interview__loop__job"
    ).order_by("pk")


# Reminders of overdue feedback: always sent, whatever the member's choice of other e-mails.


def send_feedback_reminders(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind every interviewer whose feedback is overdue, in every organization, at most once
    per the organization's reminder interval per scorecard. Answers how many were sent."""
    now = now or timezone.now()
    with scopes_disabled():
        organizations = Organization.objects.filter(
            Exists(
                Scorecard.objects.filter(
                    interview__loop__job__organization=OuterRef("pk"),
                    status=Scorecard.Status.DRAFT,
                    archived_at__isnull=True,
                    due_at__lte=now,
                )
            )
        )
        return run("Feedback reminders", _remind, organizations, now=now, batch_size=batch_size)


def due_reminders(organization: Organization, now: datetime) -> QuerySet[Scorecard]:
    """The organization's overdue drafts not reminded within its reminder interval, each with
    the number of reminders it had (`reminded`)."""
    interval = timedelta(hours=organization.reminder_interval_hours)
    # Tied to each scorecard of the organization by its key: the scope's joins would only slow
    # down a lookup that its index answers.
    reminders = FeedbackReminder.objects.with_scopes_disabled().filter(scorecard=OuterRef("pk"))
    count = reminders.order_by().values("scorecard").annotate(n=Count("pk")).values("n")
    # A take-home's reviewers owe nothing until the candidate hands in.
    waiting = Q(interview__stage__kind=Stage.Kind.TAKE_HOME) & ~Exists(
        HandIn.objects.with_scopes_disabled().filter(exercise__interview=OuterRef("interview"))
    )
    return (
        _owed(organization, Membership.objects.all())
        .filter(due_at__lte=now)
        .exclude(waiting)
        .exclude(Exists(reminders.filter(sent_at__gt=now - interval)))
        .annotate(reminded=Coalesce(Subquery(count), 0))
    )


def _remind(organization: Organization, *, mailer: Mailer, now: datetime, batch_size: int):
    letter = _Letter(
        "feedback_reminder",
        {"organization": organization},
        ("name", "candidate", "job", "stage", "held", "due", "overdue_by", "kit_url"),
    )
    # An interview's interviewers are reminded together: its link and time are made once.
    kit_urls, times = {}, {}

    def when(moment: datetime) -> str:
        if moment not in times:
            times[moment] = date_format(timezone.localtime(moment), "D j M Y, H:i")
        return times[moment]

    def email(card) -> EmailMultiAlternatives:
        if card.interview_id not in kit_urls:
            kit_urls[card.interview_id] = _link(
                "scorecards:kit", organization.slug, card.interview_id
            )
        values = {
            "name": card.full_name or card.address,  # as User.display_name
            "candidate": card.candidate,
            "job": card.job,
            "stage": card.stage,
            "held": when(card.held_at),
            "due": when(card.due_at),
            "overdue_by": span(now - card.due_at),
            "kit_url": kit_urls[card.interview_id],
        }
        subject = f"Feedback overdue: {values['candidate']}, {values['stage']}"
        return letter.email(subject, card.address, values)

    # Only what the e-mail says, as plain rows: read as model instances (the scorecard with its
    # interview, loop, candidate, job, stage and interviewer: seven a row), the batches were a
    # fifth of the run.
    said = {
        "full_name": F("interviewer__full_name"),
        "address": F("interviewer__email"),
        "held_at": F("interview__starts_at"),
        "stage": F("interview__stage__name"),
        "candidate": F("interview__loop__candidate__name"),
        "job": F("interview__loop__job__title"),
    }
    cards = (
        due_reminders(organization, now)
        .annotate(**said)
        .values_list("pk", "interview_id", "due_at", "reminded", *said, named=True)
        .order_by("pk")
    )
    send_in_batches(
        cards,
        log=lambda cards: [
            FeedbackReminder(scorecard_id=card.pk, number=card.reminded + 1, sent_at=now)
            for card in cards
        ],
        email=email,
        mailer=mailer,
        batch_size=batch_size,
    )


# The interview kit before the interview, for members who take the other e-mails.


def send_kit_emails(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """E-mail each interviewer the kit of an interview that starts within the organization's
    `kit_email_hours`, once per scorecard. Answers how many were sent."""
    now = now or timezone.now()
    with scopes_disabled():
        organizations = Organization.objects.filter(
            Exists(
                Interview.objects.filter(
                    loop__job__organization=OuterRef("pk"),
                    status=Interview.Status.SCHEDULED,
                    starts_at__gt=now,
                    starts_at__lte=now + timedelta(hours=MAX_KIT_EMAIL_HOURS),
                )
            )
        )
        return run("Kit e-mails", _send_kits, organizations, now=now, batch_size=batch_size)


def due_kit_emails(organization: Organization, now: datetime) -> QuerySet[Scorecard]:
    soon = now + timedelta(hours=organization.kit_email_hours)
    return (
        _owed(organization, Membership.objects.filter(notification_emails=True))
        .filter(interview__starts_at__gt=now, interview__starts_at__lte=soon)
        .exclude(
            Exists(
                KitEmail.objects.with_scopes_disabled().filter(
                    scorecard=OuterRef("pk"), starts_at=OuterRef("interview__starts_at")
                )
            )
        )
    )


def _send_kits(organization: Organization, *, mailer: Mailer, now: datetime, batch_size: int):
    def email(card: Scorecard) -> EmailMultiAlternatives:
        interview = card.interview
        context = {
            "organization": organization,
            "card": card,
            "interview": interview,
            "kit_url": _link("scorecards:kit", organization.slug, interview.pk),
            "preferences_url": _link("accounts:account-emails", organization.slug),
        }
        when = date_format(timezone.localtime(interview.starts_at), "D j M, H:i")
        subject = f"Interview kit: {interview.loop.candidate.name}, {interview.stage.name}, {when}"
        return _email("kit", subject, card.interviewer.email, context)

    send_in_batches(
        _with_interview(due_kit_emails(organization, now)),
        log=lambda cards: [
            KitEmail(scorecard=card, starts_at=card.interview.starts_at, sent_at=now)
            for card in cards
        ],
        email=email,
        mailer=mailer,
        batch_size=batch_size,
    )


# "All feedback is in", to the job's hiring manager, unless they turned the other e-mails off.


def send_feedback_in(
    *,
    now: datetime | None = None,
    organization_id: int | None = None,
    loop_ids: list[int] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Tell each hiring manager whose loop has all its feedback in, once per loop: in every
    organization, or in one and for some of its loops (after a submit)."""
    now = now or timezone.now()
    with scopes_disabled():
        organizations = Organization.objects.filter(
            Exists(
                Scorecard.objects.filter(
                    interview__loop__job__organization=OuterRef("pk"),
                    interview__loop__status=Loop.Status.ACTIVE,
                    status=Scorecard.Status.SUBMITTED,
                )
            )
        )
        if organization_id is not None:
            organizations = organizations.filter(pk=organization_id)
        return run(
            "All feedback in",
            _announce,
            organizations,
            now=now,
            loop_ids=loop_ids,
            batch_size=batch_size,
        )


def due_feedback_in(organization: Organization, loop_ids: list[int] | None = None):
    """The organization's active loops with every stage held and every scorecard submitted (as
    the pipeline's "All feedback in" says), whose hiring manager takes the other e-mails and
    has not been told yet."""
    managers = Membership.objects.filter(
        organization=organization, user=OuterRef("job__hiring_manager"), notification_emails=True
    )
    loops = Loop.objects.filter(
        job__organization=organization,
        status=Loop.Status.ACTIVE,
        candidate__erased_at__isnull=True,
        job__hiring_manager__is_active=True,
    ).filter(
        Exists(managers),
        Exists(
            Scorecard.objects.filter(
                interview__loop=OuterRef("pk"),
                status=Scorecard.Status.SUBMITTED,
                archived_at__isnull=True,
                seat=Scorecard.Seat.PANEL,
            )
        ),
        ~Exists(FeedbackInEmail.objects.with_scopes_disabled().filter(loop=OuterRef("pk"))),
    )
    if loop_ids is not None:
        loops = loops.filter(pk__in=loop_ids)
    return with_progress(loops).filter(progress=Loop.Progress.FEEDBACK_IN)


def _announce(
    organization: Organization,
    *,
    mailer: Mailer,
    now: datetime,
    loop_ids: list[int] | None,
    batch_size: int,
):
    held = Interview.objects.filter(status=Interview.Status.SCHEDULED).select_related("stage")
    # The panels' feedback: a shadow's is not waited for, nor counted.
    cards = Scorecard.objects.filter(
        archived_at__isnull=True, seat=Scorecard.Seat.PANEL
    ).select_related("interviewer")
    loops = (
        due_feedback_in(organization, loop_ids)
        .select_related("candidate", "job__hiring_manager")
        .prefetch_related(
            Prefetch("interviews", queryset=held.order_by("starts_at")),
            Prefetch("interviews__scorecards", queryset=cards),
        )
        .order_by("pk")
    )

    def email(loop: Loop) -> EmailMultiAlternatives:
        manager = loop.job.hiring_manager
        context = {
            "organization": organization,
            "loop": loop,
            "manager": manager,
            "interviews": loop.interviews.all(),
            "loop_url": _link("candidates:loop-detail", organization.slug, loop.pk),
            "debrief_url": _link("debriefs:debrief", organization.slug, loop.pk),
            "preferences_url": _link("accounts:account-emails", organization.slug),
        }
        subject = f"All feedback is in: {loop.candidate.name} for {loop.job.title}"
        return _email("feedback_in", subject, manager.email, context)

    send_in_batches(
        loops,
        log=lambda batch: [
            FeedbackInEmail(loop=loop, recipient=loop.job.hiring_manager, sent_at=now)
            for loop in batch
        ],
        email=email,
        mailer=mailer,
        batch_size=batch_size,
    )
