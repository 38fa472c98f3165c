"""URLs of the builder's actions on the parts of a draft."""

from django import template
from django.urls import reverse

from guides import forms

register = template.Library()


@register.simple_tag(takes_context=True)
def part_url(context, item, action: str) -> str:
    """The URL that updates, deletes ("update", "delete") the builder row `item`."""
    return reverse(
        f"guides:{forms.kind_of(item)}-{action}",
        args=[context["request"].organization.slug, context["guide"].pk, item.pk],
    )


@register.simple_tag(takes_context=True)
def kind_url(context, kind: str, action: str, parent=None) -> str:
    """The URL that adds ("add", under `parent` if the kind has one) or reorders a kind."""
    args = [context["request"].organization.slug, context["guide"].pk]
    if parent is not None:
        args.append(parent.pk)
    return reverse(f"guides:{kind}-{action}", args=args)


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
def blank_add_form(part, version):
    return part.add_form(version=version)


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
