"""What providers tell us back: WhatsApp status webhooks, Telegram updates, inbound STOP replies.

Plain parsing into dataclasses; the delivery service applies them (marks deliveries delivered
or read, links a Telegram chat to a member, records an opt-out). Nothing here touches the
database. Unknown or malformed entries are skipped, never raised: a provider retries a webhook
that answers 5xx, so one odd entry must not block the rest.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

# Words that opt a member out when they reply with them (case-insensitive, the whole message).
STOP_WORDS = frozenset({"stop", "berhenti", "unsubscribe", "unreg", "/stop"})
_START = re.compile(r"^/start(?:@\w+)?(?:\s+(?P<token>[A-Za-z0-9_-]{1,64}))?\s*$")


def is_stop_word(text: str) -> bool:
    return " ".join(text.split()).lower() in STOP_WORDS


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


# --- WhatsApp Cloud API -------------------------------------------------------------------------
def whatsapp_signature_valid(*, body: bytes, header: str | None, app_secret: str) -> bool:
    """Check `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


class WhatsAppStatusKind(StrEnum):
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


@dataclass(frozen=True)
class WhatsAppStatus:
    provider_id: str  # the wamid returned when the message was sent
    status: WhatsAppStatusKind
    recipient: str  # wa_id, digits without "+"
    at: datetime | None
    error_code: int = 0
    error: str = ""


@dataclass(frozen=True)
class InboundText:
    """A text a person sent us (on WhatsApp: from their number; on Telegram: from their chat)."""

    channel: str  # "whatsapp" or "telegram"
    address: str  # "+62…" phone number or Telegram chat id
    text: str
    is_stop: bool


def parse_whatsapp_webhook(payload: Any) -> tuple[list[WhatsAppStatus], list[InboundText]]:
    """Statuses and inbound texts of a `whatsapp_business_account` webhook payload."""
    statuses: list[WhatsAppStatus] = []
    texts: list[InboundText] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return statuses, texts
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            if not isinstance(value, dict):
                continue
            for item in value.get("statuses") or []:
                try:
                    kind = WhatsAppStatusKind(item.get("status"))
                except (ValueError, AttributeError):
                    continue
                if not item.get("id"):
                    continue
                errors = item.get("errors") or [{}]
                first = errors[0] if isinstance(errors[0], dict) else {}
                detail = (first.get("error_data") or {}).get("details") or first.get("message") or ""
                statuses.append(
                    WhatsAppStatus(
                        provider_id=str(item["id"]),
                        status=kind,
                        recipient=str(item.get("recipient_id") or ""),
                        at=_timestamp(item.get("timestamp")),
                        error_code=int(first.get("code") or 0),
                        error=" — ".join(part for part in (str(first.get("title") or ""), str(detail)) if part),
                    )
                )
            for item in value.get("messages") or []:
                if not isinstance(item, dict) or item.get("type") != "text" or not item.get("from"):
                    continue
                text = str((item.get("text") or {}).get("body") or "")
                texts.append(InboundText("whatsapp", "+" + str(item["from"]).lstrip("+"), text, is_stop_word(text)))
    return statuses, texts


# --- Telegram Bot API ---------------------------------------------------------------------------
def telegram_secret_valid(*, header: str | None, secret: str) -> bool:
    """Check `X-Telegram-Bot-Api-Secret-Token` against the secret given to setWebhook."""
    return bool(secret) and header is not None and hmac.compare_digest(header.encode(), secret.encode())


@dataclass(frozen=True)
class TelegramStart:
    """`/start <token>` from the deep link t.me/<bot>?start=<token>: link this chat to a member."""

    chat_id: str
    token: str  # empty when the person typed /start without a link
    username: str
    first_name: str


@dataclass(frozen=True)
class TelegramBlocked:
    """The person blocked the bot (my_chat_member → kicked): treat like an opt-out."""

    chat_id: str


TelegramEvent = TelegramStart | TelegramBlocked | InboundText


def parse_telegram_update(update: Any) -> TelegramEvent | None:
    """The one thing an Update means for us, or None when it means nothing."""
    if not isinstance(update, dict):
        return None
    member = update.get("my_chat_member")
    if isinstance(member, dict):
        status = ((member.get("new_chat_member") or {}).get("status")) or ""
        chat_id = (member.get("chat") or {}).get("id")
        if status == "kicked" and chat_id is not None:
            return TelegramBlocked(chat_id=str(chat_id))
        return None
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat = message.get("chat") or {}
    if chat.get("type") != "private" or chat.get("id") is None:
        return None
    text = message.get("text")
    if not isinstance(text, str):
        return None
    chat_id = str(chat["id"])
    start = _START.match(text.strip())
    if start:
        sender = message.get("from") or {}
        return TelegramStart(
            chat_id=chat_id,
            token=start["token"] or "",
            username=str(sender.get("username") or ""),
            first_name=str(sender.get("first_name") or ""),
        )
    return InboundText("telegram", chat_id, text, is_stop_word(text))
