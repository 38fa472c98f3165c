"""Webhooks: the events that workflows announce, recorded once committed as one delivery per
endpoint that wants them, signed and sent as the Standard Webhooks specification says, retried
with backoff for about a day; an endpoint failing for a day is turned off and its admins told.

A payload carries what a read key could read when the event happened (api.payloads, read as
api.access.reader), never more: no draft, no recommendation before the reveal."""

import ipaddress
import json
import logging
import secrets
import socket
from datetime import UTC, timedelta
from functools import partial
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.access import Action, acting_for, roles_that
from accounts.models import Membership, Organization
from api import payloads
from api.access import reader
from api.models import Delivery, Event, WebhookEndpoint
from candidates.models import Loop, Packet
from candidates.services import with_progress
from debriefs.models import Debrief

logger = logging.getLogger(__name__)

FAILING_FOR = timedelta(days=1)  # an endpoint failing this long is turned off


# What the workflows call, once each, at their end: recorded when their transaction commits.


def heard(sender, *, event: str, organization_id: int, subject_id: int, **kwargs) -> None:
    """What a workflow announced (accounts.events), recorded for the endpoints that want it."""
    organization = Organization.objects.get(pk=organization_id)
    with acting_for(organization):
        record(event=Event(event), organization=organization, subject_id=subject_id)


def record(*, event: Event, organization: Organization, subject_id: int) -> list[Delivery]:
    """One delivery of `event` for each live endpoint of the organization that wants it, and
    their sending queued; a scorecard that completes its loop's feedback also tells that."""
    if not WebhookEndpoint.objects.filter(organization=organization, is_active=True).exists():
        return []  # nobody listens: the loop's progress is not worth working out
    deliveries = _deliveries(event, organization, subject_id)
    if event == Event.SCORECARD_SUBMITTED:
        loop_id = Loop.objects.filter(interviews__scorecards=subject_id).values("pk")[:1]
        complete = with_progress(
            Loop.objects.filter(pk__in=loop_id, job__organization=organization)
        )
        for loop in complete.filter(progress=Loop.Progress.FEEDBACK_IN):
            deliveries += _deliveries(Event.LOOP_FEEDBACK_COMPLETE, organization, loop.pk)
    for delivery in deliveries:
        queue(delivery)
    return deliveries


def _deliveries(event: Event, organization: Organization, subject_id: int) -> list[Delivery]:
    endpoints = WebhookEndpoint.objects.filter(organization=organization, is_active=True)
    if event == Event.LOOP_FEEDBACK_COMPLETE:  # once per loop, however it came about
        told = Delivery.objects.filter(event=event, subject_id=subject_id)
        endpoints = endpoints.exclude(pk__in=told.values("endpoint"))
    # The events each endpoint wants, read here: SQLite (the demo) has no JSON containment.
    endpoints = [endpoint for endpoint in endpoints if event.value in endpoint.events]
    if not endpoints:
        return []
    body = {
        "type": event.value,
        "timestamp": timezone.now().astimezone(UTC).isoformat(),
        "data": _data(event, organization, subject_id),
    }
    body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    return Delivery.objects.bulk_create(
        Delivery(
            endpoint=endpoint,
            message_id=f"msg_{secrets.token_urlsafe(18)}",
            event=event,
            subject_id=subject_id,
            payload=body,
        )
        for endpoint in endpoints
    )


def _data(event: Event, organization: Organization, subject_id: int) -> dict:
    """What the event names, as a read key of the organization reads it now."""
    as_key = reader(organization)
    loops = payloads.loops(Loop.objects.filter(job__organization=organization))
    if event == Event.SCORECARD_SUBMITTED:
        cards = list(payloads.submitted_scorecards(as_key).filter(pk=subject_id))
        return {"scorecard": payloads.scorecards(cards, as_key)[0] if cards else None}
    if event == Event.LOOP_FEEDBACK_COMPLETE:
        return {"loop": payloads.loop(loops.get(pk=subject_id))}
    if event in (Event.DEBRIEF_REVEALED, Event.DEBRIEF_DECIDED):
        debrief = Debrief.objects.get(loop=subject_id, loop__job__organization=organization)
        return {
            "debrief": payloads.debrief(debrief),
            "loop": payloads.loop(loops.get(pk=subject_id)),
        }
    if event == Event.CANDIDATE_ERASED:
        return {"candidate": {"id": subject_id, "erased": True}}
    packet = Packet.objects.get(pk=subject_id, loop__job__organization=organization)
    return {"packet": {"id": packet.pk, "loop_id": packet.loop_id, "pages": packet.pages}}


def queue(delivery: Delivery, countdown: float = 0) -> None:
    from api.tasks import deliver  # the task calls back into this module

    organization_id = delivery.endpoint.organization_id
    try:
        deliver.apply_async(
            (delivery.pk,), {"organization_id": organization_id}, countdown=countdown
        )
    except Exception:
        # The broker is down: the delivery stays pending, and `resend` sends it later.
        logger.warning("Webhook delivery %s: the task queue is unreachable", delivery.pk)


# Where a webhook may go.


class AddressRefused(Exception):
    pass


def check_url(url: str) -> None:
    """ValidationError unless `url` may be an endpoint: https (outside the demo) and not naming
    a loopback, private or link-local address; its name is resolved again at each delivery."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (settings.WEBHOOK_ALLOW_HTTP and parts.scheme == "http"):
        raise ValidationError("A webhook URL starts with https://.")
    if not parts.hostname:
        raise ValidationError("This URL names no host.")
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        if parts.hostname == "localhost" or parts.hostname.endswith((".localhost", ".local")):
            raise ValidationError("A webhook cannot go to this machine or its network.") from None
        return
    if not address.is_global:
        raise ValidationError("A webhook cannot go to a loopback, private or link-local address.")


def public_address(host: str, port: int) -> str:
    """The address `host` resolves to, checked now (against DNS rebinding): AddressRefused
    when any of its addresses is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise AddressRefused(f"The host name did not resolve: {exc}") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in found]
    allowed = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES
    if not allowed and (not addresses or any(not a.is_global for a in addresses)):
        raise AddressRefused("The host resolves to a loopback, private or link-local address.")
    return str(addresses[0])


# Sending.


def signed_headers(delivery: Delivery, body: str) -> dict[str, str]:
    now = timezone.now().astimezone(UTC)
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(delivery.endpoint.secret).sign(delivery.message_id, now, body),
        "content-type": "application/json",
        "user-agent": "Rubric-Webhooks/1",
    }


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    """POST to the address checked now, not to whatever the name resolves to next; short
    timeouts, no redirect followed."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = public_address(parts.hostname, port)
    if https:
        pool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=parts.hostname, assert_hostname=parts.hostname
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    timeout = urllib3.Timeout(connect=3, read=settings.WEBHOOK_TIMEOUT_SECONDS)
    with pool:
        response = pool.urlopen(
            "POST",
            path,
            body=body.encode(),
            headers={**headers, "host": parts.netloc.rpartition("@")[2]},
            redirect=False,
            retries=False,
            timeout=timeout,
            preload_content=False,
        )
        answer = response.read(1000, decode_content=True).decode(errors="replace")
        response.release_conn()
    return response.status, answer


def attempt(*, delivery_id: int) -> float | None:
    """Send the delivery once; the seconds to wait before the next attempt, or None when it is
    done (sent, given up, or not pending)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint__organization")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        endpoint = delivery.endpoint
        body = json.dumps(delivery.payload, separators=(",", ":"))
        status, answer, error = None, "", ""
        if not endpoint.is_active:
            error = "The endpoint is turned off."
        else:
            try:
                status, answer = _post(endpoint.url, body, signed_headers(delivery, body))
            except AddressRefused as exc:
                error = str(exc)
            except urllib3.exceptions.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.response_status, delivery.response_body, delivery.error = status, answer, error
        waits = settings.WEBHOOK_RETRY_SECONDS
        wait = None
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.next_attempt_at = Delivery.Status.SUCCEEDED, None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        elif delivery.attempts > len(waits) or not endpoint.is_active:
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
            _failed(endpoint, now)
        else:
            wait = waits[delivery.attempts - 1]
            delivery.next_attempt_at = now + timedelta(seconds=wait)
            _failed(endpoint, now)
        delivery.save()
    return wait


def _failed(endpoint: WebhookEndpoint, now) -> None:
    """Note the endpoint failing; one failing for a day is turned off and its admins told."""
    if endpoint.failing_since is None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since=None).update(failing_since=now)
        return
    if not endpoint.is_active or endpoint.failing_since > now - FAILING_FOR:
        return
    reason = "Every delivery failed for a day."
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_reason=reason)
    organization = endpoint.organization
    admins = Membership.objects.filter(
        organization=organization, role__in=roles_that(Action.MANAGE_INTEGRATIONS)
    ).select_related("user")
    link = settings.SITE_URL + reverse(
        "integrations:webhook-detail", args=[organization.slug, endpoint.pk]
    )
    transaction.on_commit(
        partial(
            send_mail,
            f"Webhook turned off: {endpoint.url}",
            f"Rubric could not deliver to {endpoint.url} for a day, so it has turned this "
            f"webhook endpoint of {organization.name} off. Its deliveries and their answers are "
            f"logged; turn it on again once it answers:\n\n{link}\n",
            None,
            [m.user.email for m in admins if m.user.is_active],
        ),
        robust=True,
    )


@transaction.atomic
def resend(*, delivery: Delivery) -> None:
    """Send a logged delivery again, as it was (same id, same payload), from its first attempt."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(partial(queue, delivery), robust=True)


def create_endpoint(*, organization, url: str, events: list[str], user) -> WebhookEndpoint:
    check_url(url)
    endpoint = WebhookEndpoint(organization=organization, url=url, events=events, created_by=user)
    endpoint.new_secret()
    endpoint.save()
    return endpoint


def switch(*, endpoint: WebhookEndpoint, on: bool) -> None:
    endpoint.is_active = on
    endpoint.disabled_reason = "" if on else "Turned off by an admin."
    endpoint.failing_since = None
    endpoint.save(update_fields=["is_active", "disabled_reason", "failing_since"])
