from django.conf import settings
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager

from candidates.models import Job, Loop
from guides.models import DebriefQuestion, Recommendation
from scorecards.models import Scorecard

User = settings.AUTH_USER_MODEL


class Debrief(models.Model):
    """The meeting that closes a loop: ratings side by side, then the recommendations, then
    the decision. A loop has none until someone acts in it; until then it is collecting."""

    class Phase(models.TextChoices):
        COLLECTING = "collecting", "Collecting feedback"
        DISCUSSING = "discussing", "Discussing the ratings"
        REVEALED = "revealed", "Recommendations revealed"
        DECIDED = "decided", "Decided"

    class Decision(models.TextChoices):
        HIRE = "hire", "Hire"
        NO_HIRE = "no_hire", "No hire"
        MORE_INFORMATION = "more_information", "More information needed"

    loop = models.OneToOneField(Loop, on_delete=models.CASCADE, related_name="debrief")
    phase = models.CharField(max_length=12, choices=Phase.choices, default=Phase.COLLECTING)
    opened_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    revealed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    to_find_out = models.TextField("what to find out", blank=True)
    rationale = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    other_roles = models.BooleanField("consider for other roles", default=False)
    other_jobs = models.ManyToManyField(Job, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped by each change of the decision, so that a page that missed one is told so.
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(organization="loop__job__organization")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(phase="decided", decided_at__isnull=False)
                | (~Q(phase="decided") & Q(decision="")),
                name="a_decided_debrief_has_a_decision",
            ),
            models.CheckConstraint(
                condition=Q(phase__in=["collecting", "discussing"]) | Q(revealed_at__isnull=False),
                name="revealed_debriefs_have_a_date",
            ),
        ]

    def __str__(self):
        return f"Debrief of {self.loop_id}"

    @property
    def is_decided(self) -> bool:
        return self.phase == self.Phase.DECIDED

    @property
    def is_revealed(self) -> bool:
        return self.has_reached(self.Phase.REVEALED)

    def has_reached(self, phase: str) -> bool:
        """Whether the debrief is at `phase` or past it; phases only move on."""
        order = list(self.Phase)
        return order.index(self.phase) >= order.index(phase)

    def can_move_to(self, phase: str) -> bool:
        """Whether `phase` is the next one: none is skipped."""
        order = list(self.Phase)
        return order.index(phase) == order.index(self.phase) + 1

    def decision_values(self) -> dict[str, object]:
        """The decision's fields by name, as DecisionForm and DecisionAmendment hold them."""
        return {
            "decision": self.decision,
            "to_find_out": self.to_find_out,
            "rationale": self.rationale,
            "next_steps": self.next_steps,
            "other_roles": self.other_roles,
            "other_jobs": sorted(job.pk for job in self.other_jobs.all()),
        }


class DebriefNote(models.Model):
    """One participant's notes on one guiding question, shared with the others."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="notes")
    question = models.ForeignKey(DebriefQuestion, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ScopedManager(organization="debrief__loop__job__organization")

    class Meta:
        ordering = ["updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["debrief", "question", "author"], name="one_note_per_author_and_question"
            )
        ]

    def __str__(self):
        return self.text[:50]


class RecommendationChange(models.Model):
    """An interviewer's recommendation changed in the debrief; their scorecard keeps what they
    submitted on their own."""

    debrief = models.ForeignKey(
        Debrief, on_delete=models.CASCADE, related_name="recommendation_changes"
    )
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="recommendation_changes"
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    before = models.PositiveSmallIntegerField(choices=Recommendation.choices)
    after = models.PositiveSmallIntegerField(choices=Recommendation.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="debrief__loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_before_display()} → {self.get_after_display()}"


class DecisionAmendment(models.Model):
    """An audit event: a change to a decided debrief, with the fields it changed."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    objects = ScopedManager(organization="debrief__loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} amended the decision of {self.debrief_id}"

    def changes(self, jobs: dict[int, str]) -> list[tuple[str, str, str]]:
        """What changed, in words: (field, before, after); `jobs` names the jobs by pk."""
        return [
            (
                str(Debrief._meta.get_field(name).verbose_name).capitalize(),
                _shown(name, self.before.get(name), jobs),
                _shown(name, after, jobs),
            )
            for name, after in self.after.items()
        ]


def _shown(name: str, value, jobs: dict[int, str]) -> str:
    """A decision field's value in words."""
    if name == "decision":
        return Debrief.Decision(value).label if value else "(none)"
    if name == "other_roles":
        return "Yes" if value else "No"
    if name == "other_jobs":
        return ", ".join(jobs.get(pk, "a job since removed") for pk in value) or "(none)"
    return value or "(empty)"
