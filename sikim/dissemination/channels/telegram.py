"""Telegram Bot API: `sendMessage` to a linked chat (https://core.telegram.org/bots/api#sendmessage)."""

from django.utils.translation import gettext_lazy as _

from .base import (
    Channel,
    ChannelNotConfigured,
    DeliveryResult,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from .conf import setting, timeout
from .httpclient import KeepAliveClient

MAX_TEXT = 4096  # characters of one Telegram message


class TelegramChannel(Channel):
    name = "telegram"
    label = _("Telegram")
    max_attempts = 5

    def __init__(self) -> None:
        self.token: str = setting("SIKIM_TELEGRAM_BOT_TOKEN")
        self.api_url: str = setting("SIKIM_TELEGRAM_API_URL", "https://api.telegram.org")
        # The Bot API allows about 30 messages per second to different chats.
        self.rate_per_second = float(setting("SIKIM_TELEGRAM_RATE_PER_SECOND", 25.0))
        self._client = KeepAliveClient(self.api_url, timeout=timeout()) if self.token else None

    def is_configured(self) -> bool:
        return bool(self.token)

    def compose(self, message: OutgoingMessage) -> str:
        """The message's text, cut to Telegram's 4,096 characters, ending with the link."""
        suffix = f"\n\n{message.link}" if message.link and message.link not in message.text else ""
        body = message.text
        if len(body) + len(suffix) > MAX_TEXT:
            body = body[: MAX_TEXT - len(suffix) - 1].rstrip() + "…"
        return body + suffix

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        if self._client is None:
            raise ChannelNotConfigured("SIKIM_TELEGRAM_BOT_TOKEN is not set")
        payload = {
            "chat_id": message.address,
            "text": self.compose(message),
            # No preview: Telegram's servers would fetch the tracked link and count it as read.
            "link_preview_options": {"is_disabled": True},
        }
        response = self._client.post_json(f"/bot{self.token}/sendMessage", payload)
        body = response.json()
        body = body if isinstance(body, dict) else {}
        if response.status == 200 and body.get("ok"):
            return DeliveryResult(provider_id=str(body["result"]["message_id"]))
        description = str(body.get("description") or f"HTTP {response.status}")
        if response.status == 429:
            retry_after = (body.get("parameters") or {}).get("retry_after", 1)
            raise RateLimited(description, retry_after=float(retry_after))
        if 400 <= response.status < 500:
            # 400 chat not found, 403 blocked by the user / deactivated, 401 bad token: retrying won't help.
            raise PermanentChannelError(description)
        raise TemporaryChannelError(description)
