"""`manage.py agreement FILE.csv`: the published example from a file, and bad files."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.insights.test_statistics import KRIPPENDORFF_2011


def run(path, *options):
    out = StringIO()
    call_command("agreement", str(path), *options, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def write(tmp_path, text):
    path = tmp_path / "ratings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_it_prints_alpha_and_leniency_of_krippendorffs_example(tmp_path):
    rows = ["unit,rater,score"]
    for line in filter(None, KRIPPENDORFF_2011.split("\n")):
        rater, *scores = line.split()
        rows += [f"u{unit},{rater},{'' if s == '0' else s}" for unit, s in enumerate(scores)]
    result = run(write(tmp_path, "\n".join(rows)), "--highest", "5")  # a 1–5 scale
    assert {k: round(v, 3) for k, v in result["alpha"].items()} == {
        "nominal": 0.743,
        "ordinal": 0.815,
        "interval": 0.849,
    }
    assert result["icc"] is None  # not every observer rated every unit
    assert set(result["leniency"]) == {"A", "B", "C", "D"}
    assert result["leniency"]["A"]["n"] == 9


def test_a_complete_design_gets_the_six_iccs(tmp_path):
    rows = ["unit,rater,score", "c1,ada,4", "c1,bo,3", "c2,ada,2", "c2,bo,1", "c3,ada,3"]
    rows += ["c3,bo,3"]
    result = run(write(tmp_path, "\n".join(rows)))
    assert set(result["icc"]) == {"icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"}
    assert result["leniency"]["ada"] == {"mean": pytest.approx(2 / 3, abs=1e-6), "n": 3}


@pytest.mark.parametrize(
    "text, message",
    [
        ("unit,score\nc1,3\n", "lacks the column(s) rater"),
        ("unit,rater,score\nc1,ada,9\n", "line 2: the score '9' is not one of 1–4"),
        ("unit,rater,score\nc1,ada,3\nc1,ada,2\n", "ada rates c1 a second time"),
        ("unit,rater,score\n,ada,3\n", "a unit and a rater are needed"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_exit_2(tmp_path, text, message):
    with pytest.raises(CommandError, match=re.escape(message)) as caught:
        call_command("agreement", str(write(tmp_path, text)))
    assert caught.value.returncode == 2


def test_a_file_over_50_mb_is_refused(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as file:
        file.write(b"unit,rater,score\n")
        file.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(CommandError, match="larger than 50 MB") as caught:
        call_command("agreement", str(path))
    assert caught.value.returncode == 2


def test_a_file_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_bytes(b"unit,rater,score\n\xff\xfe,ada,3\n")
    with pytest.raises(CommandError, match="not UTF-8") as caught:
        call_command("agreement", str(path))
    assert caught.value.returncode == 2
