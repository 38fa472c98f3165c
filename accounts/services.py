"""Membership workflows: invitations, role changes, removal, and the last-admin rule."""

import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Organization, Role, User

logger = logging.getLogger(__name__)


class InvitationInvalid(Exception):
    """An invitation link that cannot be used; `reason` says why, for the page."""

    def __init__(self, reason: str, *, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invite(
    *, organization: Organization, email: str, role: Role, invited_by: User | None
) -> tuple[Invitation, bool]:
    """Create (or renew) the pending invitation for `email` and e-mail it.

    Answers the invitation and whether the e-mail went out: when the mail server fails, the
    invitation stands and its link can be passed on by hand.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of {organization}.")
    with transaction.atomic():
        # Inviting the same address again replaces the pending invitation with a fresh one.
        Invitation.objects.filter(
            organization=organization, email__iexact=email, accepted_at__isnull=True
        ).delete()
        invitation = Invitation.objects.create(
            organization=organization, email=email, role=role, invited_by=invited_by
        )
    try:
        send_invitation_email(invitation)
    except (smtplib.SMTPException, OSError):
        logger.exception("The invitation e-mail to %s could not be sent.", invitation.email)
        return invitation, False
    return invitation, True


def invitation_link(invitation: Invitation) -> str:
    """The full address of the invitation's acceptance page, as e-mailed."""
    return settings.SITE_URL + reverse("accounts:invitation-accept", args=[invitation.token])


def send_invitation_email(invitation: Invitation) -> None:
    context = {"invitation": invitation, "url": invitation_link(invitation)}
    send_mail(
        subject=f"You're invited to {invitation.organization.name} on Rubric",
        message=render_to_string("accounts/invitation_email.txt", context),
        html_message=render_to_string("accounts/invitation_email.html", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link stands for, or InvitationInvalid saying why not."""
    try:
        pk = int(signing.Signer(salt=Invitation.SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise InvitationInvalid(
            "This invitation link is not valid. Check that you copied the whole link."
        ) from None
    # The invitee is not a member yet: the link itself is the only key to the organization.
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("organization", "invited_by").filter(pk=pk).first()
        )
    if invitation is None:
        raise InvitationInvalid(
            "This invitation was withdrawn. Ask the person who invited you for a new one."
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has already been used.", invitation=invitation)
    if invitation.is_expired:
        raise InvitationInvalid(
            "This invitation has expired. Ask the person who invited you to send a new one.",
            invitation=invitation,
        )
    return invitation


def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Make `user` a member with the invitation's role; an invitation works once."""
    with scopes_disabled(), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvitationInvalid("This invitation has already been used.", invitation=locked)
        if user.email.lower() != locked.email.lower():
            raise InvitationInvalid(
                f"This invitation is for {locked.email}, but you are signed in as {user.email}."
            )
        membership, _ = Membership.objects.get_or_create(
            organization=locked.organization, user=user, defaults={"role": locked.role}
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    return membership


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
