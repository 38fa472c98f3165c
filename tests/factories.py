import factory
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Organization, Role, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    company_name = factory.LazyAttribute(lambda o: f"{o.name} GmbH")
    location = factory.Faker("city")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.INTERVIEWER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    role = Role.RECRUITER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saves the invitation with a fresh token, kept on it as `.token` for the tests."""
        invitation = model_class(*args, **kwargs)
        invitation.token = invitation.new_token()
        with scopes_disabled():
            invitation.save()
        return invitation


def member(organization: Organization, role: Role = Role.INTERVIEWER, **user_fields) -> User:
    """A new user who belongs to `organization` with `role`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organization=organization, role=role)
    return user
