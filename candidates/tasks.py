import logging
from contextlib import suppress

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from accounts.models import Membership
from candidates.models import Packet
from candidates.packets import PacketRefused, render_packet

logger = logging.getLogger(__name__)


class StorageFailed(Exception):
    """The storage did not take the file (a full disk, an S3 endpoint that is down…)."""


# Worth another try: the storage or the database was briefly unreachable or full.
TRANSIENT = (StorageFailed, OperationalError)


@shared_task(bind=True, max_retries=settings.PACKET_RETRIES, acks_late=True)
def build_packet(self, packet_id: int) -> None:
    """Render a packet and store it, saying how far it got on its row as it goes: the loop
    page polls that. A transient failure is retried with backoff; the last one, or any other,
    ends the packet "failed" with the reason for the requester."""
    with scopes_disabled():
        packet = (
            Packet.objects.select_related("loop__job__organization", "loop__candidate")
            .filter(pk=packet_id)
            .first()
        )
    if packet is None or not packet.is_working:
        return  # deleted (the candidate erased), or done by an earlier delivery of this task
    with scope(organization=packet.loop.job.organization_id):
        try:
            _build(packet, attempt=self.request.retries + 1)
        except PacketRefused as refused:
            _fail(packet, str(refused))
        except TRANSIENT as exc:
            reason = _reason(exc)
            # Run in-process (the demo: CELERY_TASK_ALWAYS_EAGER) there is no one to retry.
            if self.request.retries < self.max_retries and not self.request.is_eager:
                with suppress(OperationalError):  # the database may be what failed
                    _update(packet, status=Packet.Status.QUEUED, step=f"{reason}. Trying again")
                raise self.retry(
                    exc=exc, countdown=settings.PACKET_RETRY_SECONDS * 2**self.request.retries
                ) from exc
            _fail(packet, f"{reason}; gave up after {self.request.retries + 1} attempts")
        except Exception:
            logger.exception("Packet %s failed", packet.pk)
            _fail(packet, "Something went wrong while rendering it; the error is logged.")


def _build(packet: Packet, *, attempt: int) -> None:
    _update(
        packet,
        status=Packet.Status.RENDERING,
        attempts=attempt,
        progress=5,
        step="Reading the loop",
        error="",
    )
    membership = Membership.objects.filter(
        organization=packet.loop.job.organization_id, user=packet.requested_by_id
    ).first()
    if membership is None:
        raise PacketRefused("You are no longer a member of this organization.")
    rendered = render_packet(
        packet.loop, membership, lambda percent, step: _update(packet, progress=percent, step=step)
    )
    _update(packet, progress=90, step="Storing the file")
    try:
        packet.file.save("packet.pdf", ContentFile(rendered.pdf), save=False)
    except Exception as exc:
        raise StorageFailed(getattr(exc, "strerror", None) or type(exc).__name__) from exc
    try:
        stored = Packet.objects.filter(pk=packet.pk, status=Packet.Status.RENDERING).update(
            status=Packet.Status.READY,
            progress=100,
            step="",
            file=packet.file.name,
            pages=rendered.pages,
            content_as_of=rendered.as_of,
            sealed=rendered.sealed,
            finished_at=timezone.now(),
        )
    except Exception:
        packet.file.delete(save=False)
        raise
    if not stored:  # its candidate was erased meanwhile: keep nothing of them
        packet.file.delete(save=False)
        return
    _delete_older(packet)


def _delete_older(packet: Packet) -> None:
    """The member's earlier packets of the loop, files and all: the new one replaces them."""
    older = Packet.objects.filter(
        loop=packet.loop_id, requested_by=packet.requested_by_id, created_at__lt=packet.created_at
    ).exclude(status__in=[Packet.Status.QUEUED, Packet.Status.RENDERING])
    for name in older.exclude(file="").values_list("file", flat=True):
        packet.file.storage.delete(name)
    older.delete()


def _update(packet: Packet, **fields) -> None:
    Packet.objects.filter(pk=packet.pk).update(**fields)


def _fail(packet: Packet, reason: str) -> None:
    """Say why on the packet; should the database itself be down, the packet shows as lost
    once Packet.GIVEN_UP_AFTER has passed."""
    try:
        _update(
            packet,
            status=Packet.Status.FAILED,
            step="",
            error=reason[:500],
            finished_at=timezone.now(),
        )
    except OperationalError:
        logger.exception("Packet %s: could not record its failure (%s)", packet.pk, reason)


def _reason(exc: Exception) -> str:
    """A transient failure in words, never a path or a connection string."""
    if isinstance(exc, StorageFailed):
        return f"The file could not be stored ({exc})"
    return "The database could not be reached"
