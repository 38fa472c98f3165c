from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from accounts.models import Organization
from api.keys import create_key


class Command(BaseCommand):
    help = "Create an API key of an organization; the key is the last line printed."

    def add_arguments(self, parser):
        parser.add_argument("--organization", required=True, help="the organization's slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--write", action="store_true", help="read and write, not only read")

    def handle(self, *args, organization, name, write, **options):
        org = Organization.objects.filter(slug=organization).first()
        if org is None:
            raise CommandError(f"There is no organization {organization!r}.")
        with scope(organization=org):
            key, token = create_key(organization=org, name=name[:100], can_write=write, user=None)
        self.stdout.write(f"Created {key.scope_label} key {key.name!r} of {org.name}.")
        self.stdout.write(token)
