import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.forms import EmailField
from django.utils.text import slugify
from django_scopes import scopes_disabled

from accounts import services
from accounts.models import Organization, Role


class Command(BaseCommand):
    help = (
        "Creates an organization and invites its first admin by e-mail. The last line is JSON "
        'with the organization’s slug and the invitation link: {"slug": ..., "invitation": ...}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The organization's name, e.g. 'Acme'.")
        parser.add_argument("--admin-email", required=True, help="Who becomes its first admin.")
        parser.add_argument("--slug", help="Its part of the URL, /o/<slug>/ (from the name).")

    @scopes_disabled()
    def handle(self, *args, name, admin_email, slug=None, **options):
        organization = Organization(name=name, slug=slug or slugify(name), company_name=name[:100])
        try:
            organization.full_clean()
            EmailField(max_length=254).clean(admin_email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        organization.save()
        invited = services.invite(
            organization=organization, email=admin_email, role=Role.ADMIN, invited_by=None
        )
        self.stdout.write(f"Created {organization.name} at /o/{organization.slug}/.")
        self.stdout.write(
            f"Invited {invited.invitation.email} as its admin"
            + ("." if invited.sent else ", but the e-mail could not be sent: pass the link on.")
        )
        self.stdout.write(json.dumps({"slug": organization.slug, "invitation": invited.link}))
