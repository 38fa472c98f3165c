"""API keys: made (the key itself shown once), found from a Bearer token, revoked."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Organization, User, hash_token
from api.models import KEY_PREFIX, ApiKey

# How often a key's "last used" is written: a busy key does not write on every request.
LAST_USED_EVERY = timedelta(minutes=1)


@transaction.atomic
def create_key(
    *, organization: Organization, name: str, can_write: bool, user: User | None
) -> tuple[ApiKey, str]:
    """A new key of `organization`, and the key itself, which is kept nowhere."""
    key = ApiKey(organization=organization, name=name, can_write=can_write, created_by=user)
    token = key.new_key()
    key.save()
    return key, token


def revoke(*, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def authenticate(token: str) -> ApiKey | None:
    """The live key that `token` is, with its organization, or None."""
    if not token.startswith(KEY_PREFIX) or len(token) > 100:
        return None
    # Found by its hash, before anyone knows the organization: the one unscoped read.
    with scopes_disabled():
        key = (
            ApiKey.objects.select_related("organization")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True)
            .first()
        )
        if key is None:
            return None
        now = timezone.now()
        if key.last_used_at is None or key.last_used_at < now - LAST_USED_EVERY:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
    return key
