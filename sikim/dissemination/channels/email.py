"""Email through Django's mailers (Django 6.1 `MAILERS`), HTML with a plain-text alternative.

Options of the message this channel reads: `message_id` (a stable Message-ID, so a resend is
recognisably the same mail; a fresh one otherwise) and `list_unsubscribe` (the one-click opt-out
URL, sent as RFC 8058 `List-Unsubscribe` + `List-Unsubscribe-Post` headers).
"""

import contextlib
import smtplib
import threading
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.utils.translation import gettext_lazy as _

from .base import (
    Channel,
    ChannelNotConfigured,
    DeliveryResult,
    OutgoingMessage,
    PermanentChannelError,
    TemporaryChannelError,
)
from .conf import setting

# Backends that do not deliver anywhere: the channel works, but the admin shows a warning.
NON_DELIVERING_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    }
)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _smtp_code_error(code: int, text: str) -> Exception:
    """4xx replies are worth a retry, 5xx are final (RFC 5321 §4.2.1)."""
    return (
        TemporaryChannelError(f"SMTP {code}: {text}")
        if 400 <= code < 500
        else PermanentChannelError(f"SMTP {code}: {text}")
    )


class EmailChannel(Channel):
    name = "email"
    label = _("Email")
    max_attempts = 5

    def __init__(self) -> None:
        self.mailer_alias: str = setting("SIKIM_EMAIL_MAILER", "default")
        self.from_email: str = setting("DEFAULT_FROM_EMAIL", "")
        self.rate_per_second = float(setting("SIKIM_EMAIL_RATE_PER_SECOND", 10.0))
        self._lock = threading.Lock()
        self._connection: Any = None  # one open mailer connection per channel instance, reused

    def mailer_backend(self) -> str:
        return str(getattr(settings, "MAILERS", {}).get(self.mailer_alias, {}).get("BACKEND", ""))

    def is_configured(self) -> bool:
        return self.mailer_alias in getattr(settings, "MAILERS", {})

    def delivers(self) -> bool:
        """False when mail is only printed or kept in memory (development)."""
        return self.mailer_backend() not in NON_DELIVERING_BACKENDS

    def build(self, message: OutgoingMessage) -> EmailMultiAlternatives:
        text = message.text
        if message.link and message.link not in text:
            text = f"{text}\n\n{message.link}"
        headers = {"Message-ID": message.options.get("message_id") or make_msgid(domain="sikim")}
        unsubscribe = message.options.get("list_unsubscribe", "")
        if unsubscribe:
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMultiAlternatives(
            subject=" ".join(message.subject.split()),
            body=text,
            from_email=self.from_email or None,
            to=[message.address],
            headers=headers,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        return email

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.close()
            self._connection = None

    def _send_reusing_connection(self, email: EmailMultiAlternatives) -> int:
        """Send on the kept-open connection; once more on a fresh one if the server had dropped it."""
        reused = self._connection is not None
        if self._connection is None:
            self._connection = mailers[self.mailer_alias]
            self._connection.open()  # opened here, so send_messages() leaves it open for the next
        try:
            return int(self._connection.send_messages([email]))
        except smtplib.SMTPServerDisconnected:
            if not reused:
                raise
            self._close()
            self._connection = mailers[self.mailer_alias]
            self._connection.open()
            return int(self._connection.send_messages([email]))

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        if not self.is_configured():
            raise ChannelNotConfigured(f"No mailer {self.mailer_alias!r} in MAILERS")
        email = self.build(message)
        with self._lock:
            try:
                sent = self._send_reusing_connection(email)
            except smtplib.SMTPRecipientsRefused as error:
                self._close()
                code, reply = next(iter(error.recipients.values()))
                raise _smtp_code_error(code, _text(reply)) from error
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                self._close()
                raise _smtp_code_error(error.smtp_code, _text(error.smtp_error)) from error
            except (smtplib.SMTPException, OSError) as error:  # timeouts, dropped connections
                self._close()
                raise TemporaryChannelError(f"SMTP: {error}") from error
        if not sent:
            raise TemporaryChannelError("The mailer did not send the message")
        return DeliveryResult(provider_id=str(email.extra_headers["Message-ID"]).strip("<>"))
