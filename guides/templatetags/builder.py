"""URLs of the builder's actions on the parts of a draft."""

from functools import lru_cache

from django import template
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html

from guides import forms

register = template.Library()


# Stands for a row's id in a URL reversed once for all rows (ids are at most 64 bits).
ANY_ID = 2**63 - 1


@lru_cache(maxsize=1024)
def _url_around_id(name: str, org_slug: str, guide_pk: int, script_prefix: str):
    """The URL `name` in a guide, split around its row id if it takes one."""
    args = [org_slug, guide_pk]
    try:
        return reverse(name, args=[*args, ANY_ID]).rpartition(str(ANY_ID))
    except NoReverseMatch:
        return "", "", reverse(name, args=args)


def _url(context, name: str, pk: int | None = None) -> str:
    """The URL `name` in the draft's guide, of the row `pk` if the URL takes one: a page of
    the builder has hundreds of them, each of a few kinds."""
    slug, guide = context["request"].organization.slug, context["guide"].pk
    head, _, tail = _url_around_id(name, slug, guide, get_script_prefix())
    return tail if pk is None else f"{head}{pk}{tail}"


@register.simple_tag(takes_context=True)
def part_url(context, item, action: str) -> str:
    """The URL that updates, deletes ("update", "delete") the builder row `item`."""
    return _url(context, f"guides:{forms.kind_of(item)}-{action}", item.pk)


@register.simple_tag(takes_context=True)
def kind_url(context, kind: str, action: str, parent=None) -> str:
    """The URL that adds ("add", under `parent` if the kind has one) or reorders a kind."""
    return _url(context, f"guides:{kind}-{action}", None if parent is None else parent.pk)


@register.simple_tag(takes_context=True)
def text_field(context, name: str, label, value, *, rows=None, long=False, hidden_label=""):
    """One text field of a builder form (`prefix` names the form): its label, a text area of
    `rows` or a line of up to 300 characters (20,000 if `long`), and its message slot. Built
    here rather than by a partial: a page of the builder holds hundreds of them."""
    field_id = f"{context['prefix']}-{name}"
    hidden = format_html('<span class="visually-hidden">{} </span>', hidden_label)
    if rows:
        box = format_html(
            '<textarea id="{}" name="{}" rows="{}" maxlength="20000" aria-describedby="{}-error">'
            "{}</textarea>",
            field_id,
            name,
            rows,
            field_id,
            value,
        )
    else:
        box = format_html(
            '<input id="{}" name="{}" value="{}" maxlength="{}" aria-describedby="{}-error">',
            field_id,
            name,
            value,
            20000 if long else 300,
            field_id,
        )
    return format_html(
        '<div class="field">\n  <label for="{}">{}{}</label>\n  {}\n'
        '  <p class="field-error" id="{}-error" role="alert"></p>\n</div>',
        field_id,
        hidden if hidden_label else "",
        label,
        box,
        field_id,
    )


@register.filter
def dom_id(item) -> str:
    """The element id of a builder row, e.g. "question-12"; links and saves aim at it."""
    return f"{forms.kind_of(item)}-{item.pk}"


@register.filter
def anchor_field(score: int) -> str:
    return f"anchor_{score}"


@register.filter
def get_part(parts: dict, kind: str):
    return parts[kind]


@register.filter
def selecting(options, criterion):
    """The options of what `criterion` may measure, its own selected."""
    return options.selecting(criterion)


@register.filter
def unfilled_count(found: list) -> int:
    return sum(1 for placeholder in found if not placeholder.filled_by)


@register.simple_tag
def sortable_list_id(kind: str, parent=None) -> str:
    return forms.list_id(kind, parent.pk if parent else None)


@register.filter
def count_name(key: str) -> str:
    """The import report's counts in words: "debrief_questions" is "debrief questions"."""
    return "FAQ entries" if key == "faq" else key.replace("_", " ")
