"""What happened in an organization, announced once it is committed to whoever listens (the
API's webhooks), so that the workflows that make it happen need not know who does.

The event names are the webhooks' (`scorecard.submitted`, `debrief.revealed`, …); the subject
is the id of what it happened to (the scorecard, the loop, the candidate, the packet).
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# Sent with `event`, `organization_id` and `subject_id`.
happened = Signal()


def announce(event: str, *, organization_id: int, subject_id: int) -> None:
    """Tell the listeners once the transaction commits. A listener's failure is logged and
    never fails the workflow that announced: its work is kept."""
    send = partial(
        happened.send,
        sender=None,
        event=event,
        organization_id=organization_id,
        subject_id=subject_id,
    )
    transaction.on_commit(send, robust=True)
