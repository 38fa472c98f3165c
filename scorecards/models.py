from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_scopes import ScopedManager

from candidates.models import Interview
from guides.models import Criterion, Question, Recommendation


class Scorecard(models.Model):
    """One interviewer's feedback on one interview; its existence is their assignment to it.

    A cancelled interview or a swapped-out interviewer leaves the draft archived, not deleted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.PositiveSmallIntegerField(
        choices=Recommendation.choices, null=True, blank=True
    )
    summary = models.TextField(blank=True)
    due_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="interview__loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"],
                condition=Q(archived_at__isnull=True),
                name="one_scorecard_per_interviewer_and_interview",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_scorecards_have_a_date",
            ),
        ]
        indexes = [models.Index(fields=["interviewer", "status", "due_at"])]

    def __str__(self):
        return f"{self.interviewer} on {self.interview_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def overdue_by(self, now=None):
        """How long past due a draft is, or None."""
        now = now or timezone.now()
        if self.is_submitted or self.due_at > now:
            return None
        return now - self.due_at


class Rating(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    note = models.TextField(blank=True)

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="one_rating_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=4),
                name="scores_from_0_to_4",
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"


class QuestionNote(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="question_notes"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    objects = ScopedManager(organization="scorecard__interview__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "question"], name="one_note_per_question")
        ]

    def __str__(self):
        return self.text[:50]
