from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from candidates.models import Loop
from candidates.packets import as_organization, render_packet


class Command(BaseCommand):
    help = (
        "Renders a loop's candidate packet as PDF, here and now (no Celery), as the "
        "organization reads it: every submitted scorecard, recommendations sealed until the "
        "debrief reveals them."
    )

    def add_arguments(self, parser):
        parser.add_argument("loop_id", type=int, help="The loop's number, as in /loops/<id>/.")
        parser.add_argument("--output", required=True, type=Path, help="Where to write the PDF.")

    def handle(self, *args, loop_id, output, **options):
        with scopes_disabled():
            loop = (
                Loop.objects.select_related("job__organization", "candidate")
                .filter(pk=loop_id)
                .first()
            )
        if loop is None:
            raise CommandError(f"There is no loop {loop_id}.")
        with scope(organization=loop.job.organization_id):
            packet = render_packet(loop, as_organization(loop))
        try:
            output.write_bytes(packet.pdf)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror}") from None
        self.stdout.write(f"Wrote {output}: {packet.pages} pages, {len(packet.pdf):,} bytes.")
