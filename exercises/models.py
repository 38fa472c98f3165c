import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_scopes import ScopedManager

from candidates.models import Interview


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Exercise(models.Model):
    """A take-home interview as sent to the candidate: the due date and their private link.

    The link's token is an HMAC (SECRET_KEY) of a random key, so that a reminder can carry the
    same link again; the database alone holds neither the token nor a way to make it, only its
    hash, by which the candidate's page finds the exercise.
    """

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="exercise")
    due_at = models.DateTimeField()
    # The link works until the due time plus this; the recruiter may extend it.
    grace_hours = models.PositiveSmallIntegerField(default=48)
    link_key = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Bumped each time the recruiter sends the link again: the outbox sends each number once.
    link_number = models.PositiveSmallIntegerField(default=1)
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="interview__loop__job__organization")

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grace_hours__lte=24 * 30),
                name="exercise_grace_at_most_thirty_days",
                violation_error_message="The grace period is at most 30 days.",
            )
        ]

    def __str__(self):
        return f"Exercise of interview {self.interview_id}"

    def new_link(self) -> None:
        """A fresh random key, so a fresh link; the old one stops working."""
        self.link_key = secrets.token_hex(32)
        self.token_hash = hash_token(self.token())

    @property
    def link(self) -> str:
        """The candidate's private page, as e-mailed."""
        return settings.SITE_URL + reverse("exercises:hand-in", args=[self.token()])

    def token(self) -> str:
        return salted_hmac("exercises.link", self.link_key, algorithm="sha256").hexdigest()

    @property
    def expires_at(self):
        return self.due_at + timedelta(hours=self.grace_hours)

    def state(self) -> str:
        """Where it stands, for the recruiter: sent, opened, handed in, late, reviewed (reads
        prefetched hand-ins and the interview's scorecards)."""
        hand_ins = list(self.hand_ins.all())
        cards = [c for c in self.interview.scorecards.all() if c.archived_at is None]
        return self.state_of(
            opened=self.opened_at is not None,
            handed_in=bool(hand_ins),
            late=bool(hand_ins) and hand_ins[-1].late,
            reviewed=bool(cards) and all(card.is_submitted for card in cards),
        )

    @staticmethod
    def state_of(*, opened: bool, handed_in: bool, late: bool, reviewed: bool) -> str:
        if not handed_in:
            return "opened" if opened else "sent"
        if reviewed:
            return "reviewed"
        return "late" if late else "handed in"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


def hand_in_path(hand_in: "HandIn", filename: str) -> str:
    # Unguessable and free of the candidate's name; the original name is kept on the row.
    extension = "tar.gz" if filename.endswith(".tar.gz") else filename.rsplit(".", 1)[-1].lower()
    organization_id = hand_in.exercise.interview.loop.job.organization_id
    return f"hand-ins/{organization_id}/{uuid.uuid4().hex}.{extension}"


class HandIn(models.Model):
    """What the candidate handed in through their link; each hand-in is kept."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="hand_ins")
    repository_url = models.URLField("repository link", max_length=500, blank=True)
    file = models.FileField(upload_to=hand_in_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    late = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="exercise__interview__loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(repository_url="") | ~Q(file=""),
                name="a_hand_in_has_a_link_or_a_file",
                violation_error_message="Hand in a repository link or a file.",
            )
        ]

    def __str__(self):
        return f"Hand-in {self.pk} of exercise {self.exercise_id}"

    @property
    def kind(self) -> str:
        if not self.file:
            return ""
        return "tar.gz" if self.file.name.endswith(".tar.gz") else self.file.name.rsplit(".", 1)[-1]


class ExerciseEmail(models.Model):
    """The log of an exercise's e-mails, one row each, inserted in the transaction that sends it
    (scorecards.outbox): the candidate's link (each `number` once), the reminder before the due
    time, and the reviewers' notice of each hand-in."""

    class Kind(models.TextChoices):
        LINK = "link", "Link to the candidate"
        REMINDER = "reminder", "Reminder to the candidate"
        HANDED_IN = "handed_in", "Hand-in to the reviewers"

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField(default=1)
    sent_at = models.DateTimeField()

    objects = ScopedManager(organization="exercise__interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "kind", "number"], name="each_exercise_email_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number} of exercise {self.exercise_id}"


class Confirmation(models.Model):
    """The log of the candidate's interview confirmations, one row per e-mail, inserted in the
    transaction that sends it (scorecards.outbox): one for each `sequence` of the interview (it
    is bumped by each move, change of place and the cancellation)."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        MOVED = "moved", "Moved"
        CANCELLED = "cancelled", "Cancelled"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="confirmations")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField()

    objects = ScopedManager(organization="interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "sequence"], name="each_interview_confirmation_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} e-mail {self.sequence} of interview {self.interview_id}"
