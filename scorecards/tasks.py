"""Celery tasks around feedback: thin wrappers of scorecards.notifications. Beat runs the
periodic ones (settings.CELERY_BEAT_SCHEDULE); each may run twice at once harmlessly."""

import logging

from config.celery import OrganizationTask, app
from scorecards import notifications

logger = logging.getLogger(__name__)


@app.task
def send_feedback_reminders() -> dict:
    return {"sent": notifications.send_feedback_reminders()}


@app.task
def send_kit_emails() -> dict:
    return {"sent": notifications.send_kit_emails()}


@app.task
def send_feedback_in_emails() -> dict:
    return {"sent": notifications.send_feedback_in()}


@app.task(base=OrganizationTask)
def send_feedback_in_for_loop(loop_id: int, *, organization_id: int) -> None:
    notifications.send_feedback_in(organization_id=organization_id, loop_ids=[loop_id])


def queue_feedback_in(*, organization_id: int, loop_id: int) -> None:
    """Ask a worker to tell the hiring manager now if the loop's feedback is all in. Without a
    broker the periodic run tells them a little later: this never fails the caller."""
    try:
        send_feedback_in_for_loop.delay(loop_id, organization_id=organization_id)
    except Exception:
        logger.exception("Could not queue the “all feedback is in” check of loop %s.", loop_id)
