"""The debrief's ratings side by side: per stage, its interviewers × its criteria; across
stages, the criteria that several stages share; the criteria with the widest spread first."""

from dataclasses import dataclass, field

from guides.models import Criterion
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

    @property
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


def across_stages(cards: list[Scorecard]) -> Table | None:
    """The criteria that more than one stage scores (by name), with every interviewer as a
    column: the same competency seen from several interviews."""
    stages_of: dict[str, set[int]] = {}
    names: dict[str, Criterion] = {}
    for card in cards:
        for rating in card.ratings.all():
            key = _key(rating.criterion)
            stages_of.setdefault(key, set()).add(card.interview.stage_id)
            names.setdefault(key, rating.criterion)
    shared = [key for key, stages in stages_of.items() if len(stages) > 1]
    if not shared:
        return None
    ratings = {
        (card.pk, _key(rating.criterion)): rating for card in cards for rating in card.ratings.all()
    }
    rows = [
        Row(
            names[key].name,
            names[key].description,
            [Cell(card, ratings.get((card.pk, key))) for card in cards],
            position=position,
        )
        for position, key in enumerate(shared)
    ]
    return Table("Across stages", cards, _ordered(rows))
