import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Membership, Role
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def acme(transactional_db):
    org = OrganizationFactory(name="Acme", slug="acme")
    member(org, Role.ADMIN, email="admin@acme.test", full_name="Avery Admin")
    member(org, Role.INTERVIEWER, email="ada@acme.test", full_name="Ada Lovelace")
    return org


def test_an_admin_invites_a_recruiter_who_joins_and_is_promoted(page, live_server, log_in, acme):
    log_in(page, "admin@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Acme")).to_be_visible()
    page.get_by_role("link", name="Members").first.click()

    page.get_by_label("E-mail address").fill("rita@example.test")
    page.get_by_label("Role", exact=True).select_option("recruiter")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to rita@example.test")).to_be_visible()
    link = re.search(r"http://\S+(/invitations/\S+/)", mail.outbox[-1].body).group(1)
    page.wait_for_load_state()  # htmx is set up once the page has loaded

    # The interviewer becomes a hiring manager in place, without a reload.
    ada_row = page.locator("tr", has_text="ada@acme.test")
    ada_row.get_by_role("combobox").select_option("hiring_manager")
    expect(ada_row.get_by_text("Saved")).to_be_visible()
    assert Membership.objects.get(user__email="ada@acme.test").role == Role.HIRING_MANAGER

    # The last admin cannot demote herself: the row says why and keeps her an admin.
    own_row = page.locator("tr", has_text="admin@acme.test")
    own_row.get_by_role("combobox").select_option("interviewer")
    expect(own_row.get_by_text("last admin")).to_be_visible()
    assert Membership.objects.get(user__email="admin@acme.test").role == Role.ADMIN

    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Join Acme")).to_be_visible()
    page.get_by_label("Your name").fill("Rita Recruiter")
    page.get_by_label("Password", exact=True).fill("a long new secret")
    page.get_by_label("Password again").fill("a long new secret")
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_text("Welcome to Acme")).to_be_visible()
    expect(page.locator("main")).to_contain_text("recruiter in Acme")


def test_someone_in_two_organizations_switches_between_them(page, live_server, log_in, acme):
    globex = OrganizationFactory(name="Globex", slug="globex")
    ada = Membership.objects.get(user__email="ada@acme.test").user
    MembershipFactory(user=ada, organization=globex, role=Role.RECRUITER)

    log_in(page, "ada@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Choose an organization")).to_be_visible()
    page.get_by_role("link", name="Acme").click()
    expect(page.locator("main")).to_contain_text("interviewer in Acme")

    page.locator(".switcher summary").click()
    page.locator(".switcher").get_by_role("link", name=re.compile("Globex")).click()
    expect(page.locator("main")).to_contain_text("recruiter in Globex")
    expect(page).to_have_url(f"{live_server.url}/o/globex/")


def test_the_login_tells_a_locked_out_user_why(page, live_server, log_in, acme, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, "admin@acme.test", "not the password")
    log_in(page, "admin@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Too many failed log-ins")).to_be_visible()
