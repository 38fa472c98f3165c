import logging

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

# Worth another try: the storage or the database was briefly unreachable or full.
TRANSIENT = (OSError, OperationalError)


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
    org = packet.loop.job.organization
    with scope(organization=org.pk):
        Packet.objects.filter(pk=packet.pk).update(
            status=Packet.Status.RENDERING,
            attempts=self.request.retries + 1,
            progress=5,
            step="Reading the loop",
            error="",
        )
        try:
            membership = Membership.objects.get(organization=org, user=packet.requested_by_id)
            pdf, pages, as_of = render_packet(packet.loop, membership, _progress(packet))
            _progress(packet)(90, "Storing the file")
            packet.file.save("packet.pdf", ContentFile(pdf), save=False)
        except Membership.DoesNotExist:
            _fail(packet, "You are no longer a member of this organization.")
        except PacketRefused as refused:
            _fail(packet, str(refused))
        except TRANSIENT as exc:
            reason = _reason(exc)
            # Run in-process (the demo: CELERY_TASK_ALWAYS_EAGER) there is no one to retry.
            if self.request.retries < self.max_retries and not self.request.is_eager:
                Packet.objects.filter(pk=packet.pk).update(
                    status=Packet.Status.QUEUED, step=f"{reason}. Trying again shortly"
                )
                raise self.retry(
                    exc=exc, countdown=settings.PACKET_RETRY_SECONDS * 2**self.request.retries
                ) from exc
            _fail(packet, f"{reason}; gave up after {self.request.retries + 1} attempts")
        except Exception:
            logger.exception("Packet %s failed", packet.pk)
            _fail(packet, "Something went wrong while rendering it; the error is logged.")
        else:
            stored = Packet.objects.filter(pk=packet.pk, status=Packet.Status.RENDERING).update(
                status=Packet.Status.READY,
                progress=100,
                step="",
                file=packet.file.name,
                pages=pages,
                content_as_of=as_of,
                finished_at=timezone.now(),
            )
            if not stored:  # its candidate was erased meanwhile: keep nothing of them
                packet.file.delete(save=False)


def _progress(packet: Packet):
    def report(percent: int, step: str) -> None:
        Packet.objects.filter(pk=packet.pk).update(progress=percent, step=step)

    return report


def _fail(packet: Packet, reason: str) -> None:
    Packet.objects.filter(pk=packet.pk).update(
        status=Packet.Status.FAILED, step="", error=reason[:500], finished_at=timezone.now()
    )


def _reason(exc: Exception) -> str:
    """A transient failure in words: the operating system's (say, "No space left on device"),
    never a path or a connection string."""
    if isinstance(exc, OperationalError):
        return "The database could not be reached"
    detail = getattr(exc, "strerror", None) or type(exc).__name__
    return f"The file could not be stored ({detail})"
