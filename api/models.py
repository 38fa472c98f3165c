import base64
import secrets

from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from accounts.models import Organization, User, hash_token

KEY_PREFIX = "rbk_"
SECRET_PREFIX = "whsec_"


class ApiKey(models.Model):
    """An organization's key to the API: only its hash is kept; it reads as the organization
    does (api.access.reader), and writes too when `can_write`."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, editable=False)  # the key's start, to tell keys apart
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    can_write = models.BooleanField("read and write", default=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def new_key(self) -> str:
        """Make the key, keep its hash and answer the key itself, which is shown once."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = key[: len(KEY_PREFIX) + 4]
        self.key_hash = hash_token(key)
        return key

    @property
    def scope_label(self) -> str:
        return "read and write" if self.can_write else "read"


class Event(models.TextChoices):
    SCORECARD_SUBMITTED = "scorecard.submitted", "scorecard.submitted: feedback is submitted"
    LOOP_FEEDBACK_COMPLETE = (
        "loop.feedback_complete",
        "loop.feedback_complete: every stage held, all feedback in",
    )
    DEBRIEF_REVEALED = "debrief.revealed", "debrief.revealed: recommendations revealed"
    DEBRIEF_DECIDED = "debrief.decided", "debrief.decided: the debrief's decision (or its change)"
    CANDIDATE_ERASED = "candidate.erased", "candidate.erased: a candidate's data erased"
    PACKET_READY = "packet.ready", "packet.ready: a candidate packet is ready"


class WebhookEndpoint(models.Model):
    """Where an organization's events are sent, signed with the endpoint's secret."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    url = models.URLField("URL", max_length=500)
    events = models.JSONField(default=list)  # Event values
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        return self.url

    def new_secret(self) -> str:
        """A secret as Standard Webhooks writes it: whsec_ and 24 random bytes in base64."""
        self.secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()
        return self.secret


class Delivery(models.Model):
    """One event sent to one endpoint: its payload, as fixed when the event happened, and how
    each attempt went."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"  # given up

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, editable=False)  # webhook-id, the same per retry
    event = models.CharField(max_length=40, choices=Event.choices)
    subject_id = models.BigIntegerField()  # the scorecard, loop, debrief's loop, candidate, packet
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(organization="endpoint__organization")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(fields=["endpoint", "event", "subject_id"]),
        ]

    def __str__(self):
        return f"{self.event} to {self.endpoint_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class IdempotentResponse(models.Model):
    """A write's answer, kept for a day under its Idempotency-Key so that a retry gets it again
    instead of acting twice."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="key__organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "idempotency_key"], name="idempotent_response_once_per_key"
            )
        ]

    def __str__(self):
        return self.idempotency_key
