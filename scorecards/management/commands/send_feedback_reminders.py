import json

from django.core.management.base import BaseCommand

from scorecards import notifications


class Command(BaseCommand):
    help = (
        "Sends, once, the reminders of overdue feedback that are due now, in every organization "
        '(as Celery beat does every 15 minutes). The last line is JSON: {"sent": N}.'
    )

    def handle(self, *args, **options):
        sent = notifications.send_feedback_reminders()
        self.stdout.write(f"Reminders of overdue feedback sent: {sent}.")
        self.stdout.write(json.dumps({"sent": sent}))
