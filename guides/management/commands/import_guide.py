import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from accounts.models import Organization
from guides import versions
from guides.documents import counts
from guides.importer import NotAGuide, read_guide


class Command(BaseCommand):
    help = (
        "Reads an interview guide written as plain text into a new draft guide of an "
        "organization. The last line is JSON with what it read: stages, questions, criteria, "
        "anchors, debrief_questions, reference_questions, reference_criteria, competencies, "
        "outcomes, faq, linked (criteria linked to the competency or outcome they measure), "
        "unlinked (criterion names left for a person) and warnings (the lines it could not "
        "place)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The guide, as UTF-8 text.")
        parser.add_argument("--organization", required=True, help="The organization's slug.")

    def handle(self, *args, file: Path, organization: str, **options):
        try:
            org = Organization.objects.get(slug=organization)
        except Organization.DoesNotExist:
            raise CommandError(
                f"There is no organization with the slug {organization!r}."
            ) from None
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            imported = read_guide(text)
        except NotAGuide as error:
            raise CommandError(str(error)) from None
        with scope(organization=org):
            version = versions.create_guide(
                organization=org,
                document=imported.document,
                user=None,
                import_report=versions.import_report(imported),
            )
        found = counts(imported.document)
        self.stdout.write(
            f"Imported “{version.title}” into {org.name} as draft guide {version.guide_id}."
        )
        for stage in imported.document.stages:
            self.stdout.write(
                f"  {stage.name} ({stage.kind.replace('_', '-')}): "
                f"{len(stage.questions)} questions, {len(stage.criteria)} criteria"
            )
        self.stdout.write(
            f"  Linked {len(imported.links)} criteria to the competency or outcome they measure."
        )
        if imported.unlinked:
            self.stdout.write(f"  Left for a person to link: {', '.join(imported.unlinked)}")
        for warning in imported.warnings:
            self.stdout.write(f"  line {warning.line}: {warning.text} ({warning.message})")
        self.stdout.write(
            json.dumps(
                {
                    **found,
                    "linked": [link.as_dict() for link in imported.links],
                    "unlinked": imported.unlinked,
                    "warnings": [w.as_dict() for w in imported.warnings],
                }
            )
        )
