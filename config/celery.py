"""The Celery app, and the base of the tasks that act for an organization.

A task on `OrganizationTask` is called with `organization_id` and runs its body inside that
organization's scope (django-scopes), as pretix's `EventTask` does for an event: its queries
then answer for that organization only, and one that forgot to filter by it raises instead of
reading another's rows. A periodic task that goes over every organization calls a workflow
that acts for each in turn (`accounts.access.acting_for`). No task enters a scope by hand.
"""

import os
from collections.abc import Callable
from typing import Any

from celery import Celery, Task
from django_scopes import scope, scopes_disabled

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("rubric")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class OrganizationTask(Task):
    """A task acting for one organization: its body gets `organization_id` and runs in the
    organization's scope.

    A task may set `organization_of`, a function of its other arguments answering their
    organization's id (or None once what they name is gone), for the calls that do not say
    it: those queued before the task took `organization_id`, and the shell's."""

    organization_of: Callable[..., int | None] | None = None

    def __call__(self, *args, organization_id: int | None = None, **kwargs) -> Any:
        if organization_id is None and self.organization_of is not None:
            with scopes_disabled():
                organization_id = self.organization_of(*args, **kwargs)
            if organization_id is None:
                return None  # what it was to act on is gone, and so is the work
        if organization_id is None:
            raise TypeError(f"{self.name} acts for an organization: pass organization_id.")
        with scope(organization=organization_id):
            return super().__call__(*args, organization_id=organization_id, **kwargs)
