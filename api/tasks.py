"""Celery tasks of webhooks: thin wrappers of api.webhooks."""

from api import webhooks
from api.models import Delivery
from config.celery import OrganizationTask, app


def organization_of(delivery_id: int) -> int | None:
    deliveries = Delivery.objects.filter(pk=delivery_id)
    return deliveries.values_list("endpoint__organization", flat=True).first()


@app.task(base=OrganizationTask, bind=True, organization_of=staticmethod(organization_of))
def deliver(self, delivery_id: int, *, organization_id: int) -> None:
    """One attempt; a failure queues the next after its backoff, except in-process (the demo),
    where no one waits for it."""
    wait = webhooks.attempt(delivery_id=delivery_id)
    if wait is not None and not self.request.is_eager:
        deliver.apply_async((delivery_id,), {"organization_id": organization_id}, countdown=wait)
