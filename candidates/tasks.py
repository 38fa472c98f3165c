"""Celery tasks of candidates: thin wrappers of candidates.packets, on the organization's
scope (config.celery.OrganizationTask)."""

from django.conf import settings

from candidates import packets
from config.celery import OrganizationTask, app


@app.task(
    base=OrganizationTask,
    bind=True,
    max_retries=settings.PACKET_RETRIES,
    acks_late=True,
    organization_of=staticmethod(packets.organization_of),
)
def build_packet(self, packet_id: int, *, organization_id: int) -> None:
    """Render a packet (packets.build); a transient failure is retried with backoff, but not
    run in-process (the demo: CELERY_TASK_ALWAYS_EAGER), where no one would retry it."""
    last = self.request.retries >= self.max_retries or self.request.is_eager
    try:
        packets.build(
            packet_id=packet_id,
            organization_id=organization_id,
            attempt=self.request.retries + 1,
            last_attempt=last,
        )
    except packets.TRANSIENT as exc:
        countdown = settings.PACKET_RETRY_SECONDS * 2**self.request.retries
        raise self.retry(exc=exc, countdown=countdown) from exc
