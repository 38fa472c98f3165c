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
    matrix: np.ndarray, level: str = "ordinal", draws: int = 200, seed: int = 17
) -> tuple[float, float] | None:
    """A bootstrap 95% interval of alpha, resampling units (Hayes & Krippendorff 2007)."""
    matrix = pairable(matrix)
    if alpha(matrix, level) is None:
        return None
    rng = np.random.default_rng(seed)
    units = matrix.shape[1]
    samples = [alpha(matrix[:, rng.integers(0, units, units)], level) for _ in range(draws)]
    samples = [s for s in samples if s is not None]
    if not samples:
        return None
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)


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
