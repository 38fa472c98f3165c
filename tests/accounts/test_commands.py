import json
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import Invitation, Organization, Role
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_create_organization_invites_its_first_admin(client):
    out = StringIO()
    call_command(
        "create_organization", "Initech Labs", "--admin-email", "Bill@Initech.test", stdout=out
    )
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["slug"] == "initech-labs"
    organization = Organization.objects.get(slug="initech-labs")
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role) == ("bill@initech.test", Role.ADMIN)
    assert mail.outbox[0].to == ["bill@initech.test"]
    path = re.search(r"https?://[^/]+(/.*)", result["invitation"]).group(1)
    page = client.get(path)
    assert "Join Initech Labs" in page.text
    assert "admin" in page.text


def test_create_organization_refuses_a_taken_slug_and_a_bad_address():
    OrganizationFactory(slug="acme")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_organization", "Acme", "--admin-email", "a@acme.test")
    with pytest.raises(CommandError, match="valid email"):
        call_command("create_organization", "Other", "--admin-email", "nobody")
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["Two\nLines", "--admin-email", "a@example.test"], "single line"),
        (["n" * 101, "--admin-email", "a@example.test"], "at most 100 characters"),
        (["Fine", "--slug", "s" * 51, "--admin-email", "a@example.test"], "at most 50"),
        (["Fine", "--admin-email", "a" * 250 + "@example.test"], "at most 254"),
    ],
)
def test_create_organization_checks_everything_before_creating_anything(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_organization", *args)
    assert not Organization.objects.exists()
