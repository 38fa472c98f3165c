"""Celery tasks of the exercises: thin wrappers of exercises.emails. Beat runs the periodic one
(settings.CELERY_BEAT_SCHEDULE); a send, a resend or a hand-in queues the one organization's."""

import logging

from config.celery import OrganizationTask, app
from exercises import emails

logger = logging.getLogger(__name__)


@app.task
def send_exercise_emails() -> dict:
    return {"sent": emails.send_exercise_emails()}


@app.task(base=OrganizationTask)
def send_exercise_emails_for(*, organization_id: int) -> None:
    emails.send_exercise_emails(organization_id=organization_id)


def queue_emails(*, organization_id: int) -> None:
    """Ask a worker to send the organization's exercise e-mails now. Without a broker the
    periodic run sends them a little later: this never fails the caller."""
    try:
        send_exercise_emails_for.delay(organization_id=organization_id)
    except Exception:
        logger.exception(
            "Could not queue the exercise e-mails of organization %s.", organization_id
        )
