"""Membership workflows: invitations, role changes, removal, and the last-admin rule."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import (
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    hash_token,
    normalize_email,
)

logger = logging.getLogger(__name__)


class InvitationInvalid(Exception):
    """An invitation link that cannot be used; the message says why, for the page."""


ALREADY_USED = "This invitation has already been used."


@dataclass(frozen=True)
class Invited:
    invitation: Invitation
    link: str  # secret: only the e-mail (or the operator's console) shows it
    sent: bool


def invite(
    *, organization: Organization, email: str, role: Role, invited_by: User | None
) -> Invited:
    """Create (or renew) the pending invitation for `email` and e-mail its link.

    When the e-mail does not go out, the invitation stands and can be sent again from the
    members page.
    """
    email = normalize_email(email)
    with transaction.atomic():
        # One invitation per address and organization at a time: a double click waits here.
        Organization.objects.select_for_update().get(pk=organization.pk)
        if Membership.objects.filter(organization=organization, user__email=email).exists():
            raise ValidationError(f"{email} is already a member of {organization}.")
        Invitation.objects.filter(
            organization=organization, email=email, accepted_at__isnull=True
        ).delete()
        invitation = Invitation(
            organization=organization, email=email, role=role, invited_by=invited_by
        )
        token = invitation.new_token()
        invitation.save()
    link = invitation_link(token)
    try:
        send_invitation_email(invitation, link)
    except Exception:
        # A mail server or provider refusing must not undo the invitation; it can be resent.
        logger.exception("The invitation e-mail to %s could not be sent.", invitation.email)
        return Invited(invitation, link, sent=False)
    return Invited(invitation, link, sent=True)


def invitation_link(token: str) -> str:
    """The full address of an invitation's acceptance page, as e-mailed."""
    return settings.SITE_URL + reverse("accounts:invitation-accept", args=[token])


def send_invitation_email(invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "url": link}
    send_mail(
        subject=f"You're invited to {invitation.organization.name} on Rubric",
        message=render_to_string("accounts/invitation_email.txt", context),
        html_message=render_to_string("accounts/invitation_email.html", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link stands for, or InvitationInvalid saying why not."""
    # The invitee is not a member yet: the link itself is the only key to the organization.
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("organization", "invited_by")
            .filter(token_hash=hash_token(token))
            .first()
        )
    if invitation is None:
        raise InvitationInvalid(
            "This invitation link is not valid: it was withdrawn or replaced by a newer one, "
            "or part of it is missing. Ask the person who invited you to send it again."
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(ALREADY_USED)
    if invitation.is_expired:
        raise InvitationInvalid(
            "This invitation has expired. Ask the person who invited you to send a new one."
        )
    return invitation


def accept_invitation(*, invitation: Invitation, user: User) -> tuple[Membership, bool]:
    """Make `user` a member with the invitation's role; an invitation works once.

    Answers the membership and whether it is new (someone already a member keeps their role).
    """
    with scopes_disabled(), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvitationInvalid(ALREADY_USED)
        if not locked.is_for(user):
            raise InvitationInvalid(
                f"This invitation is for {locked.email}, but you are signed in as {user.email}."
            )
        membership, created = Membership.objects.get_or_create(
            organization=locked.organization, user=user, defaults={"role": locked.role}
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return membership, created


def sign_up_and_accept(
    *, invitation: Invitation, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the invitee's account and accept the invitation with it, both or neither."""
    try:
        with scopes_disabled(), transaction.atomic():
            # Locked first: a double submit finds the invitation used, not a duplicate user.
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.accepted_at is not None:
                raise InvitationInvalid(ALREADY_USED)
            user = User.objects.create_user(locked.email, password, full_name=full_name)
            membership, _ = accept_invitation(invitation=locked, user=user)
    except IntegrityError:
        # The address has an account, perhaps made a moment ago through another organization.
        raise InvitationInvalid(
            f"{invitation.email} has a Rubric account already. Log in to accept the invitation."
        ) from None
    return user, membership


def _lock_admins(organization: Organization) -> list[int]:
    """Lock the organization's admin memberships, so two demotions cannot both pass the check."""
    return list(
        Membership.objects.select_for_update()
        .filter(organization=organization, role=Role.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def change_role(*, membership: Membership, role: Role) -> Membership:
    if role not in Role.values:
        raise ValidationError("Choose one of the roles.")
    with transaction.atomic():
        admins = _lock_admins(membership.organization)
        if admins == [membership.pk] and role != Role.ADMIN:
            raise ValidationError(
                f"{membership.user} is the last admin of {membership.organization}. "
                "Make someone else an admin first."
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(*, membership: Membership) -> None:
    with transaction.atomic():
        admins = _lock_admins(membership.organization)
        if admins == [membership.pk]:
            raise ValidationError(
                f"{membership.user} is the last admin of {membership.organization} "
                "and cannot be removed. Make someone else an admin first."
            )
        membership.delete()
