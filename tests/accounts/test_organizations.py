import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from accounts.models import Invitation, Membership, Organization
from tests.factories import MembershipFactory
from tests.html import visible_text

pytestmark = pytest.mark.django_db


def test_the_home_page_says_who_i_am_and_my_role(client, bob, org):
    client.force_login(bob)
    text = visible_text(client.get(f"/o/{org.slug}/"))
    assert "Bob Interviewer (bob@alpha.test), interviewer in Alpha" in text


def test_a_non_member_gets_404_like_an_unknown_organization(client, charlie, org):
    client.force_login(charlie)
    member_of_nothing = client.get(f"/o/{org.slug}/")
    unknown = client.get("/o/no-such-org/")
    assert member_of_nothing.status_code == unknown.status_code == 404
    assert "Alpha" not in member_of_nothing.text


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    response = client.get(f"/o/{org.slug}/members/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_switcher_lists_my_organizations_and_switches(client, alice, org, other_org):
    MembershipFactory(user=alice, organization=other_org, role="recruiter")
    client.force_login(alice)
    page = client.get(f"/o/{org.slug}/")
    switcher = page.text.split('class="switcher"')[1].split("</details>")[0]
    assert f'href="/o/{other_org.slug}/"' in switcher
    assert "Recruiter" in switcher
    other = client.get(f"/o/{other_org.slug}/")
    assert "recruiter in Bravo" in visible_text(other)


def test_someone_in_one_organization_sees_no_switcher(client, bob, org):
    client.force_login(bob)
    assert 'class="switcher"' not in client.get(f"/o/{org.slug}/").text


def test_a_tenant_query_without_a_scope_raises(alice):
    with scope(), pytest.raises(ScopeError):
        list(Membership.objects.all())
    with scope(), pytest.raises(ScopeError):
        Invitation.objects.filter(email="x@example.test").exists()


def test_inside_a_scope_queries_see_only_that_organization(alice, charlie, org, other_org):
    with scope(organization=org):
        emails = {m.user.email for m in Membership.objects.all()}
        assert emails == {"alice@alpha.test"}
        assert not Membership.objects.filter(organization=other_org).exists()


def test_django_admin_works_for_superusers_across_organizations(client, alice, charlie):
    from tests.factories import UserFactory

    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.get("/admin/accounts/membership/")
    assert response.status_code == 200
    assert "Alice Admin" in response.text
    assert "Charlie Outsider" in response.text
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302  # not staff: sent to the admin login


def test_health_check_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok"


def test_the_health_check_answers_head_too(client, db):
    assert client.head("/healthz").status_code == 200


def test_an_expired_session_sends_htmx_to_the_login_page(client, alice, bob, org):
    pk = Membership.objects.get(user=bob).pk
    response = client.post(
        f"/o/{org.slug}/members/{pk}/role/",
        {"role": "admin"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://testserver/o/{org.slug}/members/",
        },
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/accounts/login/?next=/o/{org.slug}/members/"
    assert Membership.objects.get(pk=pk).role == "interviewer"


def test_a_time_zone_that_no_longer_loads_falls_back_to_utc(client, alice, org):
    Organization.objects.filter(pk=org.pk).update(time_zone="Atlantis/Capital")
    client.force_login(alice)
    assert client.get(f"/o/{org.slug}/settings/").status_code == 200
