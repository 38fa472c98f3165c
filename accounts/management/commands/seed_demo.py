from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from accounts.models import Invitation, Membership, Organization, Role, User
from guides import versions
from guides.importer import read_guide
from guides.models import GuideVersion

# The real guide beside the project, when it is there (it is not part of Rubric).
SEED_GUIDE = settings.BASE_DIR.parent / "shared" / "seeds" / "backend-developer-guide.txt"

DEMO_PASSWORD = "rubric-demo"

ORGANIZATIONS = [
    {
        "slug": "acme",
        "name": "Acme",
        "company_name": "Acme Corporation",
        "location": "Berlin",
        "time_zone": "Europe/Berlin",
        "members": [
            ("admin@acme.test", "Avery Admin", Role.ADMIN),
            ("hm@acme.test", "Harper Manager", Role.HIRING_MANAGER),
            ("recruiter@acme.test", "Riley Recruiter", Role.RECRUITER),
            ("ada@acme.test", "Ada Lovelace", Role.INTERVIEWER),
            ("grace@acme.test", "Grace Hopper", Role.INTERVIEWER),
            ("linus@acme.test", "Linus Torvalds", Role.INTERVIEWER),
        ],
        "invitations": [("new.hire@acme.test", Role.INTERVIEWER)],
    },
    {
        "slug": "globex",
        "name": "Globex",
        "company_name": "Globex Inc.",
        "location": "Springfield",
        "time_zone": "America/Chicago",
        "members": [
            ("admin@globex.test", "Gale Admin", Role.ADMIN),
            ("hm@globex.test", "Hank Scorpio", Role.HIRING_MANAGER),
        ],
        "invitations": [],
    },
]


class Command(BaseCommand):
    help = "Creates the demo organizations and logins; running it again changes nothing."

    @scopes_disabled()
    @transaction.atomic
    def handle(self, *args, **options):
        for spec in ORGANIZATIONS:
            organization, _ = Organization.objects.update_or_create(
                slug=spec["slug"],
                defaults={
                    key: spec[key] for key in ("name", "company_name", "location", "time_zone")
                },
            )
            users = []
            for email, full_name, role in spec["members"]:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
                elif not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                Membership.objects.update_or_create(
                    organization=organization, user=user, defaults={"role": role}
                )
                users.append(user)
            for email, role in spec["invitations"]:
                pending = Invitation.objects.filter(
                    organization=organization, email=email, accepted_at=None
                )
                joined = Membership.objects.filter(organization=organization, user__email=email)
                if not pending.exists() and not joined.exists():
                    invitation = Invitation(
                        organization=organization, email=email, role=role, invited_by=users[0]
                    )
                    # Its link is in no mailbox: "Send again" on the members page sends one.
                    invitation.new_token()
                    invitation.save()
            self.seed_guides(organization, author=users[1])
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))

    def seed_guides(self, organization: Organization, author: User) -> None:
        """The starter library, published; Acme also runs the real guide beside the project."""
        have = set(
            GuideVersion.objects.filter(guide__organization=organization).values_list(
                "title", flat=True
            )
        )
        drafts = [
            versions.create_from_starter(organization=organization, starter=name, user=author)
            for name, title in versions.starters().items()
            if title not in have
        ]
        if organization.slug == "acme" and SEED_GUIDE.exists():
            document = read_guide(SEED_GUIDE.read_text(encoding="utf-8")).document
            if document.title not in have:
                drafts.append(
                    versions.create_guide(organization=organization, document=document, user=author)
                )
        for draft in drafts:
            versions.publish(version=draft, user=author)
