"""Who may do what in an organization, and the accounts' lookups.

`CAPABILITIES` is DESIGN.md's roles table as data, the one place in the code that lists
roles: views (`requires`), templates (`can`, from the context processor), lookups (`reach`)
and tests all ask it. Each app's own `access.py` holds the lookups of its objects, each
starting from the request's organization and answering 404 alike for "does not exist" and
"belongs to another organization".
"""

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

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


class Action(StrEnum):
    """What a member may do, as the rows of DESIGN.md's roles table name it."""

    MANAGE_ORGANIZATION = "manage_organization"  # members, roles, organization settings
    BUILD_GUIDES = "build_guides"  # build and publish guides
    MANAGE_JOBS = "manage_jobs"  # jobs, candidates, loops, scheduling
    ERASE_CANDIDATES = "erase_candidates"  # a candidate's personal data, on request
    READ_FEEDBACK = "read_feedback"  # submitted scorecards of a loop, by role (rule 2 aside)
    RUN_DEBRIEF = "run_debrief"  # facilitate the debrief and decide
    CALL_REFERENCES = "call_references"
    EXPORT_PACKETS = "export_packets"
    SEND_EXERCISES = "send_exercises"  # take-home exercises: send, send again, give more time
    # Who may be named on a job: its hiring manager runs its debriefs, its recruiter its loops.
    LEAD_A_JOB = "lead_a_job"
    RECRUIT_FOR_A_JOB = "recruit_for_a_job"
    MANAGE_INTEGRATIONS = "manage_integrations"  # API keys, webhooks
    READ_INSIGHTS = "read_insights"  # agreement and leniency over submitted scorecards (rule 2)
    COMPARE_CANDIDATES = "compare_candidates"  # a job's candidates side by side (rules 2, 3)


class Reach(StrEnum):
    """How far a role's right goes: the whole organization, or the jobs the member manages."""

    ALL = "all"
    OWN_JOBS = "own_jobs"


ALL, OWN_JOBS = Reach.ALL, Reach.OWN_JOBS
ADMIN, HIRING_MANAGER, RECRUITER = Role.ADMIN, Role.HIRING_MANAGER, Role.RECRUITER

# Every interviewer, whatever their role, opens the kit of their own interviews, reads the
# others' feedback in those loops once their own is in, and takes part in those debriefs:
# that follows from the seat, not the role, and lives in scorecards.visibility.
CAPABILITIES: dict[Action, dict[Role, Reach]] = {
    Action.MANAGE_ORGANIZATION: {ADMIN: ALL},
    Action.BUILD_GUIDES: {ADMIN: ALL, HIRING_MANAGER: ALL, RECRUITER: ALL},
    Action.MANAGE_JOBS: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
    Action.ERASE_CANDIDATES: {ADMIN: ALL, RECRUITER: ALL},
    Action.READ_FEEDBACK: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
    Action.RUN_DEBRIEF: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS},
    Action.CALL_REFERENCES: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
    Action.EXPORT_PACKETS: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
    Action.SEND_EXERCISES: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
    Action.LEAD_A_JOB: {ADMIN: ALL, HIRING_MANAGER: ALL},
    Action.RECRUIT_FOR_A_JOB: {ADMIN: ALL, RECRUITER: ALL},
    Action.MANAGE_INTEGRATIONS: {ADMIN: ALL},
    Action.READ_INSIGHTS: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
    Action.COMPARE_CANDIDATES: {ADMIN: ALL, HIRING_MANAGER: OWN_JOBS, RECRUITER: ALL},
}


def reach(who: Membership | Role, action: Action) -> Reach | None:
    """How far a member's role (or `who`, a role) may do `action`: everywhere, in its own jobs,
    or not at all."""
    return CAPABILITIES[action].get(who.role if isinstance(who, Membership) else who)


def roles_that(action: Action) -> list[Role]:
    """The roles that may do `action`, in the table's order."""
    return list(CAPABILITIES[action])


def may(membership: Membership, action: Action) -> bool:
    """Whether `membership`'s role may do `action` at all (its own jobs at least)."""
    return reach(membership, action) is not None


def refusal(action: Action) -> str:
    """Who may do `action`, in words: "Only admins, hiring managers and recruiters …"."""
    names = [f"{Role(role).label.lower()}s" for role in CAPABILITIES[action]]
    allowed = " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
    return f"Only {allowed} can do this."


def requires(action: Action):
    """Let the view run only for members whose role may do `action`; others get a 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: OrgRequest, *args, **kwargs):
            if not may(request.membership, action):
                raise PermissionDenied(refusal(action))
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


def pending_invitations(request: OrgRequest):
    """The organization's invitations not yet accepted nor expired, the oldest first."""
    if not may(request.membership, Action.MANAGE_ORGANIZATION):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        organization=request.organization,
        accepted_at__isnull=True,
        created_at__gt=timezone.now() - settings.INVITATION_MAX_AGE,
    ).order_by("created_at", "pk")


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


@contextmanager
def acting_for(organization: Organization) -> Iterator[None]:
    """Work done for `organization` outside a request (a periodic run over every organization):
    its queries answer for it alone (django-scopes), its times read in its zone."""
    with scope(organization=organization), timezone.override(organization.zone):
        yield
