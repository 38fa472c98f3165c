import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableSMTPBackend(BaseEmailBackend):
    """Stands in for a mail server that is down: the one thing the tests may fake."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
