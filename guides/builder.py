"""The builder's changes to a draft's rows: add one last among its siblings, delete one, put
siblings in a new order. Each marks the guide edited (versions.touch); callers hold the
draft locked (guides.access.get_draft(lock=True))."""

from django.db import transaction
from django.db.models import Max, Model

from accounts.models import User
from config.ids import parse_ids
from guides import versions
from guides.forms import Part
from guides.models import GuideVersion


class OrderRefused(Exception):
    """The order posted does not list the rows of one list; the message says so."""


@transaction.atomic
def add_part(*, version: GuideVersion, part: Part, row: Model, placement: dict, user: User):
    """Save `row`, new and of kind `part`, under `placement` (its version, stage or question),
    after its siblings."""
    for name, value in placement.items():
        setattr(row, name, value)
    siblings = part.queryset(version).filter(
        **{name: placement.get(name) for name in part.sibling_fields}
    )
    row.position = (siblings.aggregate(last=Max("position"))["last"] or 0) + 1
    row.save()
    versions.touch(version.guide, user)


@transaction.atomic
def delete_part(*, version: GuideVersion, row: Model, user: User) -> None:
    row.delete()
    versions.touch(version.guide, user)


@transaction.atomic
def reorder_parts(*, version: GuideVersion, part: Part, order: str, user: User) -> None:
    """Positions for all siblings at once, `order` listing their ids, comma-separated."""
    try:
        ids = parse_ids(order)
    except ValueError:
        raise OrderRefused("The order must list the items' ids.") from None
    rows = {row.pk: row for row in part.queryset(version).filter(pk__in=ids)}
    first = rows.get(ids[0])
    siblings = (
        part.queryset(version).filter(**{f: getattr(first, f) for f in part.sibling_fields})
        if first
        else part.model.objects.none()
    )
    if len(set(ids)) != len(ids) or set(ids) != set(siblings.values_list("pk", flat=True)):
        raise OrderRefused("That order does not match the items of this list. Reload the page.")
    for position, row_pk in enumerate(ids, start=1):
        rows[row_pk].position = position
    part.model.objects.bulk_update(rows.values(), ["position"])
    versions.touch(version.guide, user)
