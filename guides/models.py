from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django_scopes import ScopedManager

from accounts.models import Organization, validate_single_line


class Guide(models.Model):
    """An interview guide of one organization; what it says lives in its versions."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="guides")
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every change to any of its versions: the guide list's "last edited".
    edited_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(organization="organization")

    def __str__(self):
        return f"Guide {self.pk}"


class GuideVersion(models.Model):
    """One version of a guide. A draft changes in place; a published version never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many [placeholders] nothing filled when it was published: marked wherever it is run.
    unfilled_placeholders = models.PositiveIntegerField(default=0)
    # What the text importer read and could not place, kept to show beside the draft.
    import_report = models.JSONField(default=dict, blank=True)

    title = models.CharField(max_length=300, validators=[validate_single_line])
    introduction = models.TextField(blank=True)
    how_to_use = models.TextField("how to use this guide", blank=True)
    # The job description.
    about_company = models.TextField("about the company", blank=True)
    role_summary = models.TextField("the role", blank=True)
    responsibilities = models.TextField("key responsibilities", blank=True)
    requirements = models.TextField("what we're looking for", blank=True)
    why_join = models.TextField("why join", blank=True)
    hiring_process = models.TextField("hiring process", blank=True)
    # The ideal candidate profile; competencies and outcomes are rows of their own.
    role_overview = models.TextField(blank=True)
    ideal_traits = models.TextField("ideal candidate traits", blank=True)
    debrief_directions = models.TextField("directions for the debrief", blank=True)
    reference_directions = models.TextField("directions for reference calls", blank=True)
    reference_preparation = models.TextField("preparation for reference calls", blank=True)

    objects = ScopedManager(organization="guide__organization")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="guide_version_number"),
            models.UniqueConstraint(
                fields=["guide"], condition=Q(status="draft"), name="one_draft_per_guide"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="published_versions_have_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Ordered(models.Model):
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class Competency(Ordered):
    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(max_length=300, validators=[validate_single_line])
    description = models.TextField(blank=True)

    objects = ScopedManager(organization="version__guide__organization")

    class Meta(Ordered.Meta):
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                "version",
                Lower("name"),
                name="competency_names_differ_in_a_version",
                violation_error_message="This guide already has a competency of that name.",
            )
        ]

    def __str__(self):
        return self.name


class Outcome(Ordered):
    """A desired outcome of the ideal candidate profile."""

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()

    objects = ScopedManager(organization="version__guide__organization")

    def __str__(self):
        return self.text


class Stage(Ordered):
    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        TAKE_HOME = "take_home", "Take-home exercise"

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=300, validators=[validate_single_line])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INTERVIEW)
    duration_minutes = models.PositiveSmallIntegerField(
        "minutes",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text="How long it takes, at most a day.",
    )
    interviewer_directions = models.TextField("directions for the interviewer", blank=True)
    candidate_directions = models.TextField("directions to share with the candidate", blank=True)
    exercise = models.TextField(blank=True)
    evaluation_criteria = models.TextField(blank=True)

    objects = ScopedManager(organization="version__guide__organization")

    class Meta(Ordered.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gte=1, duration_minutes__lte=1440),
                name="stage_duration_within_a_day",
                violation_error_message="A stage lasts from 1 minute to a day.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_take_home(self) -> bool:
        return self.kind == self.Kind.TAKE_HOME


class Question(Ordered):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    competencies = models.ManyToManyField(Competency, blank=True, related_name="questions")

    objects = ScopedManager(organization="stage__version__guide__organization")

    def __str__(self):
        return self.text

    def areas(self) -> list["QuestionPoint"]:
        return [p for p in self.points.all() if p.kind == QuestionPoint.Kind.AREA]

    def follow_ups(self) -> list["QuestionPoint"]:
        return [p for p in self.points.all() if p.kind == QuestionPoint.Kind.FOLLOW_UP]


class QuestionPoint(Ordered):
    """An area to cover or a follow-up question of a question."""

    class Kind(models.TextChoices):
        AREA = "area", "Area to cover"
        FOLLOW_UP = "follow_up", "Follow-up question"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()

    objects = ScopedManager(organization="question__stage__version__guide__organization")

    def __str__(self):
        return self.text


NOT_ENOUGH_INFORMATION = "Not enough information gathered to evaluate"


class Criterion(Ordered):
    """A line of a scorecard: a stage's when `stage` is set, else the reference calls'."""

    SCORES = range(5)

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="criteria")
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(max_length=300, validators=[validate_single_line])
    description = models.TextField(blank=True)
    anchor_0 = models.TextField("0", blank=True, default=NOT_ENOUGH_INFORMATION)
    anchor_1 = models.TextField("1", blank=True)
    anchor_2 = models.TextField("2", blank=True)
    anchor_3 = models.TextField("3", blank=True)
    anchor_4 = models.TextField("4", blank=True)
    # What it measures: one competency or one desired outcome of its version, or nothing.
    measures_competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="criteria"
    )
    measures_outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="criteria"
    )

    objects = ScopedManager(organization="version__guide__organization")

    class Meta(Ordered.Meta):
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(measures_competency__isnull=True) | Q(measures_outcome__isnull=True),
                name="criterion_measures_at_most_one_thing",
                violation_error_message=(
                    "A criterion measures a competency or an outcome, not both."
                ),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def measures(self) -> "Competency | Outcome | None":
        """The competency or desired outcome it measures, if any."""
        return self.measures_competency or self.measures_outcome

    def anchor(self, score: int) -> str:
        """The anchor text of a score from 0 to 4."""
        if score not in self.SCORES:
            raise ValueError(f"A score is 0 to 4, not {score!r}.")
        return getattr(self, f"anchor_{score}")

    def anchors(self) -> list[tuple[int, str]]:
        return [(score, self.anchor(score)) for score in self.SCORES]


class Rated(models.Model):
    """A score of 0–4 on one criterion, with a note: the base of a scorecard's ratings and a
    reference call's. Each keeps its own check constraint's name (`score_check`)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"

    @staticmethod
    def score_check(name: str) -> models.CheckConstraint:
        """The score is empty or 0 to 4, under the constraint's `name`."""
        return models.CheckConstraint(
            condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=4), name=name
        )

    @property
    def anchor_text(self) -> str:
        return "" if self.score is None else self.criterion.anchor(self.score)


class GuidingQuestion(Ordered):
    """A question with guidance for the one who asks it: the debrief's and the reference
    calls'."""

    text = models.TextField()
    guidance = models.TextField(blank=True)

    objects = ScopedManager(organization="version__guide__organization")

    class Meta(Ordered.Meta):
        abstract = True

    def __str__(self):
        return self.text


class DebriefQuestion(GuidingQuestion):
    version = models.ForeignKey(
        GuideVersion, on_delete=models.CASCADE, related_name="debrief_questions"
    )


class ReferenceQuestion(GuidingQuestion):
    version = models.ForeignKey(
        GuideVersion, on_delete=models.CASCADE, related_name="reference_questions"
    )


class FaqEntry(Ordered):
    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="faq")
    question = models.TextField()
    answer = models.TextField(blank=True)

    objects = ScopedManager(organization="version__guide__organization")

    class Meta(Ordered.Meta):
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question


class Recommendation(models.IntegerChoices):
    """The overall hiring recommendation that closes every stage's scorecard."""

    STRONG_NO_HIRE = 1, "Strong No Hire"
    NO_HIRE = 2, "No Hire"
    HIRE = 3, "Hire"
    STRONG_HIRE = 4, "Strong Hire"
