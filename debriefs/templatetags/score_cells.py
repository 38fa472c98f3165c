"""The scored cells of the debrief's tables, a row's at a time: each interviewer's score with
its anchor and note in a tooltip. Written here once per cell rather than as template nodes:
the tables hold most of the page's cells, and nodes per cell made up most of its time."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from debriefs.matrix import GroupedRow, Row

register = template.Library()

EMPTY = '<td class="cell empty"><span class="visually-hidden">{}</span></td>'
NOT_SCORED = EMPTY.format("not scored in this stage")
NOT_MEASURED = EMPTY.format("not measured in this scorecard")


def _truncated(text: str, length: int) -> str:
    """As the truncatechars filter; a text short enough skips its translated ellipsis."""
    return text if len(text) <= length else Truncator(text).chars(length)


def _note(note: str) -> str:
    return f"<br><em>{escape(_truncated(note, 200))}</em>" if note else ""


def _cell(tip_id: str, scores: str, tip: str) -> str:
    return (
        f'<td class="cell" tabindex="0" aria-describedby="{tip_id}">{scores}'
        f'<span class="tip" role="tooltip" id="{tip_id}">{tip}</span></td>'
    )


@register.simple_tag
def stage_cells(row: Row, table_id: str, row_number: int) -> SafeString:
    """A stage's row: one score per interviewer, their tooltips `table_id`-`row_number`-1, …"""
    cells = []
    for n, cell in enumerate(row.cells, 1):
        rating = cell.rating
        if rating is None:
            cells.append(NOT_SCORED)
            continue
        score = "–" if rating.score is None else rating.score
        no_score = "" if rating.score else " no-score"
        cells.append(
            _cell(
                f"{table_id}-{row_number}-{n}",
                f'<span class="score{no_score}">{score}</span>',
                f"{escape(cell.card.interviewer.display_name)}: "
                f"{escape(rating.anchor_text or 'no score')}{_note(rating.note)}",
            )
        )
    return mark_safe("".join(cells))  # noqa: S308 (every text above is escaped)


@register.simple_tag
def grouped_cells(row: GroupedRow, table_id: str, row_number: int) -> SafeString:
    """A row across stages: each interviewer's scores on the criteria that measure it."""
    cells = []
    for n, cell in enumerate(row.cells, 1):
        if not cell.ratings:
            cells.append(NOT_MEASURED)
            continue
        who = escape(cell.card.interviewer.display_name)
        scores, tips = [], []
        for rating in cell.ratings:
            if rating.score:
                scores.append(f'<span class="score">{rating.score}</span>')
            else:
                scores.append(
                    '<span class="score no-score">–<span class="visually-hidden"> not enough '
                    "information</span></span>"
                )
            tips.append(
                f"{escape(_truncated(rating.criterion.name, 80))} — {who}: "
                f"{escape(rating.anchor_text or 'no score')}{_note(rating.note)}"
            )
        cells.append(_cell(f"{table_id}-{row_number}-{n}", "".join(scores), "<br>".join(tips)))
    return mark_safe("".join(cells))  # noqa: S308 (every text above is escaped)
