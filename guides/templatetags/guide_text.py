"""Rendering a guide's texts: paragraphs and lists, with placeholders filled or marked."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from guides.placeholders import PATTERN, key

register = template.Library()

BULLET = re.compile(r"^- (.*)$")
NUMBERED = re.compile(r"^\d+[.)] (.*)$")


def _fill(line: str, values: dict[str, str]) -> str:
    """Escape one line, put in the values we know and mark the placeholders that stay."""
    out, last = [], 0
    for match in PATTERN.finditer(line):
        out.append(escape(line[last : match.start()]))
        value = values.get(key(match.group(1)))
        if value:
            out.append(
                f'<span class="filled" title="{escape(match.group(0))}">{escape(value)}</span>'
            )
        else:
            out.append(f'<mark class="placeholder">{escape(match.group(0))}</mark>')
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


@register.filter
def guide_text(text: str, values: dict[str, str] | None = None) -> SafeString:
    """Paragraphs (blank-line separated), "- " bullet lists and "1. " numbered lists."""
    values = values or {}
    html, paragraph, items, list_tag = [], [], [], ""

    def flush():
        nonlocal paragraph, items, list_tag
        if paragraph:
            html.append("<p>" + "<br>".join(paragraph) + "</p>")
        if items:
            html.append(
                f"<{list_tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_tag}>"
            )
        paragraph, items, list_tag = [], [], ""

    for raw in (text or "").splitlines():
        line = raw.strip()
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        if not line:
            flush()
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            if paragraph or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append(_fill((bullet or numbered).group(1), values))
        else:
            if items:
                flush()
            paragraph.append(_fill(line, values))
    flush()
    return mark_safe("".join(html))  # noqa: S308 - every piece of user text went through escape()


@register.filter
def guide_line(text: str, values: dict[str, str] | None = None) -> SafeString:
    """One line of a guide (a question, a name), placeholders filled or marked."""
    return mark_safe(_fill(text or "", values or {}))  # noqa: S308 - _fill escapes
