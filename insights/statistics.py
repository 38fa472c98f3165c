"""Agreement and leniency over ratings: Krippendorff's alpha (the `krippendorff` package),
the six Shrout & Fleiss (1979) intraclass correlations, and each rater's leniency.

Ratings come as (unit, rater, score) triples; a score of 0 ("not enough information
gathered") or None is missing data, never a low score.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import krippendorff
import numpy as np

LEVELS = ("nominal", "ordinal", "interval")
Triple = tuple[Hashable, Hashable, float | None]


def reliability_matrix(ratings: Iterable[Triple]) -> np.ndarray:
    """Raters × units, NaN where a rater gave no rating (0 or None)."""
    cells = [(u, r, s) for u, r, s in ratings if s]
    units = {u: i for i, u in enumerate(dict.fromkeys(u for u, _, _ in cells))}
    raters = {r: i for i, r in enumerate(dict.fromkeys(r for _, r, _ in cells))}
    matrix = np.full((len(raters), len(units)), np.nan)
    for unit, rater, score in cells:
        matrix[raters[rater], units[unit]] = float(score)
    return matrix


def pairable(matrix: np.ndarray) -> np.ndarray:
    """The units (columns) that at least two raters rated: the only ones alpha can use."""
    return matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]


def alpha(matrix: np.ndarray, level: str = "ordinal") -> float | None:
    """Krippendorff's alpha, or None when there is nothing to compare (fewer than two paired
    units, or a single value throughout: agreement is then undefined, not perfect)."""
    matrix = pairable(matrix)
    values = np.unique(matrix[~np.isnan(matrix)])
    if matrix.shape[1] < 2 or len(values) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))


def alpha_interval(
    matrix: np.ndarray, level: str = "ordinal", draws: int = 500, seed: int = 17
) -> tuple[float, float] | None:
    """A bootstrap 95% interval of alpha, resampling units (Hayes & Krippendorff 2007).

    Each unit's pairs of values make a small coincidence matrix; a draw of units sums theirs,
    so that every draw's alpha is a few array operations rather than a call of its own."""
    matrix = pairable(matrix)
    if alpha(matrix, level) is None:
        return None
    values = np.unique(matrix[~np.isnan(matrix)])
    per_unit = _coincidences(matrix, values)  # units × V × V
    units = per_unit.shape[0]
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, units, (draws, units)) + units * np.arange(draws)[:, None]
    weights = np.bincount(picks.ravel(), minlength=draws * units).reshape(draws, units) * 1.0
    # einsum rather than a matrix product: BLAS's threads cost more than they save on a web
    # worker that shares its cores.
    observed = np.einsum("du,uvw->dvw", weights, per_unit)
    samples = _alpha_of_coincidences(observed, values, level)
    samples = samples[np.isfinite(samples)]
    if not samples.size:
        return None
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)


def _coincidences(matrix: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per unit (column), its coincidence matrix: each ordered pair of values from two
    different raters, weighted 1 / (values in the unit − 1)."""
    counts = np.stack([(matrix == v).sum(axis=0) for v in values], axis=1).astype(float)
    paired = counts.sum(axis=1)
    outer = counts[:, :, None] * counts[:, None, :]
    outer[:, np.arange(len(values)), np.arange(len(values))] -= counts
    return outer / (paired - 1)[:, None, None]


def _alpha_of_coincidences(observed: np.ndarray, values: np.ndarray, level: str) -> np.ndarray:
    """Alpha of each draw's coincidence matrix (draws × V × V), NaN where undefined."""
    totals = observed.sum(axis=2)  # draws × V: n_c
    n = totals.sum(axis=1)
    if level == "nominal":
        delta = np.broadcast_to(1.0 - np.eye(len(values)), observed.shape)
    elif level == "interval":
        delta = np.broadcast_to((values[:, None] - values[None, :]) ** 2, observed.shape)
    else:  # ordinal: the values between c and k, halving the ends, squared
        cumulative = np.cumsum(totals, axis=1)
        first = np.minimum.outer(np.arange(len(values)), np.arange(len(values)))
        between = np.abs(cumulative[:, :, None] - cumulative[:, None, :]) + totals[:, first]
        delta = (between - (totals[:, :, None] + totals[:, None, :]) / 2) ** 2
    expected = totals[:, :, None] * totals[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - (n - 1) * (observed * delta).sum(axis=(1, 2)) / (expected * delta).sum(
            axis=(1, 2)
        )


def icc(matrix: np.ndarray) -> dict[str, float] | None:
    """The six Shrout & Fleiss ICCs of a complete targets × judges table, or None when the
    design is not complete (a missing cell, fewer than two targets or judges)."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or np.isnan(x).any() or min(x.shape) < 2:
        return None
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_within = ((x - x.mean(axis=1, keepdims=True)) ** 2).sum()
    bms = ss_rows / (n - 1)
    wms = ss_within / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = (ss_within - ss_cols) / ((n - 1) * (k - 1))
    if bms == 0:
        return None
    return {
        "icc1": float((bms - wms) / (bms + (k - 1) * wms)),
        "icc2": float((bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)),
        "icc3": float((bms - ems) / (bms + (k - 1) * ems)),
        "icc1k": float((bms - wms) / bms),
        "icc2k": float((bms - ems) / (bms + (jms - ems) / n)),
        "icc3k": float((bms - ems) / bms),
    }


@dataclass(frozen=True)
class Leniency:
    """How much higher (or lower) a rater scores than the others who rated the same cells."""

    mean: float
    n: int  # cells rated together with at least one other rater
    low: float | None  # 95% interval (normal approximation); None below two cells
    high: float | None

    @property
    def marks(self) -> tuple[float, float, float]:
        """Where its interval's ends and its mean fall on a chart 100 wide from −2 to +2."""

        def x(value: float | None) -> float:
            value = self.mean if value is None else value
            return round(50 + 25 * max(-2.0, min(2.0, value)), 1)

        return x(self.low), x(self.mean), x(self.high)

    def shown(self, minimum: int) -> bool:
        """Small counts mislead: a figure is shown only from `minimum` cells."""
        return self.n >= minimum


def leniency(ratings: Iterable[Triple]) -> dict[Hashable, Leniency]:
    """Per rater: the mean over the cells they rated with at least one other rater of their
    score minus the mean of the others' scores in that cell."""
    by_unit: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for unit, rater, score in ratings:
        if score:
            by_unit[unit][rater] = float(score)
    differences: dict[Hashable, list[float]] = defaultdict(list)
    for scores in by_unit.values():
        if len(scores) < 2:
            continue
        total = sum(scores.values())
        for rater, score in scores.items():
            differences[rater].append(score - (total - score) / (len(scores) - 1))
    result = {}
    for rater, values in differences.items():
        d = np.array(values)
        mean, n = float(d.mean()), len(d)
        if n < 2:
            result[rater] = Leniency(mean, n, None, None)
            continue
        half = 1.96 * float(d.std(ddof=1)) / np.sqrt(n)
        result[rater] = Leniency(mean, n, mean - half, mean + half)
    return result
