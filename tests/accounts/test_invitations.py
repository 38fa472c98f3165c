import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership, Role
from tests.factories import PASSWORD, InvitationFactory, UserFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def invite(client, org, email, role="recruiter"):
    return client.post(f"/o/{org.slug}/members/", {"email": email, "role": role})


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitations/\S+/)", message.body).group(1)


def test_an_admin_invites_by_email_and_the_link_is_in_the_mail(client, alice, org):
    client.force_login(alice)
    response = invite(client, org, "Newbie@Example.test")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["newbie@example.test"]
    assert "Alpha" in message.subject
    assert "recruiter" in message.body
    assert message.alternatives and "Accept the invitation" in message.alternatives[0].content
    page = client.get(f"/o/{org.slug}/members/")
    assert "newbie@example.test" in page.text
    # Only the invitee's mailbox holds the link, so that it proves the address is theirs.
    assert link_in(message) not in page.text
    assert not re.search(r"/invitations/[\w-]{20,}/", page.text)


def test_a_new_person_accepts_by_creating_an_account(client, alice, org):
    client.force_login(alice)
    invite(client, org, "newbie@example.test", role="hiring_manager")
    client.logout()
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert "Join Alpha" in page.text
    assert "Create account and join" in page.text
    response = client.post(
        link,
        {
            "full_name": "Nina Newbie",
            "password1": "a long new secret",
            "password2": "a long new secret",
        },
    )
    assert response.status_code == 302
    assert response.url == f"/o/{org.slug}/"
    membership = Membership.objects.get(user__email="newbie@example.test")
    assert membership.organization == org
    assert membership.role == Role.HIRING_MANAGER
    home = client.get(response.url)
    assert "Nina Newbie" in home.text
    assert Invitation.objects.get().accepted_at is not None


def test_a_weak_password_is_refused_and_the_name_kept(client, org):
    invitation = InvitationFactory(organization=org, email="newbie@example.test")
    response = client.post(
        f"/invitations/{invitation.token}/",
        {"full_name": "Nina Newbie", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 400
    assert 'value="Nina Newbie"' in response.text
    assert "too short" in response.text
    assert not Membership.objects.exists()


def test_someone_with_an_account_logs_in_and_joins(client, org, other_org):
    existing = UserFactory(email="carol@example.test")
    invitation = InvitationFactory(
        organization=org, email="carol@example.test", role=Role.RECRUITER
    )
    link = f"/invitations/{invitation.token}/"
    page = client.get(link)
    assert "Log in to accept" in page.text
    login = client.post(
        "/accounts/login/", {"username": "carol@example.test", "password": PASSWORD, "next": link}
    )
    assert login.url == link
    assert "Join Alpha" in client.get(link).text
    response = client.post(link)
    assert response.url == f"/o/{org.slug}/"
    assert Membership.objects.get(user=existing).role == Role.RECRUITER


def test_a_used_link_gets_a_clear_page(client, org):
    invitation = InvitationFactory(organization=org, email="carol@example.test")
    user = UserFactory(email="carol@example.test")
    client.force_login(user)
    client.post(f"/invitations/{invitation.token}/")
    response = client.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 410
    assert "already been used" in response.text
    assert Membership.objects.filter(user=user).count() == 1


def test_an_expired_link_gets_a_clear_page(client, org):
    invitation = InvitationFactory(
        organization=org, created_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 410
    assert "expired" in response.text
    response = client.post(
        f"/invitations/{invitation.token}/",
        {"full_name": "Late", "password1": "a long new secret", "password2": "a long new secret"},
    )
    assert response.status_code == 410
    assert not Membership.objects.exists()


def test_a_link_six_days_old_still_works(client, org):
    invitation = InvitationFactory(organization=org, created_at=timezone.now() - timedelta(days=6))
    assert client.get(f"/invitations/{invitation.token}/").status_code == 200


@pytest.mark.parametrize(
    "mangle",
    [
        lambda invitation: invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B"),
        lambda invitation: invitation.token[:20],
        lambda invitation: invitation.token_hash,  # what the database holds is no key
        lambda invitation: "garbage",
        lambda invitation: "x" * 3000,
    ],
)
def test_a_tampered_link_gets_a_clear_page(client, org, mangle):
    invitation = InvitationFactory(organization=org)
    response = client.get(f"/invitations/{mangle(invitation)}/")
    assert response.status_code == 410
    assert "not valid" in response.text


def test_a_withdrawn_invitation_no_longer_works(client, alice, org):
    invitation = InvitationFactory(organization=org)
    token = invitation.token
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 410
    assert "withdrawn" in response.text
    assert not Invitation.objects.exists()


def test_the_link_cannot_be_accepted_by_another_account(client, org):
    invitation = InvitationFactory(organization=org, email="carol@example.test")
    mallory = UserFactory(email="mallory@example.test")
    client.force_login(mallory)
    response = client.post(f"/invitations/{invitation.token}/")
    assert response.status_code == 403
    assert "This invitation is for carol@example.test" in visible_text(response)
    assert not Membership.objects.filter(user=mallory).exists()


def test_inviting_a_member_again_is_refused_with_the_address_kept(client, alice, bob, org):
    client.force_login(alice)
    response = invite(client, org, "BOB@alpha.test")
    assert response.status_code == 400
    assert "already a member" in response.text
    assert 'value="BOB@alpha.test"' in response.text
    assert mail.outbox == []


def test_inviting_the_same_address_again_replaces_the_pending_invitation(client, alice, org):
    client.force_login(alice)
    invite(client, org, "newbie@example.test", role="recruiter")
    first_link = link_in(mail.outbox[0])
    invite(client, org, "newbie@example.test", role="interviewer")
    assert Invitation.objects.filter(organization=org).count() == 1
    assert Invitation.objects.get().role == Role.INTERVIEWER
    assert client.get(first_link).status_code == 410


def test_a_bad_invitation_form_says_what_is_wrong(client, alice, org):
    client.force_login(alice)
    response = invite(client, org, "not-an-address", role="emperor")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.text
    assert "Select a valid choice" in response.text
    assert not Invitation.objects.exists()


def test_only_admins_invite(client, bob, org):
    client.force_login(bob)
    response = invite(client, org, "friend@example.test")
    assert response.status_code == 403
    assert "Only admins can do this" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "backend", ["tests.broken_mail.UnreachableSMTPBackend", "tests.broken_mail.RefusingProvider"]
)
def test_when_mail_fails_the_invitation_stands_and_can_be_sent_again(
    client, alice, org, settings, backend
):
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": backend}}
    client.force_login(alice)
    response = invite(client, org, "newbie@example.test")
    assert response.status_code == 302
    page = client.get(response.url)
    assert "the e-mail could not be sent" in page.text
    invitation = Invitation.objects.get(email="newbie@example.test")

    settings.MAILERS = working
    response = client.post(f"/o/{org.slug}/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    assert "A new invitation was sent to newbie@example.test" in client.get(response.url).text
    client.logout()
    assert client.get(link_in(mail.outbox[-1])).status_code == 200


def test_the_expiry_shows_in_the_organizations_time_zone(client, alice, org):
    org.time_zone = "Asia/Tokyo"
    org.save()
    invitation = InvitationFactory(organization=org, email="tokyo@example.test")
    expires_in_tokyo = invitation.expires_at.astimezone(ZoneInfo("Asia/Tokyo"))
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/members/"))
    assert expires_in_tokyo.strftime("%-d %b %Y, %H:%M JST") in text


def test_sending_again_replaces_the_link_and_renews_the_expiry(client, alice, org):
    old = InvitationFactory(
        organization=org, email="late@example.test", created_at=timezone.now() - timedelta(days=6)
    )
    client.force_login(alice)
    client.post(f"/o/{org.slug}/invitations/{old.pk}/resend/")
    client.logout()
    assert client.get(f"/invitations/{old.token}/").status_code == 410
    new = Invitation.objects.get(email="late@example.test")
    assert new.expires_at > timezone.now() + timedelta(days=6, hours=23)
    assert client.get(link_in(mail.outbox[-1])).status_code == 200


def test_accepting_while_already_a_member_keeps_the_role(client, bob, org):
    invitation = InvitationFactory(organization=org, email="bob@alpha.test", role=Role.ADMIN)
    client.force_login(bob)
    response = client.post(f"/invitations/{invitation.token}/", follow=True)
    assert "You were already a member of Alpha, as interviewer" in response.text
    assert Membership.objects.get(user=bob).role == Role.INTERVIEWER


def test_signing_up_twice_with_one_link_makes_one_account(client, org):
    invitation = InvitationFactory(organization=org, email="newbie@example.test")
    data = {"full_name": "Nina", "password1": "a long new secret", "password2": "a long new secret"}
    assert client.post(f"/invitations/{invitation.token}/", data).status_code == 302
    client.logout()
    again = client.post(f"/invitations/{invitation.token}/", data)
    assert again.status_code == 410
    assert "already been used" in again.text
    assert Membership.objects.filter(user__email="newbie@example.test").count() == 1


def test_sending_again_to_someone_who_joined_meanwhile_says_so(client, alice, bob, org):
    stale = InvitationFactory(organization=org, email="bob@alpha.test")
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/invitations/{stale.pk}/resend/", follow=True)
    assert response.status_code == 200
    assert "bob@alpha.test is already a member of Alpha" in response.text


def test_a_name_with_a_line_break_is_refused_at_sign_up(client, org):
    invitation = InvitationFactory(organization=org, email="newbie@example.test")
    response = client.post(
        f"/invitations/{invitation.token}/",
        {
            "full_name": "Nina\nBcc: x@example.test",
            "password1": "a long new secret",
            "password2": "a long new secret",
        },
    )
    assert response.status_code == 400
    assert "Use a single line" in response.text
    assert not Membership.objects.exists()
