from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services
from accounts.access import (
    Action,
    OrgRequest,
    get_invitation,
    get_membership,
    memberships_of,
    requires,
)
from accounts.forms import (
    EmailChoiceForm,
    InvitationForm,
    OrganizationSettingsForm,
    QualificationForm,
    RoleForm,
    SignUpForm,
)
from accounts.models import TIME_ZONES, Membership, Role
from candidates import training
from config.ids import link_for_each
from config.stencils import Stencil, marker


class RefusedFormIs400:
    """For Django's account views: a form sent back with errors answers 400, as every other
    form of Rubric does."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(RefusedFormIs400, auth_views.LoginView):
    """Django's login; a signed-in user sent back to the login page goes home instead."""

    redirect_authenticated_user = True

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return "" if url.split("?")[0] == self.request.path else url


class PasswordResetView(RefusedFormIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(RefusedFormIs400, auth_views.PasswordResetConfirmView):
    pass


class PasswordChangeView(RefusedFormIs400, auth_views.PasswordChangeView):
    pass


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400, saying in plain words when what was sent is too large."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        reason = (
            f"What you sent is larger than Rubric accepts in a form ({limit:.1f} MB). "
            "A long guide can be imported as a file instead."
        )
    else:
        reason = "Something in it was malformed or too large."
    return render(request, "400.html", {"reason": reason}, status=400)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and docker-compose: the database and the cache both answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("healthz", "ok", timeout=10)
    return HttpResponse(cache.get("healthz"), content_type="text/plain")


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """Where "/" and a fresh login lead: the user's organization, or a choice of them."""
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = memberships_of(request.user)
    if len(memberships) == 1:
        return redirect("workspace:home", memberships[0].organization.slug)
    return redirect("accounts:organizations")


@require_safe
@login_required
def organizations(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/organizations.html")


def _invalid_invitation(request: HttpRequest, error: services.InvitationInvalid) -> HttpResponse:
    return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: join with the account one is signed in with, or create one."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationInvalid as error:
        return _invalid_invitation(request, error)
    user = request.user
    context = {"invitation": invitation}

    if user.is_authenticated:
        if not invitation.is_for(user):
            return render(request, "accounts/invitation_wrong_user.html", context, status=403)
        if request.method == "POST":
            try:
                membership, created = services.accept_invitation(invitation=invitation, user=user)
            except services.InvitationInvalid as error:
                return _invalid_invitation(request, error)
            return _welcome(request, membership, created)
        return render(request, "accounts/invitation_accept.html", context)

    # Only the invitee's mailbox has the link, so saying that the account exists tells
    # nobody else anything.
    if invitation.invitee_has_account():
        return render(request, "accounts/invitation_accept.html", {**context, "log_in": True})

    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user, membership = services.sign_up_and_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationInvalid as error:
            return _invalid_invitation(request, error)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, membership, created=True)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/invitation_accept.html", {**context, "form": form}, status=status
    )


def _welcome(request: HttpRequest, membership: Membership, created: bool) -> HttpResponse:
    role = membership.get_role_display().lower()
    if created:
        messages.success(
            request, f"Welcome to {membership.organization.name}. You joined as {role}."
        )
    else:
        messages.info(
            request,
            f"You were already a member of {membership.organization.name}, as {role}; "
            "your role stays as it is.",
        )
    return redirect("workspace:home", membership.organization.slug)


def _report(request: HttpRequest, invited: services.Invited, success: str) -> None:
    if invited.sent:
        messages.success(request, success)
    else:
        messages.warning(
            request,
            f"The invitation to {invited.invitation.email} is saved, but the e-mail could not "
            "be sent. Try “Send again” in a while.",
        )


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.MANAGE_ORGANIZATION)
def members(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invited = services.invite(
                    organization=request.organization,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                _report(request, invited, f"Invitation sent to {invited.invitation.email}.")
                return redirect("accounts:members", org_slug)
        status = 400
    organization = request.organization
    memberships = organization.memberships.select_related("user")
    invitations = organization.invitations.filter(accepted_at__isnull=True).select_related(
        "invited_by"
    )
    context = {
        "rows": _member_rows(request, memberships),
        "invitations": invitations,
        "form": form,
    }
    return render(request, "accounts/members.html", context, status=status)


def _role_options() -> dict[str, str]:
    """The role picker's options with each role chosen: made once, not once per member."""
    return {
        chosen: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if value == chosen else "", label)
                for value, label in Role.choices
            ),
        )
        for chosen in Role.values
    }


ROW_FIELDS = ("pk", "name", "email", "role_url", "remove_url", "training_url", "options", "since")


def _member_rows(request: OrgRequest, memberships) -> SafeString:
    """The members page's rows (150 or more): the row's template rendered once for the viewer's
    own row and once for the others' (config.stencils), each member's values filled in; the
    links reversed once for them all, the dates formatted once per day."""
    markers = {field: marker(field) for field in ROW_FIELDS}
    stencils = {
        you: Stencil("accounts/members.html#member-row", {"m": markers | {"is_you": you}}, request)
        for you in (False, True)
    }
    rows = (stencils[row["is_you"]].fill(row) for row in _row_values(request, memberships))
    return mark_safe("".join(rows))  # noqa: S308 (the template's, and escaped values)


def _row_values(request: OrgRequest, memberships) -> list[dict]:
    slug = request.organization.slug
    links = {
        name: link_for_each(f"accounts:member-{name}", slug)
        for name in ("role", "remove", "training")
    }
    options = _role_options()
    days = {}
    rows = []
    for membership in memberships:
        pk = str(membership.pk)
        day = timezone.localtime(membership.created_at).date()
        if day not in days:
            days[day] = date_format(day, "j M Y")
        rows.append(
            {
                "pk": pk,
                "name": membership.user.display_name,
                "email": membership.user.email,
                "is_you": membership.user_id == request.user.pk,
                **{f"{name}_url": link(pk) for name, link in links.items()},
                "options": options[membership.role],
                "since": days[day],
            }
        )
    return rows


@require_POST
@requires(Action.MANAGE_ORGANIZATION)
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
                "m": _row_values(request, [membership])[0],
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


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.MANAGE_ORGANIZATION)
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


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.MANAGE_ORGANIZATION)
def member_training(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """A member's training on each stage of the open jobs: shadow seats, panel seats, and
    the admin's word that they are qualified, which the admin gives or withdraws here."""
    membership = get_membership(request, pk)
    organization = request.organization
    rows = training.training_of(organization, membership.user)
    form = QualificationForm(
        request.POST if request.method == "POST" else None,
        stages=[(row.guide_id, row.name) for row in rows],
    )
    if form.is_valid():
        guide_id, name = form.stages[form.cleaned_data["stage"]]
        guide = organization.guides.get(pk=guide_id)
        try:
            if form.cleaned_data["qualified"]:
                training.qualify(
                    guide=guide, stage_name=name, user=membership.user, by=request.user
                )
                messages.success(request, f"{membership.user} is qualified for {name}.")
            else:
                training.withdraw(guide=guide, stage_name=name, user=membership.user)
                messages.success(
                    request, f"{membership.user} is no longer qualified by you for {name}."
                )
        except training.Refused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("accounts:member-training", org_slug, pk)
    context = {"m": membership, "rows": rows, "form": form}
    return render(
        request,
        "accounts/member_training.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires(Action.MANAGE_ORGANIZATION)
def invitation_resend(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Sends a fresh link (the old one stops working) with a new expiry."""
    invitation = get_invitation(request, pk)
    try:
        invited = services.invite(
            organization=request.organization,
            email=invitation.email,
            role=invitation.role,
            invited_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:members", org_slug)
    _report(request, invited, f"A new invitation was sent to {invitation.email}.")
    return redirect("accounts:members", org_slug)


@require_POST
@requires(Action.MANAGE_ORGANIZATION)
def invitation_revoke(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    invitation = get_invitation(request, pk)
    invitation.delete()
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("accounts:members", org_slug)


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.MANAGE_ORGANIZATION)
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


@require_http_methods(["GET", "HEAD", "POST"])
def account_emails(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Every member's own page: whether Rubric e-mails them more than reminders of feedback
    they owe, in this organization."""
    membership = request.membership
    form = EmailChoiceForm(request.POST if request.method == "POST" else None, instance=membership)
    if form.is_valid():
        # Only this field: the role may have changed since the request read the membership.
        form.save(commit=False).save(update_fields=["notification_emails"])
        if membership.notification_emails:
            messages.success(
                request,
                "Saved: Rubric e-mails you each interview's kit before it, and tells you when "
                "all feedback is in for the jobs you manage.",
            )
        else:
            messages.success(
                request,
                "Saved: Rubric now e-mails you only reminders of feedback you owe.",
            )
        return redirect("accounts:account-emails", org_slug)
    return render(request, "accounts/account_emails.html", {"form": form})
