"""Who may do what in an organization, and lookups that start from the request's organization.

Every lookup answers 404 alike for "does not exist" and "belongs to another organization".
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Organization, Role, User, normalize_email


class OrgRequest(HttpRequest):
    """A request under /o/<org_slug>/, as OrganizationMiddleware leaves it."""

    user: User | AnonymousUser
    organization: Organization
    membership: Membership


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The e-mail a login attempt is for, as django-axes counts failures: case folded, so
    that "Alice@…" and "alice@…" share one counter."""
    source = credentials or request.POST
    # Cut to what an e-mail address can be, which also fits django-axes' column.
    return normalize_email(str(source.get("username", "")))[:254]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login throttling.

    Behind PROXY_COUNT trusted proxies, each appends the address it saw to X-Forwarded-For;
    the entry PROXY_COUNT from the right is the one our nearest proxy vouches for, whatever
    the client wrote to the left of it. Without a proxy the header is the client's own words.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    return entries[-settings.PROXY_COUNT] if len(entries) >= settings.PROXY_COUNT else remote


def role_required(*roles: Role):
    """Let the view run only for members whose role is one of `roles`; others get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: OrgRequest, *args, **kwargs):
            if request.membership.role not in roles:
                names = [f"{Role(role).label.lower()}s" for role in roles]
                allowed = " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
                raise PermissionDenied(f"Only {allowed} can do this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def get_membership(request: OrgRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"),
        organization=request.organization,
        pk=pk,
    )


def get_invitation(request: OrgRequest, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.filter(accepted_at__isnull=True),
        organization=request.organization,
        pk=pk,
    )


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships in every organization, for choosing one."""
    if not user.is_authenticated:
        return []
    # A user's own memberships span organizations by nature: the one unscoped read of them.
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user)
            .select_related("organization")
            .order_by("organization__name")
        )
