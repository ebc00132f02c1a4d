"""Sending e-mail through an SMTP server (host, port, STARTTLS or TLS, credentials).

:class:`SmtpMailer` opens one connection for a batch of messages. Its errors say whether
trying again later may help: :class:`MailTemporaryError` (the server is unreachable, busy, or
answered 4xx) or :class:`MailPermanentError` (5xx: the address or the message is refused).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from advocacy.config import Settings
from advocacy.errors import AdvocacyError

Send = Callable[[EmailMessage], None]


class MailError(AdvocacyError):
    """A message could not be handed to the mail server."""


class MailTemporaryError(MailError):
    """Trying again later may work (no connection, time-out, a 4xx answer)."""


class MailPermanentError(MailError):
    """The server refused the message for good (a 5xx answer: unknown address, say)."""


class Mailer(Protocol):
    """Something that sends e-mail: ``with mailer.connect() as send: send(message)``."""

    def connect(self) -> AbstractContextManager[Send]: ...


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    """An SMTP server: ``security`` is ``starttls`` (port 587), ``tls`` (465) or ``none``
    (a relay on this machine or loopback tests)."""

    host: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer | None:
        """The installation's mail server, or ``None`` when ``ADVOCACY_SMTP_HOST`` is unset."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password,
            timeout=settings.smtp_timeout_seconds,
        )

    @contextmanager
    def connect(self) -> Iterator[Send]:
        """One connection to the server; the callable it yields sends one message."""
        try:
            client: smtplib.SMTP
            if self.security == "tls":
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.username:
                    client.login(self.username, self.password or "")
                yield lambda message: _send(client, message)
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailPermanentError(f"the mail server refused the log-in: {_said(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailTemporaryError(
                f"cannot reach the mail server {self.host}:{self.port}: {exc}"
            ) from None


def _said(exc: smtplib.SMTPResponseException) -> str:
    message = (
        exc.smtp_error.decode(errors="replace")
        if isinstance(exc.smtp_error, bytes)
        else str(exc.smtp_error)
    )
    return f"{exc.smtp_code} {message}"


def _send(client: smtplib.SMTP, message: EmailMessage) -> None:
    try:
        refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = (
            MailTemporaryError if all(400 <= code < 500 for code in codes) else MailPermanentError
        )
        raise error(f"the mail server refused the address: {exc.recipients}") from None
    except smtplib.SMTPResponseException as exc:
        error = MailTemporaryError if 400 <= exc.smtp_code < 500 else MailPermanentError
        raise error(f"the mail server refused the message: {_said(exc)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailTemporaryError(f"the connection to the mail server failed: {exc}") from None
    if refused:
        raise MailPermanentError(f"the mail server refused {', '.join(refused)}")
