"""A member's own choice of e-mails: every role may turn off what is not a reminder."""

import pytest

from accounts.models import Membership, Role
from tests.factories import member
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def emails_url(org) -> str:
    return f"/o/{org.slug}/account/emails/"


@pytest.mark.parametrize("role", Role.values)
def test_every_member_turns_other_emails_off_and_on_again(client, org, role):
    user = member(org, role)
    client.force_login(user)
    page = client.get(emails_url(org))
    assert page.status_code == 200
    text = visible_text(page)
    assert "Reminders of feedback you owe" in text and "Other e-mails: on" in text

    response = client.post(emails_url(org), {})
    assert response.status_code == 302
    text = visible_text(client.get(response.url))
    assert "Saved: Rubric now e-mails you only reminders of feedback you owe." in text
    assert "Other e-mails: off" in text
    assert not Membership.objects.get(user=user).notification_emails

    response = client.post(emails_url(org), {"notification_emails": "on"})
    text = visible_text(client.get(response.url))
    assert "Saved: Rubric e-mails you each interview's kit before it" in text
    assert Membership.objects.get(user=user).notification_emails


def test_the_choice_is_per_organization_and_keeps_the_role(client, org, other_org, bob):
    Membership.objects.create(organization=other_org, user=bob, role=Role.RECRUITER)
    client.force_login(bob)
    client.post(emails_url(org), {})
    assert not Membership.objects.get(user=bob, organization=org).notification_emails
    assert Membership.objects.get(user=bob, organization=other_org).notification_emails
    assert Membership.objects.get(user=bob, organization=org).role == Role.INTERVIEWER


def test_the_header_links_to_the_page(client, org, bob):
    client.force_login(bob)
    page = client.get(f"/o/{org.slug}/my-interviews/")
    assert f'href="{emails_url(org)}"' in page.text


def test_an_outsider_gets_404(client, org, charlie):
    client.force_login(charlie)
    assert client.get(emails_url(org)).status_code == 404
    assert client.post(emails_url(org), {}).status_code == 404
