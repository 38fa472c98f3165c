"""The figures of the insights page: one query for the ratings, then numpy."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from insights.statistics import Leniency, alpha, alpha_interval, leniency, reliability_matrix
from scorecards.models import Rating, Scorecard

# A criterion does not separate candidates when nearly every score is the same one, or when
# its panels agree no better than chance.
SAME_SCORE_SHARE = 0.9
ALPHA_NEAR_ZERO = 0.1


@dataclass
class Agreement:
    """Alpha (ordinal) of one criterion, competency or outcome, over the loops that rated it."""

    name: str
    kind: str  # "criterion", "competency" or "outcome"
    alpha: float | None
    interval: tuple[float, float] | None
    loops: int
    distribution: list[int]  # counts of the scores 1–4
    zeros: int
    ratings: int

    @property
    def zero_share(self) -> float:
        return self.zeros / self.ratings if self.ratings else 0.0

    @property
    def separates(self) -> bool:
        scored = sum(self.distribution)
        if scored and max(self.distribution) / scored >= SAME_SCORE_SHARE:
            return False
        return self.alpha is None or self.alpha > ALPHA_NEAR_ZERO

    @property
    def bars(self) -> list[tuple[int, int, int, int, int]]:
        """(score, count, x, y, height) of each bar of the chart, 40 high at most."""
        top = max(self.distribution) or 1
        heights = [round(40 * count / top) for count in self.distribution]
        return [
            (s + 1, count, 16 * s + 2, 42 - h, h)
            for s, (count, h) in enumerate(zip(self.distribution, heights, strict=True))
        ]


@dataclass
class Interviewer:
    name: str
    leniency: Leniency | None
    zeros: int
    ratings: int

    @property
    def zero_share(self) -> float:
        return self.zeros / self.ratings if self.ratings else 0.0


@dataclass
class Insights:
    agreements: list[Agreement] = field(default_factory=list)
    interviewers: list[Interviewer] = field(default_factory=list)
    loops: int = 0


def ratings_of(
    cards: QuerySet[Scorecard],
    *,
    version_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(scorecard__in=cards)
    if version_id:
        ratings = ratings.filter(scorecard__interview__loop__guide_version_id=version_id)
    if since:
        ratings = ratings.filter(scorecard__interview__starts_at__date__gte=since)
    if until:
        ratings = ratings.filter(scorecard__interview__starts_at__date__lte=until)
    return ratings


def insights(ratings: QuerySet[Rating]) -> Insights:
    rows = list(
        ratings.values_list(
            "scorecard__interview__loop_id",
            "scorecard__interviewer_id",
            "scorecard__interviewer__full_name",
            "scorecard__interviewer__email",
            "score",
            "criterion__name",
            "criterion__measures_competency__name",
            "criterion__measures_outcome__text",
        ).order_by("criterion__position", "criterion__pk")
    )
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    names, triples = {}, []
    for loop, who, full_name, email, score, criterion, competency, outcome in rows:
        names[who] = full_name or email
        groups[("criterion", criterion)].append((loop, who, score))
        if competency:
            groups[("competency", competency)].append((loop, who, score))
        if outcome:
            groups[("outcome", outcome)].append((loop, who, score))
        triples.append(((loop, criterion), who, score))
    result = Insights(loops=len({row[0] for row in rows}))
    for (kind, name), cells in groups.items():
        # A unit is one loop's rating of this criterion (or of all the criteria measuring a
        # competency): the panel's interviewers are its raters.
        matrix = reliability_matrix(_mean_per_rater(cells))
        counts = Counter(score for _, _, score in cells)
        result.agreements.append(
            Agreement(
                name=name,
                kind=kind,
                alpha=alpha(matrix),
                interval=alpha_interval(matrix),
                loops=len({loop for loop, _, score in cells if score}),
                distribution=[counts[s] for s in range(1, 5)],
                zeros=counts[0],
                ratings=len(cells),
            )
        )
    by_rater = leniency(triples)
    zeros, rated = Counter(), Counter()
    for _, who, score in triples:
        rated[who] += 1
        zeros[who] += score == 0
    result.interviewers = sorted(
        (Interviewer(names[who], by_rater.get(who), zeros[who], rated[who]) for who in rated),
        key=lambda i: i.name.lower(),
    )
    return result


def _mean_per_rater(units):
    """One value per rater and unit: a competency measured by several criteria is scored by
    each interviewer as the mean of their non-zero scores."""
    scores = defaultdict(list)
    for unit, who, score in units:  # a unit is a loop
        if score:
            scores[(unit, who)].append(score)
    return [(unit, who, round(sum(s) / len(s))) for (unit, who), s in scores.items()]
