"""When what the insights count last changed: a counter per organization in the cache, part
of every figure's cache key (insights.reports), bumped whenever a row the figures read is saved
or deleted. Reading it is one cache round trip, whatever the number of scorecards; the key it
replaced hashed every counted card's id, a query that grew with the job.

A counter only says when to work the figures out again: which cards a viewer may count (rule 2)
is in the key itself. A change made outside an organization's scope (a task, a command, the
seed) bumps the counter every organization reads. Bulk writes send no signal: the figures then
show within insights.reports.CACHE_SECONDS.
"""

import contextlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_scopes import get_scope

from candidates.models import Interview, Job, Loop
from debriefs.models import Debrief, RecommendationChange
from scorecards.models import Scorecard

EVERY_ORGANIZATION = "all"


def _key(organization_id) -> str:
    return f"insights:changed:{organization_id}"


def generation(organization_id: int) -> str:
    """The organization's counter and the one every organization reads, as one string."""
    keys = [_key(organization_id), _key(EVERY_ORGANIZATION)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # Begun at the clock, so that a counter the cache lost never comes back to a value
            # it had before.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return ".".join(str(found[key]) for key in keys)


def _bump(organization_id) -> None:
    # A counter never read yet, or lost, is begun afresh by the next read.
    with contextlib.suppress(ValueError):
        cache.incr(_key(organization_id))


def _changed(sender, instance, **kwargs) -> None:
    scope = get_scope()
    organization = scope.get("organization") if scope.get("_enabled") else None
    organization_id = getattr(organization, "pk", organization) or EVERY_ORGANIZATION
    # Now, for readers in this transaction; and again once it commits, for a reader who worked
    # the figures out from what was there before it and kept them under the new count.
    _bump(organization_id)
    transaction.on_commit(lambda: _bump(organization_id), robust=True)


def connect() -> None:
    """Called once, when the app is ready."""
    for model in (Job, Loop, Interview, Scorecard, Debrief, RecommendationChange):
        post_save.connect(_changed, sender=model, dispatch_uid=f"insights-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"insights-{model.__name__}-d")
