import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableSMTPBackend(BaseEmailBackend):
    """Stands in for a mail server that is down: the one thing the tests may fake."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingProvider(BaseEmailBackend):
    """A provider (through django-anymail) that refuses the recipient."""

    def send_messages(self, email_messages):
        from anymail.exceptions import AnymailRecipientsRefused

        raise AnymailRecipientsRefused("All recipients were rejected")
