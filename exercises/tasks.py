"""Celery tasks of the exercises and the candidate's e-mails: thin wrappers of exercises.emails
and exercises.confirmations. Beat runs the periodic ones (settings.CELERY_BEAT_SCHEDULE); a
send, a resend, a hand-in or a change of schedule queues the one organization's."""

import logging

from config.celery import OrganizationTask, app
from exercises import confirmations, emails

logger = logging.getLogger(__name__)


@app.task
def send_exercise_emails() -> dict:
    return {"sent": emails.send_exercise_emails()}


@app.task(base=OrganizationTask)
def send_exercise_emails_for(*, organization_id: int) -> None:
    emails.send_exercise_emails(organization_id=organization_id)


@app.task
def send_confirmations() -> dict:
    return {"sent": confirmations.send_confirmations()}


@app.task(base=OrganizationTask)
def send_confirmations_for(*, organization_id: int) -> None:
    confirmations.send_confirmations(organization_id=organization_id)


def _queue(task, organization_id: int, what: str) -> None:
    # Without a broker the periodic run sends them a little later: this never fails the caller.
    try:
        task.delay(organization_id=organization_id)
    except Exception:
        logger.exception("Could not queue the %s of organization %s.", what, organization_id)


def queue_emails(*, organization_id: int) -> None:
    """Ask a worker to send the organization's exercise e-mails now."""
    _queue(send_exercise_emails_for, organization_id, "exercise e-mails")


def queue_confirmations(*, organization_id: int) -> None:
    """Ask a worker to send the organization's interview confirmations now."""
    _queue(send_confirmations_for, organization_id, "interview confirmations")
