"""The debrief's ratings side by side: per stage, its interviewers × its criteria; across
stages, a row per competency and desired outcome of the guide (from every criterion that
measures it), then the criteria that measure nothing; the criteria with the widest spread
first in the stages' tables."""

from dataclasses import dataclass, field
from functools import cached_property
from statistics import mean

from django.utils.text import slugify

from guides.models import Criterion, GuideVersion
from scorecards.models import Rating, Scorecard

# A spread of this much between two interviewers' scores is a disagreement worth discussing.
DISAGREEMENT = 2


@dataclass
class Cell:
    card: Scorecard
    rating: Rating | None  # None: this interviewer's stage has no such criterion


@dataclass
class Row:
    name: str
    description: str
    cells: list[Cell]
    position: int = 0

    @cached_property
    def spread(self) -> int | None:
        """The highest score less the lowest; a 0 (not enough information) is no score."""
        scores = [c.rating.score for c in self.cells if c.rating is not None and c.rating.score]
        return max(scores) - min(scores) if len(scores) > 1 else None

    @property
    def disagree(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT


@dataclass
class Table:
    title: str
    cards: list[Scorecard]  # the columns
    rows: list[Row] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(row.disagree for row in self.rows)

    @property
    def slug(self) -> str:
        return slugify(self.title)


def _key(criterion: Criterion) -> str:
    return " ".join(criterion.name.split()).casefold()


def _ordered(rows: list[Row]) -> list[Row]:
    """Disagreements first, the widest first; then the guide's order."""
    return sorted(rows, key=lambda row: (not row.disagree, -(row.spread or 0), row.position))


def stage_tables(cards: list[Scorecard]) -> list[Table]:
    """One table per stage, from submitted scorecards as `with_contents` loads them."""
    by_stage: dict[int, list[Scorecard]] = {}
    for card in cards:
        by_stage.setdefault(card.interview.stage_id, []).append(card)
    tables = []
    for stage_cards in by_stage.values():
        criteria: dict[int, Criterion] = {}
        for card in stage_cards:
            for rating in card.ratings.all():
                criteria.setdefault(rating.criterion_id, rating.criterion)
        ratings = {
            (card.pk, rating.criterion_id): rating
            for card in stage_cards
            for rating in card.ratings.all()
        }
        rows = [
            Row(
                name=criterion.name,
                description=criterion.description,
                cells=[Cell(card, ratings.get((card.pk, criterion.pk))) for card in stage_cards],
                position=criterion.position,
            )
            for criterion in sorted(criteria.values(), key=lambda c: (c.position, c.pk))
        ]
        tables.append(Table(stage_cards[0].interview.stage.name, stage_cards, _ordered(rows)))
    return tables


@dataclass
class GroupedCell:
    card: Scorecard
    ratings: list[Rating]  # this interviewer's ratings on the row's criteria; none: a gap


@dataclass
class GroupedRow:
    kind: str  # "competency", "outcome" or "criterion" (one that measures nothing)
    name: str
    description: str
    cells: list[GroupedCell]
    anchor: str = ""  # the element id of its definition in the guide, if any
    # How well the job's panels agree on it, where the reader may see that
    # (insights.reports.with_job_agreement): an insights Agreement, None with too few loops.
    agreement: object = None
    agreement_loops: int = 0

    @cached_property
    def scores(self) -> list[int]:
        """The row's scores 1–4; a 0 (not enough information) is missing data."""
        return [r.score for c in self.cells for r in c.ratings if r.score]

    @cached_property
    def mean(self) -> float | None:
        return round(mean(self.scores), 1) if self.scores else None

    @cached_property
    def spread(self) -> int | None:
        scores = self.scores
        return max(scores) - min(scores) if len(scores) > 1 else None

    @property
    def disagree(self) -> bool:
        return (self.spread or 0) >= DISAGREEMENT


@dataclass
class GroupedTable:
    title: str
    cards: list[Scorecard]
    rows: list[GroupedRow] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return sum(row.disagree for row in self.rows)


def _measured_key(criterion: Criterion) -> tuple[str, object]:
    if criterion.measures_competency_id:
        return ("competency", criterion.measures_competency_id)
    if criterion.measures_outcome_id:
        return ("outcome", criterion.measures_outcome_id)
    return ("criterion", _key(criterion))


def grouped(cards: list[Scorecard], version: GuideVersion) -> GroupedTable:
    """A row per competency and per desired outcome of `version` (its `competencies` and
    `outcomes` prefetched, or two queries), each cell an interviewer's scores on the criteria
    that measure it; then the criteria that measure nothing, one row per name."""
    by_key: dict[tuple, dict[int, list[Rating]]] = {}
    unmeasured: dict[str, Criterion] = {}
    for card in cards:
        for rating in card.ratings.all():
            key = _measured_key(rating.criterion)
            by_key.setdefault(key, {}).setdefault(card.pk, []).append(rating)
            if key[0] == "criterion":
                unmeasured.setdefault(key[1], rating.criterion)

    def row(kind, key, name, description="", anchor=""):
        found = by_key.get((kind, key), {})
        cells = [GroupedCell(card, found.get(card.pk, [])) for card in cards]
        return GroupedRow(kind, name, description, cells, anchor)

    rows = [
        row("competency", c.pk, c.name, c.description, f"competency-{c.pk}")
        for c in version.competencies.all()
    ]
    rows += [row("outcome", o.pk, o.text, anchor=f"outcome-{o.pk}") for o in version.outcomes.all()]
    rows += [row("criterion", key, c.name, c.description) for key, c in unmeasured.items()]
    return GroupedTable("Across stages", cards, rows)
