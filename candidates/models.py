import datetime
import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager

from accounts.models import Organization, validate_single_line, validate_time_zone
from guides import placeholders
from guides.models import Guide, GuideVersion, Stage

User = settings.AUTH_USER_MODEL


class Job(models.Model):
    """An opening, running one published guide version that its loops follow."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    department = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    location = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    # Pinned: a newer published version changes nothing until someone moves the job to it.
    guide_version = models.ForeignKey(
        GuideVersion, on_delete=models.PROTECT, related_name="jobs", verbose_name="guide"
    )
    hiring_manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_jobs"
    )
    recruiter = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="recruited_jobs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


def resume_path(candidate: "Candidate", filename: str) -> str:
    # Unguessable and free of the candidate's name; the original name is kept on the row.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"resumes/{candidate.organization_id}/{uuid.uuid4().hex}.{extension}"


class Candidate(models.Model):
    """A person applying to one or more jobs of an organization."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(max_length=200, validators=[validate_single_line])
    # Stored in lower case; blank only once the candidate's data has been erased.
    email = models.EmailField("e-mail", max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_single_line])
    links = models.TextField(blank=True, help_text="One address per line: LinkedIn, GitHub, …")
    resume = models.FileField("résumé", upload_to=resume_path, blank=True, max_length=200)
    resume_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_single_line],
        help_text="Where they came from: referral, job board, …",
    )
    notes = models.TextField(blank=True)
    # Where the candidate lives, for the times of their e-mails and exercise page; blank: the
    # organization's (the form suggests it).
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Their e-mails and exercise page give times in this zone.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=~Q(email=""),
                name="one_candidate_per_email",
                violation_error_message="A candidate with this e-mail already exists.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> datetime.tzinfo:
        """The candidate's time zone, else the organization's."""
        if self.time_zone:
            try:
                return zoneinfo.ZoneInfo(self.time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        return self.organization.zone

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Loop(models.Model):
    """One candidate's interviews for one job."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        OFFER = "offer", "Offer"
        HIRED = "hired", "Hired"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Progress(models.TextChoices):
        """How far the loop has come, from its interviews (`services.with_progress`)."""

        NEW = "new", "To schedule"  # a stage of its guide has no interview yet
        SCHEDULED = "scheduled", "Scheduled"
        AWAITING_FEEDBACK = "awaiting", "Awaiting feedback"
        FEEDBACK_IN = "feedback_in", "All feedback in"
        DECIDED = "decided", "Decided"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="loops")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="loops")
    # The job's version when the loop started; a started loop keeps it when the job moves on.
    guide_version = models.ForeignKey(GuideVersion, on_delete=models.PROTECT, related_name="loops")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    rejection_reason = models.TextField(blank=True)
    # Whether the candidate is e-mailed each interview scheduled, moved or cancelled.
    confirmations = models.BooleanField(
        "e-mail the candidate interview confirmations", default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="job__organization")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "job"],
                name="one_loop_per_candidate_and_job",
                violation_error_message="This candidate is already in this job.",
            )
        ]

    def __str__(self):
        return f"{self.candidate} for {self.job}"

    def placeholder_values(self) -> dict[str, str]:
        """What fills the [placeholders] of the loop's guide: the organization's values, the
        job's title and the candidate's name."""
        job = self.job
        return placeholders.loop_values(
            job.organization, job_title=job.title, candidate=self.candidate.name
        )

    @property
    def progress_label(self) -> str:
        """The label of the `progress` that `services.with_progress` annotates."""
        return Loop.Progress(self.progress).label


class Interview(models.Model):
    """One stage of a loop at a time, with its interviewers' scorecards."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    loop = models.ForeignKey(Loop, on_delete=models.CASCADE, related_name="interviews")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="interviews")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    video_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # When it was cancelled: its interviewers then are those whose drafts were archived then.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Bumped by each change of time or place, for calendar programs (.ics SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organization="loop__job__organization")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="interview_ends_after_it_starts",
                violation_error_message="The interview must end after it starts.",
            ),
            models.UniqueConstraint(
                fields=["loop", "stage"],
                condition=Q(status="scheduled"),
                name="one_scheduled_interview_per_stage",
                violation_error_message="This stage of the loop is already scheduled.",
            ),
        ]

    def __str__(self):
        return f"{self.stage.name} with {self.loop.candidate}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def interviewers_scorecards(self) -> list:
        """The scorecards of those who interview, or were to when it was cancelled (reads
        prefetched scorecards with their interviewers)."""
        return [
            card
            for card in self.scorecards.all()
            if card.archived_at is None or card.archived_at == self.cancelled_at
        ]

    def has_feedback(self) -> bool:
        """Whether an interviewer submitted a scorecard for it (reads prefetched scorecards)."""
        return any(card.is_submitted for card in self.scorecards.all())


class Qualification(models.Model):
    """An admin's word that a member may sit on the panel of a stage of a guide, whatever
    their shadow seats (candidates.training). The stage is named, so that it holds across the
    guide's versions."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="qualifications")
    stage_name = models.CharField(max_length=300)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="qualifications")
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="guide__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "guide", Lower("stage_name"), "user", name="one_qualification_per_stage_and_user"
            )
        ]

    def __str__(self):
        return f"{self.user} qualified for {self.stage_name}"


class Activity(models.Model):
    """A line of a candidate's timeline: who did what, when.

    The text names jobs, stages, times and members, never the candidate's personal data, so
    that it can stay when that data is erased.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="activities")
    loop = models.ForeignKey(
        Loop, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "activities"

    def __str__(self):
        return self.text

    @classmethod
    def record(cls, candidate: Candidate, text: str, *, actor, loop: Loop | None = None):
        """Add a line to the candidate's timeline."""
        return cls.objects.create(
            organization_id=candidate.organization_id,
            candidate=candidate,
            loop=loop,
            actor=actor,
            text=text[:500],
        )


def packet_path(packet: "Packet", filename: str) -> str:
    # Random, so that a name seen in a log or a listing of the bucket leads nowhere.
    return f"packets/{packet.loop.job.organization_id}/{uuid.uuid4().hex}.pdf"


class Packet(models.Model):
    """A loop's candidate packet as PDF, rendered by Celery (candidates.tasks.build_packet)
    for the member who asked; it holds what they may read, so only they download it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    loop = models.ForeignKey(Loop, on_delete=models.CASCADE, related_name="packets")
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=100, blank=True)  # what the worker is doing
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)  # why it failed, for the requester
    file = models.FileField(upload_to=packet_path, blank=True, max_length=200)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # The loop's latest change when the packet read it: a later one makes the packet stale.
    content_as_of = models.DateTimeField(null=True, blank=True)
    # Whether it was rendered with the recommendations sealed (rule 3): one rendered unsealed
    # is not downloaded while the loop seals them again (reopened before the reveal).
    sealed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="loop__job__organization")

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="packet_progress_is_a_percentage"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(content_as_of__isnull=False)),
                name="a_ready_packet_has_a_file_and_a_date",
            ),
        ]

    def __str__(self):
        return f"Packet of {self.loop_id} ({self.status})"

    # A packet still working after this was lost with its worker (say, killed for memory).
    GIVEN_UP_AFTER = timedelta(minutes=15)

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def is_lost(self) -> bool:
        return self.is_working and timezone.now() - self.created_at > self.GIVEN_UP_AFTER

    def is_resealed(self, feedback) -> bool:
        """Rendered while the loop had ended, it shows the recommendations that the loop, open
        again and unrevealed, seals now (`feedback`: the member's scorecards.LoopFeedback)."""
        return feedback.sealed and not self.sealed
