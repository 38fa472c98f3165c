import csv
import json
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from insights.statistics import LEVELS, alpha, icc, leniency, reliability_matrix

MAX_BYTES = 50 * 1024 * 1024
COLUMNS = ("unit", "rater", "score")


def bad_file(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def read_ratings(path: Path, highest: int = 4) -> list[tuple[str, str, int | None]]:
    """The file's (unit, rater, score) rows, scores 1 to `highest` (Rubric's scale is 1–4);
    a bad file raises with the line at fault."""
    scores = {"": None, "0": None} | {str(s): s for s in range(1, highest + 1)}
    if not path.is_file():
        raise bad_file(f"{path}: no such file.")
    if path.stat().st_size > MAX_BYTES:
        raise bad_file(f"{path} is larger than 50 MB; split it by unit and run each part.")
    ratings, seen = [], set()
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise bad_file(
                    f"{path}: the header lacks the column(s) {', '.join(missing)}; "
                    "it needs unit,rater,score."
                )
            for row in reader:
                unit, rater = (row["unit"] or "").strip(), (row["rater"] or "").strip()
                score = (row["score"] or "").strip()
                where = f"{path}, line {reader.line_num}"
                if not unit or not rater:
                    raise bad_file(f"{where}: a unit and a rater are needed.")
                if score not in scores:
                    raise bad_file(
                        f"{where}: the score {score!r} is not one of 1–{highest} "
                        "(leave it empty or write 0 for no rating)."
                    )
                if (unit, rater) in seen:
                    raise bad_file(f"{where}: {rater} rates {unit} a second time.")
                seen.add((unit, rater))
                ratings.append((unit, rater, scores[score]))
    except UnicodeDecodeError:
        raise bad_file(f"{path} is not UTF-8 text; save it as UTF-8 CSV.") from None
    except csv.Error as error:
        raise bad_file(f"{path} is not a CSV file we can read: {error}.") from None
    return ratings


def complete_design(ratings) -> np.ndarray | None:
    """Units × raters when every rater rated every unit, else None."""
    matrix = reliability_matrix(ratings).T
    return None if matrix.size == 0 or np.isnan(matrix).any() else matrix


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


class Command(BaseCommand):
    help = (
        "Agreement of the ratings in a CSV with the columns unit,rater,score (empty or 0 = no "
        "rating): Krippendorff's alpha, the Shrout & Fleiss ICCs when every rater rated every "
        "unit, and each rater's leniency. The last line is JSON. A bad file exits with 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--highest",
            type=int,
            choices=range(2, 11),
            default=4,
            metavar="N",
            help="The highest score of the file's scale (default 4, Rubric's; 2–10).",
        )

    def handle(self, *args, file: Path, highest: int, **options):
        ratings = read_ratings(file, highest)
        matrix = reliability_matrix(ratings)
        complete = complete_design(ratings)
        iccs = icc(complete) if complete is not None else None
        result = {
            "alpha": {level: rounded(alpha(matrix, level)) for level in LEVELS},
            "icc": iccs and {name: rounded(value) for name, value in iccs.items()},
            "leniency": {
                str(rater): {"mean": rounded(figure.mean), "n": figure.n}
                for rater, figure in sorted(leniency(ratings).items())
            },
        }
        units, raters = matrix.shape[1], matrix.shape[0]
        self.stdout.write(f"{len(ratings)} rows: {units} rated units, {raters} raters.")
        self.stdout.write(json.dumps(result))
