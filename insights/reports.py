"""The figures of the insights page: a query for the ratings and one for the scorecards,
then numpy; kept in the cache until what they count changes (`insights_for`)."""

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)

from accounts.access import Action, Reach, reach
from accounts.models import Membership
from candidates.models import Interview, Job, Loop
from debriefs.matrix import GroupedTable
from debriefs.models import Debrief, RecommendationChange
from guides.models import Recommendation
from insights.access import counted_for, jobs_of, owed_loops
from insights.changes import generation
from insights.statistics import Leniency, alpha, alpha_interval, leniency, reliability_matrix
from scorecards.models import Rating, Scorecard

# A criterion does not separate candidates when nearly every score is the same one, or when
# its panels agree no better than chance.
SAME_SCORE_SHARE = 0.9
ALPHA_NEAR_ZERO = 0.1
# Below this many loops an alpha, its interval or that flag says too little to go by.
FEW_LOOPS = 5


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
        """False when it clearly does not; with fewer than FEW_LOOPS loops there is no telling."""
        if self.loops < FEW_LOOPS:
            return True
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
    """One interviewer's figures: how they score, and how they hand in and decide."""

    name: str
    leniency: Leniency | None
    zeros: int
    ratings: int
    cards: int = 0
    hours_to_submit: float | None = None  # median, from the interview's end
    overdue: int = 0  # cards submitted after they fell due
    decided: int = 0  # cards of decided loops (hire or no hire) with a recommendation
    matched: int = 0  # of those, the recommendation's side was the decision's
    debriefed: int = 0  # cards of loops whose debrief revealed the recommendations
    changed: int = 0  # of those, the recommendation was changed in the debrief

    @property
    def zero_share(self) -> float:
        return self.zeros / self.ratings if self.ratings else 0.0

    @property
    def overdue_share(self) -> float | None:
        return self.overdue / self.cards if self.cards else None

    @property
    def match_share(self) -> float | None:
        return self.matched / self.decided if self.decided else None

    @property
    def change_share(self) -> float | None:
        return self.changed / self.debriefed if self.debriefed else None


@dataclass
class StageFigures:
    """How loops fare at one stage (stages of the same name are one, across guides)."""

    name: str
    position: int
    loops: int  # loops with a counted scorecard at this stage
    settled: int  # of those, the loops that went on past it or ended
    went_on: int  # of those, the loops that went on to a later stage, or to an offer or a hire
    days_to_decision: float | None  # median, from the stage's interview to the decision
    decided: int  # loops decided, that the median counts

    @property
    def pass_through(self) -> float | None:
        return self.went_on / self.settled if self.settled else None


@dataclass
class Insights:
    agreements: list[Agreement] = field(default_factory=list)
    interviewers: list[Interviewer] = field(default_factory=list)
    stages: list[StageFigures] = field(default_factory=list)
    loops: int = 0
    key: str = ""  # its cache key (insights_for), which anything made from it can extend

    def agreement_of(self, kind: str, name: str) -> Agreement | None:
        """The agreement on a competency, outcome or criterion, by its kind and name."""
        return next((a for a in self.agreements if a.kind == kind and _same(a.name, name)), None)


def _same(one: str, other: str) -> bool:
    """Whether two names are the same but for case and spacing."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def filtered(
    cards: QuerySet[Scorecard],
    *,
    version_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Scorecard]:
    """The counted scorecards of one guide version, of interviews held in a date range."""
    if version_id:
        cards = cards.filter(interview__loop__guide_version_id=version_id)
    if since:
        cards = cards.filter(interview__starts_at__date__gte=since)
    if until:
        cards = cards.filter(interview__starts_at__date__lte=until)
    return cards


# Figures are kept this long at most: their key changes whenever a row they read is saved
# (insights.changes); what it leaves out (a renamed interviewer, a bulk write) shows within it.
CACHE_SECONDS = 600


def _key(membership: Membership, part: str, owed: list[int], *filters) -> str:
    """A cache key for figures over what `membership` counts: the organization, what is asked
    (`part`, `filters`), the loops the member still owes feedback in (so that the cards rule 2
    leaves them are named by the key: two viewers share figures only when they count the same
    cards), and when the organization's counted data last changed."""
    asked = repr((part, filters, owed)).encode()
    return (
        f"insights:{membership.organization_id}:"
        f"{hashlib.blake2b(asked, digest_size=16).hexdigest()}:"
        f"{generation(membership.organization_id)}"
    )


def _cached(key: str, compute):
    """`compute()`, or what it answered before under the same key."""
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        figures.key = key
        cache.set(key, figures, CACHE_SECONDS)
    return figures


@dataclass
class Counted:
    """What a viewer counts (insights_for's arguments), named by its cache key; the figures read
    or worked out only when asked for, so that what is kept beside them under the same key (the
    insights page's HTML) can be read without them."""

    key: str
    cards: Callable[[], QuerySet[Scorecard]]
    agreement_only: bool

    def figures(self) -> Insights:
        return _cached(self.key, lambda: insights(self.cards(), agreement_only=self.agreement_only))


def counted(
    membership: Membership,
    *,
    jobs: list[Job] | None = None,
    version_id: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    agreement_only: bool = False,
) -> Counted:
    """What `membership` may count (insights.access.counted_for) of `jobs` (the member's insight
    jobs by default) in a guide version and a date range: one query. The figures are a function
    of the counted cards alone, and the key names those cards: no viewer is shown a figure over
    a card that rule 2 keeps from them."""
    if jobs is None:
        scope = reach(membership, Action.READ_INSIGHTS)
        asked = ("jobs of", scope, membership.user_id if scope == Reach.OWN_JOBS else None)
        jobs = jobs_of(membership)
    else:
        asked = ("jobs", sorted(job.pk for job in jobs))
    owed = owed_loops(membership, jobs)
    part = "agreement" if agreement_only else "all"
    return Counted(
        key=_key(membership, part, owed, asked, version_id, since, until),
        cards=lambda: filtered(
            counted_for(membership, jobs=jobs, owed=owed),
            version_id=version_id,
            since=since,
            until=until,
        ),
        agreement_only=agreement_only,
    )


def insights_for(membership: Membership, **asked) -> Insights:
    """The insights over what `membership` counts (counted's arguments): the cached entry point
    of every page but the insights page's. A hit costs one query and two cache round trips."""
    return counted(membership, **asked).figures()


def insights(cards: QuerySet[Scorecard], *, agreement_only: bool = False) -> Insights:
    """Every figure over `cards` (counted scorecards, as insights.access gives them): two
    queries, whatever their number, then numpy. `agreement_only` skips what the debrief's
    column does not show."""
    # From the cards to their ratings, so that the cards' own filters (a job) lead the plan:
    # the ratings' side first read every rating of the organization.
    rows = list(
        cards.filter(ratings__isnull=False)
        .values_list(
            "interview__loop_id",
            "interviewer_id",
            "ratings__score",
            "ratings__criterion__name",
            "ratings__criterion__measures_competency__name",
            "ratings__criterion__measures_outcome__text",
        )
        .order_by("ratings__criterion__position", "ratings__criterion__pk")
    )
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    triples = []
    for loop, who, score, criterion, competency, outcome in rows:
        # A criterion named as the competency or outcome it measures has that row only.
        if not _same(criterion, competency or outcome or ""):
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
        loops = len({loop for loop, _, score in cells if score})
        result.agreements.append(
            Agreement(
                name=name,
                kind=kind,
                alpha=alpha(matrix),
                interval=None if agreement_only or loops < FEW_LOOPS else alpha_interval(matrix),
                loops=loops,
                distribution=[counts[s] for s in range(1, 5)],
                zeros=counts[0],
                ratings=len(cells),
            )
        )
    order = {"competency": 0, "outcome": 1, "criterion": 2}
    result.agreements.sort(key=lambda a: order[a.kind])  # stable: the guide's order within
    if agreement_only:
        return result
    card_rows = _card_rows(cards)
    people = _interviewers(card_rows, triples)
    result.interviewers = sorted(people, key=lambda i: i.name.lower())
    result.stages = _stages(card_rows)
    return result


def _card_rows(cards: QuerySet[Scorecard]) -> list[dict]:
    """What each counted scorecard says of its interview, its loop and its debrief."""
    last_stage = (
        Interview.objects.filter(
            loop=OuterRef("interview__loop"), status=Interview.Status.SCHEDULED
        )
        .order_by("-stage__position")
        .values("stage__position")[:1]
    )
    changed = RecommendationChange.objects.filter(scorecard=OuterRef("pk"))
    return list(
        cards.annotate(last_position=Subquery(last_stage), changed=Exists(changed)).values(
            "interviewer_id",
            "interviewer__full_name",
            "interviewer__email",
            "interview__loop_id",
            "interview__loop__status",
            "interview__stage__name",
            "interview__stage__position",
            "interview__ends_at",
            "submitted_at",
            "due_at",
            "recommendation",
            "interview__loop__debrief__phase",
            "interview__loop__debrief__decision",
            "interview__loop__debrief__decided_at",
            "last_position",
            "changed",
        )
    )


HIRE_SIDE = {Recommendation.HIRE, Recommendation.STRONG_HIRE}
REVEALED = {Debrief.Phase.REVEALED, Debrief.Phase.DECIDED}


def _interviewers(card_rows: list[dict], triples) -> list[Interviewer]:
    by_rater = leniency(triples)
    zeros, rated = Counter(), Counter()
    for _, who, score in triples:
        rated[who] += 1
        zeros[who] += score == 0
    people: dict[int, Interviewer] = {}
    hours: dict[int, list[float]] = defaultdict(list)
    for row in card_rows:
        who = row["interviewer_id"]
        person = people.get(who)
        if person is None:
            name = row["interviewer__full_name"] or row["interviewer__email"]
            person = people[who] = Interviewer(name, by_rater.get(who), zeros[who], rated[who])
        person.cards += 1
        waited = (row["submitted_at"] - row["interview__ends_at"]).total_seconds() / 3600
        hours[who].append(max(waited, 0.0))
        person.overdue += row["submitted_at"] > row["due_at"]
        decision = row["interview__loop__debrief__decision"]
        if decision in (Debrief.Decision.HIRE, Debrief.Decision.NO_HIRE) and row["recommendation"]:
            person.decided += 1
            hired = decision == Debrief.Decision.HIRE
            person.matched += (row["recommendation"] in HIRE_SIDE) == hired
        if row["interview__loop__debrief__phase"] in REVEALED:
            person.debriefed += 1
            person.changed += row["changed"]
    for who, person in people.items():
        person.hours_to_submit = float(np.median(hours[who]))
    return list(people.values())


ENDED = {Loop.Status.HIRED, Loop.Status.OFFER, Loop.Status.REJECTED, Loop.Status.WITHDRAWN}
WENT_ON = {Loop.Status.HIRED, Loop.Status.OFFER}


def _stages(card_rows: list[dict]) -> list[StageFigures]:
    loops: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in card_rows:
        loops[row["interview__stage__name"]].setdefault(row["interview__loop_id"], row)
    stages = []
    for name, held in loops.items():
        position = min(row["interview__stage__position"] for row in held.values())
        settled = went_on = 0
        days = []
        for row in held.values():
            later = (row["last_position"] or 0) > row["interview__stage__position"]
            hired = row["interview__loop__debrief__decision"] == Debrief.Decision.HIRE
            status = row["interview__loop__status"]
            if later or hired or status in ENDED:
                settled += 1
                went_on += later or hired or status in WENT_ON
            if decided_at := row["interview__loop__debrief__decided_at"]:
                waited = (decided_at - row["interview__ends_at"]).total_seconds()
                days.append(max(waited, 0) / 86400)
        stages.append(
            StageFigures(
                name=name,
                position=position,
                loops=len(held),
                settled=settled,
                went_on=went_on,
                days_to_decision=float(np.median(days)) if days else None,
                decided=len(days),
            )
        )
    return sorted(stages, key=lambda s: (s.position, s.name))


def _mean_per_rater(units):
    """One value per rater and unit: a competency measured by several criteria is scored by
    each interviewer as the mean of their non-zero scores."""
    scores = defaultdict(list)
    for unit, who, score in units:  # a unit is a loop
        if score:
            scores[(unit, who)].append(score)
    return [(unit, who, round(sum(s) / len(s))) for (unit, who), s in scores.items()]


def with_job_agreement(table: GroupedTable, membership: Membership, job: Job) -> bool:
    """Put on each row of a debrief's grouped table (debriefs.matrix.grouped) how well the
    job's panels agree on its competency, outcome or criterion, as `membership` may count it
    (rule 2 in aggregates): `row.agreement`, or None below FEW_LOOPS. False, and nothing put,
    when the member reads no insights of the job. One query."""
    scope = reach(membership, Action.READ_INSIGHTS)
    if scope is None or (scope == Reach.OWN_JOBS and job.hiring_manager_id != membership.user_id):
        return False
    figures = insights_for(membership, jobs=[job], agreement_only=True)
    for row in table.rows:
        found = figures.agreement_of(row.kind, row.name)
        row.agreement_loops = found.loops if found else 0
        enough = found and found.alpha is not None and found.loops >= FEW_LOOPS
        row.agreement = found if enough else None
    return True


@dataclass
class Calibration:
    """An interviewer's own calibration against the organization's, on "My interviews": the
    organization's figures are aggregates, never another member's."""

    minimum: int  # the organization's leniency minimum: nothing is shown below it
    leniency: Leniency | None
    ratings: int
    zeros: int
    mean: float | None  # their mean score 1–4
    organization_ratings: int
    organization_zeros: int
    organization_mean: float | None
    key: str = ""  # its cache key

    @property
    def shown(self) -> bool:
        return self.ratings >= self.minimum

    @property
    def leniency_shown(self) -> bool:
        return self.leniency is not None and self.leniency.shown(self.minimum)

    @property
    def zero_share(self) -> float:
        return self.zeros / self.ratings if self.ratings else 0.0

    @property
    def organization_zero_share(self) -> float:
        return (
            self.organization_zeros / self.organization_ratings
            if self.organization_ratings
            else 0.0
        )


def calibration(membership: Membership) -> Calibration:
    """The member's leniency, share of 0s and mean score over the organization's counted
    scorecards (rule 2: none of a loop they still owe feedback in), and the organization's share
    of 0s and mean score: one query when cached (as insights_for), three more when not."""
    jobs = Job.objects.filter(organization=membership.organization_id)
    owed = owed_loops(membership, jobs)
    cards = counted_for(membership, jobs=jobs, owed=owed)
    key = _key(membership, "calibration", owed, membership.user_id)
    figures = _cached(key, lambda: _calibration(membership, cards))
    # The organization's minimum is read afresh: changing it counts nothing anew.
    return replace(figures, minimum=membership.organization.leniency_minimum)


def _calibration(membership: Membership, cards: QuerySet[Scorecard]) -> Calibration:
    everyone = Rating.objects.filter(scorecard__in=cards).aggregate(
        ratings=Count("pk"),
        zeros=Count("pk", filter=Q(score=0)),
        mean=Avg("score", filter=Q(score__gt=0)),
    )
    mine = cards.filter(interviewer_id=membership.user_id)
    rows = Rating.objects.filter(
        scorecard__in=cards, scorecard__interview__loop__in=mine.values("interview__loop")
    ).values_list(
        "scorecard__interview__loop_id", "criterion_id", "scorecard__interviewer_id", "score"
    )
    triples = [((loop, criterion), who, score) for loop, criterion, who, score in rows]
    own = [score for _, who, score in triples if who == membership.user_id]
    scored = [score for score in own if score]
    return Calibration(
        minimum=membership.organization.leniency_minimum,
        leniency=leniency(triples).get(membership.user_id),
        ratings=len(own),
        zeros=len(own) - len(scored),
        mean=sum(scored) / len(scored) if scored else None,
        organization_ratings=everyone["ratings"],
        organization_zeros=everyone["zeros"],
        organization_mean=everyone["mean"],
    )
