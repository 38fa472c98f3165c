from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.access import (
    OrgRequest,
    get_invitation,
    get_membership,
    memberships_of,
    role_required,
)
from accounts.forms import (
    TIME_ZONES,
    InvitationForm,
    OrganizationSettingsForm,
    RoleForm,
    SignUpForm,
)
from accounts.models import Invitation, Membership, Role, User


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: the database and the cache both answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("healthz", "ok", timeout=10)
    return HttpResponse(cache.get("healthz"), content_type="text/plain")


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Where "/" and a fresh login lead: the user's organization, or a choice of them."""
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = memberships_of(request.user)
    if len(memberships) == 1:
        return redirect("accounts:org-home", memberships[0].organization.slug)
    return redirect("accounts:organizations")


@require_GET
@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organizations.html")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": error.reason}, status=410
        )
    user = request.user
    account_exists = invitation.invitee_has_account()
    context = {"invitation": invitation, "account_exists": account_exists}

    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(request, "accounts/invitation_wrong_user.html", context, status=403)
        if request.method == "POST":
            return _accept(request, invitation, user)
        return render(request, "accounts/invitation_accept.html", context)

    if account_exists:
        # The invitee has an account: they sign in, then come back here to accept.
        return render(request, "accounts/invitation_accept.html", context)

    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            invitation.email,
            form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _accept(request, invitation, user)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/invitation_accept.html", {**context, "form": form}, status=status
    )


def _accept(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    try:
        membership = services.accept_invitation(invitation=invitation, user=user)
    except services.InvitationInvalid as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": error.reason}, status=410
        )
    messages.success(
        request,
        f"Welcome to {membership.organization.name}. "
        f"You joined as {membership.get_role_display().lower()}.",
    )
    return redirect("accounts:org-home", membership.organization.slug)


@require_GET
def org_home(request: OrgRequest, org_slug: str) -> HttpResponse:
    return render(request, "accounts/org_home.html")


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def members(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation, sent = services.invite(
                    organization=request.organization,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                if sent:
                    messages.success(request, f"Invitation sent to {invitation.email}.")
                else:
                    messages.warning(
                        request,
                        f"The invitation to {invitation.email} is saved, but the e-mail could not "
                        "be sent. Copy its link below and pass it on yourself.",
                    )
                return redirect("accounts:members", org_slug)
        status = 400
    memberships = Membership.objects.filter(organization=request.organization).select_related(
        "user"
    )
    invitations = Invitation.objects.filter(
        organization=request.organization, accepted_at__isnull=True
    ).select_related("invited_by")
    context = {
        "memberships": memberships,
        "invitations": invitations,
        "form": form,
        "roles": Role.choices,
    }
    return render(request, "accounts/members.html", context, status=status)


@require_POST
@role_required(Role.ADMIN)
def member_role(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    membership = get_membership(request, pk)
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.change_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = "Choose one of the roles."
    if request.htmx:
        response = render(
            request,
            "accounts/members.html#member-row",
            {
                "m": membership,
                "roles": Role.choices,
                "row_error": error,
                "row_saved": error is None,
            },
            status=400 if error else 200,
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"{membership.user} is now {membership.get_role_display().lower()}."
        )
    return redirect("accounts:members", org_slug)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def member_remove(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    membership = get_membership(request, pk)
    if request.method == "POST":
        try:
            services.remove_member(membership=membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return render(request, "accounts/member_remove.html", {"m": membership}, status=400)
        messages.success(request, f"{membership.user} was removed from {request.organization}.")
        if membership.user_id == request.user.pk:
            return redirect("accounts:start")
        return redirect("accounts:members", org_slug)
    return render(request, "accounts/member_remove.html", {"m": membership})


@require_POST
@role_required(Role.ADMIN)
def invitation_revoke(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    invitation = get_invitation(request, pk)
    invitation.delete()
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("accounts:members", org_slug)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def org_settings(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = OrganizationSettingsForm(request.POST or None, instance=request.organization)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Settings saved.")
            return redirect("accounts:org-settings", org_slug)
        # The form wrote the rejected values onto the organization; the page header shows it.
        request.organization.refresh_from_db()
        status = 400
    else:
        status = 200
    context = {"form": form, "time_zones": TIME_ZONES}
    return render(request, "accounts/org_settings.html", context, status=status)
