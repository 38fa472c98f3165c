import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Membership, Organization, Role
from tests.factories import member
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def role_of(user, org):
    return Membership.objects.get(user=user, organization=org).role


def test_the_members_page_lists_everyone_with_their_role(client, alice, bob, charlie, org):
    client.force_login(alice)
    response = client.get(f"/o/{org.slug}/members/")
    text = visible_text(response)
    assert "Alice Admin (you)" in text
    assert "bob@alpha.test" in text
    assert "charlie@bravo.test" not in text


def test_an_admin_changes_a_role(client, alice, bob, org):
    client.force_login(alice)
    pk = Membership.objects.get(user=bob).pk
    response = client.post(f"/o/{org.slug}/members/{pk}/role/", {"role": "recruiter"})
    assert response.status_code == 302
    assert role_of(bob, org) == Role.RECRUITER
    assert "Bob Interviewer is now recruiter" in client.get(response.url).text


def test_the_role_changes_in_place_with_htmx(client, alice, bob, org):
    client.force_login(alice)
    pk = Membership.objects.get(user=bob).pk
    response = client.post(
        f"/o/{org.slug}/members/{pk}/role/",
        {"role": "hiring_manager"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tr id="member-{pk}"')
    assert "<html" not in response.text
    assert '<option value="hiring_manager" selected>' in response.text
    assert "Saved" in response.text
    assert "HX-Request" in response["Vary"]
    assert role_of(bob, org) == Role.HIRING_MANAGER


def test_an_unknown_role_is_refused(client, alice, bob, org):
    client.force_login(alice)
    pk = Membership.objects.get(user=bob).pk
    response = client.post(
        f"/o/{org.slug}/members/{pk}/role/", {"role": "owner"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Choose one of the roles" in response.text
    assert role_of(bob, org) == Role.INTERVIEWER


def test_the_last_admin_cannot_be_demoted(client, alice, org):
    client.force_login(alice)
    pk = Membership.objects.get(user=alice).pk
    response = client.post(
        f"/o/{org.slug}/members/{pk}/role/", {"role": "recruiter"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "last admin" in response.text
    assert role_of(alice, org) == Role.ADMIN


def test_the_last_admin_cannot_be_removed(client, alice, org):
    client.force_login(alice)
    pk = Membership.objects.get(user=alice).pk
    response = client.post(f"/o/{org.slug}/members/{pk}/remove/")
    assert response.status_code == 400
    assert "last admin" in response.text
    assert Membership.objects.filter(pk=pk).exists()


def test_an_admin_can_step_down_once_there_is_another(client, alice, org):
    other_admin = member(org, Role.ADMIN)
    client.force_login(alice)
    pk = Membership.objects.get(user=alice).pk
    response = client.post(f"/o/{org.slug}/members/{pk}/role/", {"role": "interviewer"})
    assert response.status_code == 302
    assert role_of(alice, org) == Role.INTERVIEWER
    assert role_of(other_admin, org) == Role.ADMIN
    # Alice is no admin any more: the members page is closed to her now.
    assert client.get(f"/o/{org.slug}/members/").status_code == 403


def test_the_last_admin_rule_holds_for_the_service_too(alice, org):
    membership = Membership.objects.get(user=alice)
    with pytest.raises(ValidationError):
        services.change_role(membership=membership, role=Role.RECRUITER)
    with pytest.raises(ValidationError):
        services.remove_member(membership=membership)


def test_an_admin_removes_a_member_who_then_sees_nothing(client, alice, bob, org):
    client.force_login(alice)
    pk = Membership.objects.get(user=bob).pk
    confirm = client.get(f"/o/{org.slug}/members/{pk}/remove/")
    assert "Remove Bob Interviewer?" in confirm.text
    response = client.post(f"/o/{org.slug}/members/{pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=pk).exists()
    client.force_login(bob)
    assert client.get(f"/o/{org.slug}/").status_code == 404


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.RECRUITER, Role.INTERVIEWER])
def test_only_admins_manage_members_and_settings(client, org, alice, role):
    user = member(org, role)
    target = Membership.objects.get(user=alice).pk
    client.force_login(user)
    assert client.get(f"/o/{org.slug}/members/").status_code == 403
    assert client.get(f"/o/{org.slug}/settings/").status_code == 403
    response = client.post(f"/o/{org.slug}/members/{target}/role/", {"role": "interviewer"})
    assert response.status_code == 403
    assert client.post(f"/o/{org.slug}/members/{target}/remove/").status_code == 403
    assert role_of(alice, org) == Role.ADMIN
    home = client.get(f"/o/{org.slug}/")
    assert "Members" not in visible_text(home)


def test_admins_see_the_admin_navigation(client, alice, org):
    client.force_login(alice)
    text = visible_text(client.get(f"/o/{org.slug}/"))
    assert "Members" in text
    assert "Settings" in text


SETTINGS = {
    "name": "Alpha Hiring",
    "company_name": "Alpha Widgets Ltd",
    "location": "Lisbon",
    "time_zone": "Europe/Lisbon",
    "feedback_due_hours": "48",
    "reminder_interval_hours": "12",
    "kit_email_hours": "6",
    "stuck_after_days": "10",
    "paper_size": "letter",
    "leniency_minimum": "20",
    "shadows_to_qualify": "3",
}


def test_an_admin_changes_the_organization_settings(client, alice, org):
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/settings/")
    assert 'value="24"' in page.text  # the defaults for due hours and reminder interval
    response = client.post(f"/o/{org.slug}/settings/", SETTINGS)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Alpha Hiring"
    assert org.company_name == "Alpha Widgets Ltd"
    assert org.location == "Lisbon"
    assert org.time_zone == "Europe/Lisbon"
    assert (org.feedback_due_hours, org.reminder_interval_hours) == (48, 12)
    assert (org.kit_email_hours, org.paper_size) == (6, "letter")
    assert org.leniency_minimum == 20
    assert org.shadows_to_qualify == 3
    assert org.slug == "alpha"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("time_zone", "Mars/Olympus", "is not a time zone we know"),
        ("time_zone", "localtime", "is not a time zone we know"),
        ("name", "Alpha\nBcc: someone@example.test", "Use a single line"),
        ("location", "Lisbon\x07", "Use a single line"),
        ("feedback_due_hours", "0", "greater than or equal to 1"),
        ("feedback_due_hours", "x", "Enter a whole number"),
        ("reminder_interval_hours", "100000", "less than or equal to 720"),
        ("leniency_minimum", "1", "greater than or equal to 2"),
        ("shadows_to_qualify", "21", "less than or equal to 20"),
        ("shadows_to_qualify", "-1", "greater than or equal to 0"),
        ("name", "", "This field is required"),
        ("name", "n" * 101, "at most 100 characters"),
    ],
)
def test_bad_settings_say_what_is_wrong_and_keep_the_input(
    client, alice, org, field, value, message
):
    client.force_login(alice)
    response = client.post(f"/o/{org.slug}/settings/", {**SETTINGS, field: value})
    assert response.status_code == 400
    assert message in response.text
    assert 'value="Alpha Widgets Ltd"' in response.text
    assert Organization.objects.get(pk=org.pk).name == "Alpha"
    assert "<title>Settings · Alpha</title>" in response.text


def test_an_admin_may_leave_when_another_admin_remains(client, alice, org):
    member(org, Role.ADMIN)
    client.force_login(alice)
    pk = Membership.objects.get(user=alice).pk
    response = client.post(f"/o/{org.slug}/members/{pk}/remove/")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get(f"/o/{org.slug}/").status_code == 404


def test_a_member_changes_their_password(client, bob):
    from tests.factories import PASSWORD

    client.force_login(bob)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long secret",
            "new_password2": "another long secret",
        },
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("another long secret")
