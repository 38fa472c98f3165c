from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django_scopes import ScopedManager

from accounts.models import validate_single_line
from candidates.models import Loop
from guides.models import Criterion, Rated, ReferenceQuestion
from scorecards.models import Sheet

User = settings.AUTH_USER_MODEL


class ReferenceCheck(Sheet):
    """A call with one reference of a loop's candidate: who they are, what they said, how
    they rate the candidate on the guide's reference criteria, and whether they would hire
    them again. Its values() are keyed by the field names of references.forms.CallForm."""

    OWN = ("rehire_score", "rehire_reason")
    TEXTS = ("answer", "answers")

    loop = models.ForeignKey(Loop, on_delete=models.CASCADE, related_name="reference_checks")
    name = models.CharField(max_length=200, validators=[validate_single_line])
    relationship = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="Their manager, a peer, someone they led, …",
    )
    company = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    contact = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="E-mail or phone number.",
    )
    worked_together = models.CharField(
        "how long they worked together",
        max_length=100,
        blank=True,
        validators=[validate_single_line],
    )
    rehire_score = models.PositiveSmallIntegerField(
        "would hire again (1–10)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    rehire_reason = models.TextField("why", blank=True)
    called_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every save, as a scorecard's is (see scorecards.views.scorecard_field).
    revision = models.PositiveIntegerField(default=0)

    objects = ScopedManager(organization="loop__job__organization")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rehire_score__isnull=True)
                | Q(rehire_score__gte=1, rehire_score__lte=10),
                name="rehire_scores_from_1_to_10",
            )
        ]

    def __str__(self):
        return self.name


class ReferenceAnswer(models.Model):
    """What the reference said to one of the guide's reference questions."""

    reference = models.ForeignKey(ReferenceCheck, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ReferenceQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)

    objects = ScopedManager(organization="reference__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "question"], name="one_answer_per_reference_question"
            )
        ]

    def __str__(self):
        return self.text[:50]


class ReferenceRating(Rated):
    """The reference's account on one of the guide's reference criteria, scored 0–4."""

    reference = models.ForeignKey(ReferenceCheck, on_delete=models.CASCADE, related_name="ratings")

    objects = ScopedManager(organization="reference__loop__job__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "criterion"], name="one_reference_rating_per_criterion"
            ),
            Rated.score_check("reference_scores_from_0_to_4"),
        ]


# The summary, for the loop page, the reference calls and the debrief


# A score with its anchor and note as a tooltip: built here rather than in the template, where
# the cells of every reference × criterion were most of the page's template nodes.
NO_SCORE_CELL = '<td class="muted">–</td>'
NOTE_SHOWN = 200  # characters of a note in its tooltip


@dataclass
class SummaryRow:
    criterion: Criterion
    ratings: list[ReferenceRating | None]  # one per reference, in order
    number: int = 1  # its place in the summary, from 1

    def cells(self) -> SafeString:
        """One cell per reference: the score, its anchor and the note, or a dash."""
        cells = []
        for column, rating in enumerate(self.ratings, start=1):
            if rating is None or rating.score is None:
                cells.append(NO_SCORE_CELL)
                continue
            tip = f"ref-tip-{self.number}-{column}"
            note = rating.note
            if len(note) > NOTE_SHOWN:
                note = Truncator(note).chars(NOTE_SHOWN)
            cells.append(
                f'<td class="cell" tabindex="0" aria-describedby="{tip}">'
                f'<span class="score{"" if rating.score else " no-score"}">{rating.score}</span>'
                f'<span class="tip" role="tooltip" id="{tip}">{escape(rating.anchor_text)}'
                f"{f'<br><em>{escape(note)}</em>' if note else ''}</span></td>"
            )
        return mark_safe("".join(cells))  # noqa: S308 - the texts went through escape()


@dataclass
class Summary:
    checks: list[ReferenceCheck]
    rows: list[SummaryRow]

    def __bool__(self):
        return bool(self.checks)


def reference_summary(loop: Loop) -> Summary:
    """The loop's references side by side: each reference criterion's scores, the "would hire
    again" and the answers. Four queries, however many references and criteria."""
    org = {"loop__job__organization": loop.job.organization_id}
    checks = list(
        ReferenceCheck.objects.filter(loop=loop, **org)
        .select_related("called_by")
        .prefetch_related(
            Prefetch("ratings", queryset=ReferenceRating.objects.select_related("criterion")),
            Prefetch(
                "answers",
                queryset=ReferenceAnswer.objects.select_related("question").order_by(
                    "question__position", "question__pk"
                ),
            ),
        )
    )
    if not checks:
        return Summary([], [])
    criteria = Criterion.objects.filter(version=loop.guide_version_id, stage__isnull=True)
    by_check = [{r.criterion_id: r for r in check.ratings.all()} for check in checks]
    rows = [
        SummaryRow(criterion, [ratings.get(criterion.pk) for ratings in by_check], number)
        for number, criterion in enumerate(criteria, start=1)
    ]
    return Summary(checks, rows)
