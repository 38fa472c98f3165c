"""Reference calls of a loop: add a reference to call, edit their details, save the whole call
(what they said, their ratings, "would hire again"), remove it. Each records itself on the
candidate's timeline where it did before, and refuses to write about a candidate whose data
was erased (`Refused`). Who may call is the caller's to check (references.access); the caller
locks a check it changes (`get_check(..., lock=True)`)."""

from django.db import transaction

from accounts.models import User
from candidates.models import Activity, Loop
from references.models import ReferenceCheck

ERASED = "This candidate's data was erased: their reference calls no longer change."


class Refused(Exception):
    """A change the reference calls do not take: the message, and the HTTP status to answer."""

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def check_open(loop: Loop) -> None:
    """Refuse any write about a candidate whose data was erased."""
    if loop.candidate.erased_at:
        raise Refused(ERASED, status=409)


@transaction.atomic
def add(*, loop: Loop, user: User, details: dict[str, str]) -> ReferenceCheck:
    """A reference to call, `details` keyed as references.forms.ReferenceForm's fields."""
    check_open(loop)
    check = ReferenceCheck.objects.create(loop=loop, called_by=user, **details)
    Activity.record(
        loop.candidate, f"{user.display_name} added a reference to call", actor=user, loop=loop
    )
    return check


@transaction.atomic
def edit(*, check: ReferenceCheck, details: dict[str, str]) -> None:
    """Who the reference is, changed."""
    check_open(check.loop)
    for name, value in details.items():
        setattr(check, name, value)
    check.save()


@transaction.atomic
def save_call(*, check: ReferenceCheck, values: dict[str, object]) -> None:
    """The call as the page sends it whole, `values` keyed as ReferenceCheck.values()."""
    check_open(check.loop)
    check.write(values)


@transaction.atomic
def remove(*, check: ReferenceCheck, user: User) -> None:
    """The reference and the notes of the call, gone."""
    loop = check.loop
    check.delete()
    Activity.record(
        loop.candidate, f"{user.display_name} removed a reference", actor=user, loop=loop
    )
