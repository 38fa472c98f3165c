"""The pages' query counts, pinned at realistic sizes: no N+1."""

import pytest

from accounts.models import Role
from tests.factories import InvitationFactory, member

pytestmark = pytest.mark.django_db

# The user, and the membership with its organization: every page under /o/<slug>/ starts with
# these. The session comes from Redis.
BASE = 2


@pytest.mark.parametrize("size", [5, 150])
def test_the_members_page_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    for _ in range(size):
        member(org, Role.INTERVIEWER)
    for _ in range(size // 5):
        InvitationFactory(organization=org)
    client.force_login(alice)
    # + memberships with users, invitations with inviters, the switcher's memberships
    with django_assert_num_queries(BASE + 3):
        response = client.get(f"/o/{org.slug}/members/")
    assert response.text.count('<tr id="member-') == size + 1


def test_the_home_page_costs_three_queries(client, org, alice, django_assert_num_queries):
    client.force_login(alice)
    with django_assert_num_queries(BASE + 1):
        client.get(f"/o/{org.slug}/")


def test_a_role_change_costs_a_fixed_number_of_queries(
    client, org, alice, bob, django_assert_num_queries
):
    from accounts.models import Membership

    pk = Membership.objects.get(user=bob).pk
    client.force_login(alice)
    # + the membership; savepoint, lock the admins, update, release
    with django_assert_num_queries(BASE + 5):
        response = client.post(
            f"/o/{org.slug}/members/{pk}/role/",
            {"role": "recruiter"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
