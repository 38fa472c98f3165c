"""Two requests at once, on PostgreSQL and on SQLite: the rules hold by locks, not by luck."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from accounts import services
from accounts.models import Invitation, Membership, Role
from tests.factories import OrganizationFactory, member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


def at_once(*calls):
    """Runs the calls in threads released together; answers what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            with scopes_disabled():
                barrier.wait()
                results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("attempt", range(5))
def test_two_admins_demoting_each_other_at_once_leave_one_admin(attempt):
    org = OrganizationFactory()
    first, second = member(org, Role.ADMIN), member(org, Role.ADMIN)
    a = Membership.objects.get(user=first)
    b = Membership.objects.get(user=second)
    results = at_once(
        lambda: services.change_role(membership=a, role=Role.INTERVIEWER),
        lambda: services.remove_member(membership=b),
    )
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert Membership.objects.filter(organization=org, role=Role.ADMIN).count() == 1


@pytest.mark.parametrize("attempt", range(5))
def test_a_double_clicked_invitation_makes_one_invitation(attempt):
    org = OrganizationFactory()
    admin = member(org, Role.ADMIN)

    def send():
        return services.invite(
            organization=org, email="twice@example.test", role=Role.RECRUITER, invited_by=admin
        )

    results = at_once(send, send)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Invitation.objects.filter(organization=org).count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_signing_up_through_two_organizations_at_once_makes_one_account(attempt):
    from tests.factories import InvitationFactory

    first = InvitationFactory(organization=OrganizationFactory(), email="both@example.test")
    second = InvitationFactory(organization=OrganizationFactory(), email="both@example.test")

    def sign_up(invitation):
        return lambda: services.sign_up_and_accept(
            invitation=invitation, full_name="Both", password="a long new secret"
        )

    results = at_once(sign_up(first), sign_up(second))
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.InvitationInvalid) for e in errors), errors
    assert Membership.objects.filter(user__email="both@example.test").count() == 2 - len(errors)
