"""The send-once e-mail outbox: e-mails sent in batches over one mail connection, each at most
as often as it should go, however often a run comes and however many workers run at once.

Each e-mail's log row is inserted, under a unique constraint, in the transaction that sends it. A
second run that tries to log the same e-mail waits for the first run's transaction and then
fails, and reads its batch again without what the first one sent. An e-mail that the mail server
does not take loses its row before the commit, so that the next run sends it. (The mail goes out
before the commit: should the commit itself then fail, the next run sends those e-mails again.
Once is guaranteed against concurrent runs, not against that.)

What is sent, to whom and when is scorecards.notifications.
"""

import datetime
import email.policy
import email.utils
import functools
import logging
import smtplib
from collections.abc import Callable
from email.headerregistry import HeaderRegistry

from anymail.exceptions import AnymailRecipientsRefused
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet

from accounts.access import acting_for

logger = logging.getLogger(__name__)

# Reading a batch joins nine tables, a query that PostgreSQL takes about as long to plan as to
# run: 10,000 reminders spent a third of their time there in batches of 200.
BATCH_SIZE = 1000
# How often in a row a batch is read again after another run logged some of its e-mails first.
RETRIES = 5
# The server or provider refuses this one e-mail or address: the others of the batch still go.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, AnymailRecipientsRefused)


class _Headers(HeaderRegistry):
    """The standard header classes, made once. The standard registry makes a new class for
    every header of every e-mail, and each costs more as they pile up: thousands of e-mails in
    one run spent most of their time there."""

    def __init__(self):
        super().__init__()
        self.made = {}

    def __getitem__(self, name: str) -> type:
        if name.lower() not in self.made:
            self.made[name.lower()] = super().__getitem__(name)
        return self.made[name.lower()]


_HEADERS = _Headers()


class _Policy(email.policy.EmailPolicy):
    """The standard policy, each header value parsed once while it recurs: parsing was most of
    the cost of an e-mail, and a run's e-mails share most of their headers' values (the content
    types, the sender, each interviewer's address). Headers are immutable: e-mails share them."""

    def header_store_parse(self, name, value):
        if name == "Date" and isinstance(value, datetime.datetime):
            # As the standard Date header writes it (to the second): the e-mails of one second
            # share it, where parsing a new one for each was a tenth of an e-mail's cost.
            value = email.utils.format_datetime(value)
        if not isinstance(value, str) or hasattr(value, "name") or name in _UNIQUE:
            return super().header_store_parse(name, value)
        key = (name, value)
        if key not in _PARSED:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[key] = super().header_store_parse(name, value)
        return _PARSED[key]


_UNIQUE = {"Message-ID"}  # one per e-mail: nothing to share
_PARSED, _PARSED_MAX = {}, 2000


@functools.cache
def _policy(policy: email.policy.EmailPolicy) -> email.policy.EmailPolicy:
    shared = _Policy.__new__(_Policy)
    shared.__dict__.update(policy.__dict__)
    return shared.clone(header_factory=_HEADERS)


class Email(EmailMultiAlternatives):
    """An e-mail of the outbox's: as Django's, its headers made with the classes made once."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_policy(policy))


class MailUnavailable(Exception):
    """The mail server or provider takes no e-mail now: the run stops, to retry next time."""


class Mailer:
    """One connection to the mail server for a whole run, opened for its first e-mail."""

    def __init__(self):
        self.connection = None
        self.sent = 0

    def send(self, message: EmailMultiAlternatives) -> bool:
        """Sends; False when the recipient was refused. Raises MailUnavailable."""
        try:
            if self.connection is None:
                connection = mailers.default
                connection.open()
                self.connection = connection
            self.connection.send_messages([message])
        except REFUSED as error:
            logger.warning("An e-mail to %s was refused: %s", ", ".join(message.to), error)
            return False
        except Exception as error:
            raise MailUnavailable(f"{type(error).__name__}: {error}") from error
        self.sent += 1
        return True

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - a server gone away has nothing left to close
                logger.warning("The mail connection did not close cleanly.", exc_info=True)


def send_in_batches(
    rows: QuerySet,
    *,
    log: Callable[[list], list[models.Model]],
    email: Callable[[models.Model], EmailMultiAlternatives],
    mailer: Mailer,
    batch_size: int,
) -> None:
    """An e-mail for each of `rows` (ordered by pk), a batch per transaction: first the
    batch's log rows (`log` makes them, unsaved), then the e-mails over `mailer`."""
    # The rows' keys first, in one query; each batch then reads its range of keys again, as it
    # is then. Reading "the next batch after the last key" instead joined and sorted all the
    # rows left for every batch (a third of the time 10,000 reminders spent in the database).
    keys = list(rows.prefetch_related(None).order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(keys), batch_size):
        batch = rows.filter(pk__gte=keys[first], pk__lte=keys[first : first + batch_size][-1])
        retries = 0
        while True:
            try:
                _send_batch(batch, log=log, email=email, mailer=mailer)
                break
            except IntegrityError:
                # Another run logged some of these first; read again once it has committed.
                logger.info("Another run sent part of this batch first: reading it again.")
                retries += 1
                if retries > RETRIES:
                    raise


def _send_batch(rows: QuerySet, *, log, email, mailer: Mailer) -> None:
    """One batch in one transaction; raises IntegrityError when another run logged some first."""
    failure = None
    with transaction.atomic():
        batch = list(rows.all())  # read afresh on each try
        if not batch:
            return
        entries = log(batch)
        model = type(entries[0])
        model.objects.bulk_create(entries)
        unsent = []
        for row, entry in zip(batch, entries, strict=True):
            try:
                if failure is None and mailer.send(email(row)):
                    continue
            except MailUnavailable as error:
                failure = error
            unsent.append(entry.pk)
        if unsent:
            model.objects.filter(pk__in=unsent).delete()
    if failure is not None:
        raise failure


def run(name: str, per_organization: Callable, organizations: QuerySet, **options) -> int:
    """`per_organization` for each organization, in its scope and time zone, over one mail
    connection. Answers how many e-mails went; a mail server that is down ends the run."""
    mailer = Mailer()
    try:
        for organization in organizations:
            with acting_for(organization):
                per_organization(organization, mailer=mailer, **options)
    except MailUnavailable as error:
        logger.error("%s: e-mail cannot be sent now (%s); the next run tries again.", name, error)
    finally:
        mailer.close()
    return mailer.sent
