"""The one interface every messaging channel implements.

A channel turns an `OutgoingMessage` into a call to its provider (SMTP, Telegram Bot API,
WhatsApp Cloud API, an SMS gateway, web push) and answers with a `DeliveryResult` or raises a
typed `ChannelError`. The delivery service decides what to do with the error: retry later
(`TemporaryChannelError`, `RateLimited`), give up (`PermanentChannelError`), or skip a channel
that is switched off (`ChannelNotConfigured`). Channels never touch the database.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutgoingMessage:
    address: str  # email address, Telegram chat id, +62 phone number, push subscription JSON
    subject: str
    text: str  # plain text, always present (SMS and Telegram send only this)
    html: str = ""  # for email
    link: str = ""  # the tracked short link to the web version
    # Provider-specific extras, e.g. {"whatsapp_template": "bulletin_v1"}.
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeliveryResult:
    provider_id: str = ""  # the provider's message id, kept as proof and for status webhooks
    segments: int = 1  # SMS parts used


class ChannelError(Exception):
    """Base of every channel failure."""


class ChannelNotConfigured(ChannelError):
    """The channel has no credentials: it is switched off (a warning in the admin, never a crash)."""


class TemporaryChannelError(ChannelError):
    """Worth retrying later: a timeout, a 5xx, a dropped connection."""


class RateLimited(TemporaryChannelError):
    def __init__(self, message: str, retry_after: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentChannelError(ChannelError):
    """Retrying will not help: a bad address, a blocked bot, a refused template."""


class Channel(ABC):
    """One messaging channel. Subclasses set `name` and implement `is_configured` and `send`."""

    name: str = ""
    # Messages per second this channel may send from one worker process.
    rate_per_second: float = 10.0
    # How many attempts a delivery gets on this channel before it is marked failed.
    max_attempts: int = 5
    # True when the provider ignores a repeated request (an idempotency key that is the same on
    # every attempt). The sender then records successes in groups: a worker killed before
    # recording them only makes the provider see requests it drops (services/sending.py).
    idempotent: bool = False

    @abstractmethod
    def is_configured(self) -> bool: ...

    @abstractmethod
    def send(self, message: OutgoingMessage) -> DeliveryResult: ...
