"""A job's candidates side by side: for each loop, the mean of its submitted scores per
competency and desired outcome (grouped as the debrief groups them, `matrix.grouped`), its
recommendations, decision and status.

What the viewer reads is what they would read in each loop's debrief: nothing of a loop in
which they still owe feedback (rule 2), and no one else's recommendation until that loop's
debrief has revealed them (rule 3).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from accounts.models import Membership
from candidates.models import Loop
from debriefs import matrix
from debriefs.models import Debrief, RecommendationChange
from guides.models import Recommendation
from scorecards.models import Scorecard
from scorecards.visibility import readable_scorecards, seal, sealed, with_contents

MOST = 5  # candidates compared at once: more no longer fit side by side


class CompareRefused(ValueError):
    """A choice of candidates that cannot be compared; the message says why."""


@dataclass
class Column:
    loop: Loop
    yours_first: bool  # the viewer owes feedback in this loop: nothing of it is shown
    sealed: bool  # the others' recommendations wait for this loop's debrief to reveal them
    cards: list[Scorecard] = field(default_factory=list)
    debrief: Debrief | None = None

    @property
    def recommendations(self) -> list[tuple[int, str, int]]:
        """(value, label, how many) of the recommendations the viewer may read, as they stand
        after the debrief's changes."""
        counts = Counter(card.current for card in self.cards if card.current)
        return [(value, label, counts[value]) for value, label in Recommendation.choices]

    @property
    def sealed_count(self) -> int:
        return sum(1 for card in self.cards if getattr(card, "recommendation_sealed", False))

    @property
    def decision(self) -> str:
        debrief = self.debrief
        return debrief.get_decision_display() if debrief and debrief.is_decided else ""


@dataclass
class Mean:
    value: float | None  # the mean of the scores 1–4 (a 0 is missing data); None: no score
    hidden: bool = False  # the viewer owes feedback in that loop (rule 2)


@dataclass
class Line:
    kind: str  # "competency", "outcome" or "criterion", as in matrix.GroupedRow
    name: str
    means: list[Mean]  # one a column


def chosen(loop_ids: list[str]) -> list[int]:
    """The loop ids picked on the form, in the order given; refused when malformed or more
    than MOST."""
    picked = []
    for raw in loop_ids:
        if not raw.isdigit():
            raise CompareRefused("Pick candidates from the list.")
        if int(raw) not in picked:
            picked.append(int(raw))
    if len(picked) > MOST:
        raise CompareRefused(
            f"Compare at most {MOST} candidates at once: you picked {len(picked)}. "
            "Leave some out and compare again."
        )
    return picked


def compare(membership: Membership, loops: list[Loop]) -> tuple[list[Column], list[Line]]:
    """`loops` (of one job, with `candidate` and `guide_version`) side by side, as
    `membership` may read them."""
    ids = [loop.pk for loop in loops]
    owed = set(
        Scorecard.objects.filter(
            interview__loop__job__organization=membership.organization,
            interview__loop__in=ids,
            interviewer_id=membership.user_id,
            status=Scorecard.Status.DRAFT,
            archived_at__isnull=True,
        ).values_list("interview__loop", flat=True)
    )
    debriefs = {d.loop_id: d for d in Debrief.objects.filter(loop__in=ids)}
    columns = [
        Column(
            loop=loop,
            yours_first=loop.pk in owed,
            sealed=sealed(loop, debriefs[loop.pk].phase if loop.pk in debriefs else None),
            debrief=debriefs.get(loop.pk),
        )
        for loop in loops
    ]
    shown = {column.loop.pk: column for column in columns if not column.yours_first}
    cards = readable_scorecards(membership).filter(
        interview__loop__in=list(shown), status=Scorecard.Status.SUBMITTED
    )
    cards = list(with_contents(cards).order_by("interview__starts_at", "pk"))
    latest = _changed_recommendations([c for c in shown.values() if not c.sealed])
    # A shadow's card is never counted: the means and recommendations are the panels'.
    cards = [card for card in cards if not card.is_shadow]
    for card in cards:
        card.current = latest.get(card.pk, card.recommendation)
        shown[card.interview.loop_id].cards.append(card)
    for column in shown.values():
        if column.sealed:
            seal(column.cards, membership)
            for card in column.cards:
                card.current = card.recommendation
    return columns, _lines(columns)


def _changed_recommendations(columns: list[Column]) -> dict[int, int]:
    """The last recommendation each scorecard was changed to in its debrief, where revealed."""
    debriefs = [column.debrief.pk for column in columns if column.debrief]
    if not debriefs:
        return {}
    changes = RecommendationChange.objects.filter(debrief__in=debriefs).order_by("created_at", "pk")
    return dict(changes.values_list("scorecard_id", "after"))


def _lines(columns: list[Column]) -> list[Line]:
    """A line per competency, desired outcome and unmeasured criterion met in any column,
    matched by name across guide versions, in the order the columns' guides give them."""
    versions = [column.loop.guide_version for column in columns]
    prefetch_related_objects(versions, "competencies", "outcomes")
    lines: dict[tuple[str, str], Line] = {}
    for index, column in enumerate(columns):
        table = matrix.grouped(column.cards, column.loop.guide_version)
        for row in table.rows:
            key = (row.kind, " ".join(row.name.split()).casefold())
            blank = [Mean(None, c.yours_first) for c in columns]
            line = lines.setdefault(key, Line(row.kind, row.name, blank))
            if not column.yours_first:
                line.means[index] = Mean(row.mean)
    order = {"competency": 0, "outcome": 1, "criterion": 2}
    return sorted(lines.values(), key=lambda line: order[line.kind])
