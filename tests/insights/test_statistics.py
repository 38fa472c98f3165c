"""The statistics against their published examples, to three decimals."""

import numpy as np
import pytest

from insights.statistics import alpha, alpha_interval, icc, leniency, reliability_matrix

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, "." where an observer gave no value; the `krippendorff` package's own example
# (pln-fing-udelar/fast-krippendorff) uses the same table. 0 stands for "no rating" here, as
# a score of 0 does in Rubric.
KRIPPENDORFF_2011 = """
A 1 2 3 3 2 1 4 1 2 0 0 0
B 1 2 3 3 2 2 4 1 2 5 0 3
C 0 3 3 3 2 3 4 2 2 5 1 0
D 1 2 3 3 2 4 4 1 2 5 1 0
"""

# Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater reliability",
# Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS_1979 = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def krippendorff_triples():
    for line in KRIPPENDORFF_2011.split("\n"):
        if line:
            rater, *scores = line.split()
            yield from ((unit, rater, int(s)) for unit, s in enumerate(scores))


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_reproduces_krippendorff_2011(level, expected):
    matrix = reliability_matrix(krippendorff_triples())
    assert round(alpha(matrix, level), 3) == expected


def test_a_score_of_0_is_missing_not_low():
    with_zeros = reliability_matrix(krippendorff_triples())
    assert with_zeros.shape == (4, 12) and np.isnan(with_zeros).sum() == 7
    assert np.nanmin(with_zeros) == 1


def test_alpha_interval_surrounds_alpha():
    matrix = reliability_matrix(krippendorff_triples())
    low, high = alpha_interval(matrix)
    assert low <= alpha(matrix) <= high <= 1


def test_alpha_is_undefined_when_everyone_gives_the_same_score():
    matrix = reliability_matrix([(u, r, 3) for u in range(5) for r in "ab"])
    assert alpha(matrix) is None
    assert alpha_interval(matrix) is None


def test_icc_reproduces_shrout_and_fleiss_1979():
    result = {name: round(value, 3) for name, value in icc(SHROUT_FLEISS_1979).items()}
    assert result == {
        "icc1": 0.166,
        "icc2": 0.290,
        "icc3": 0.715,
        "icc1k": 0.443,
        "icc2k": 0.620,
        "icc3k": 0.909,
    }


def test_icc_is_none_for_an_incomplete_design():
    assert icc(reliability_matrix(krippendorff_triples()).T) is None


def test_leniency_on_a_hand_made_panel():
    # Ada scores one above Grace on every cell Grace also rated; Linus rated one cell alone,
    # and a 0 ("not enough information") counts for nothing.
    ratings = [
        ("c1", "ada", 4), ("c1", "grace", 3),
        ("c2", "ada", 3), ("c2", "grace", 2),
        ("c3", "ada", 2), ("c3", "grace", 1), ("c3", "linus", 0),
        ("c4", "linus", 4),
    ]  # fmt: skip
    result = leniency(ratings)
    assert (result["ada"].mean, result["ada"].n) == (1.0, 3)
    assert (result["grace"].mean, result["grace"].n) == (-1.0, 3)
    assert "linus" not in result
    assert result["ada"].low == result["ada"].high == 1.0
    assert not result["ada"].shown(10) and result["ada"].shown(3)


def test_leniency_with_three_raters_compares_with_the_mean_of_the_others():
    result = leniency([("c", "a", 4), ("c", "b", 2), ("c", "d", 3)])
    assert result["a"].mean == 1.5 and result["b"].mean == -1.5 and result["d"].mean == 0
