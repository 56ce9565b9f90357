"""WhatsApp Cloud API: approved template messages (https://developers.facebook.com/docs/whatsapp/cloud-api).

A bulletin goes out as a template (business-initiated messages outside the 24-hour window must
be templates). The template's body takes three text parameters: {{1}} the title, {{2}} a short
summary, {{3}} the tracked link. Its name and language come from the message's options
(`whatsapp_template`, `whatsapp_language`) or the settings.

A reply to a message the person just sent us (the option `whatsapp_reply_to`: their message's
wamid) is a plain text message quoting theirs instead: inside the 24-hour customer service
window WhatsApp allows free-form text, which reads better than a template and costs no template
conversation. A link in it is not previewed, so Meta never fetches a citizen's secret link.
"""

from typing import Any

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
from .httpclient import KeepAliveClient, retry_after_seconds

# Graph API error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131048, 131056})
TEMPORARY_CODES = frozenset({1, 2, 131000, 131016, 133004})
SUMMARY_MAX = 700  # characters of {{2}}; a template body holds at most 1,024 in all
TEXT_MAX = 4096  # characters of a text message's body


def _parameter(text: str, limit: int) -> str:
    """Template parameters may not hold new lines, tabs or more than four spaces in a row."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class WhatsAppChannel(Channel):
    name = "whatsapp"
    label = _("WhatsApp")
    max_attempts = 5

    def __init__(self) -> None:
        self.token: str = setting("SIKIM_WHATSAPP_TOKEN")
        self.phone_number_id: str = setting("SIKIM_WHATSAPP_PHONE_NUMBER_ID")
        self.api_url: str = setting("SIKIM_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
        self.template: str = setting("SIKIM_WHATSAPP_TEMPLATE", "sikim_bulletin")
        self.language: str = setting("SIKIM_WHATSAPP_TEMPLATE_LANGUAGE", "id")
        # Cloud API's default throughput is 80 messages per second per business number.
        self.rate_per_second = float(setting("SIKIM_WHATSAPP_RATE_PER_SECOND", 60.0))
        self._client = KeepAliveClient(self.api_url, timeout=timeout()) if self.is_configured() else None

    def is_configured(self) -> bool:
        return bool(self.token and self.phone_number_id)

    def payload(self, message: OutgoingMessage) -> dict[str, object]:
        reply_to = message.options.get("whatsapp_reply_to")
        if reply_to:
            return self._reply_payload(message, reply_to)
        parameters = [
            _parameter(message.subject, 200),
            _parameter(message.text, SUMMARY_MAX),
            message.link or str(setting("SITE_URL", "")),
        ]
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.address.lstrip("+"),
            "type": "template",
            "template": {
                "name": message.options.get("whatsapp_template") or self.template,
                "language": {"code": message.options.get("whatsapp_language") or self.language},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": value} for value in parameters]}
                ],
            },
        }

    def _reply_payload(self, message: OutgoingMessage, reply_to: str) -> dict[str, object]:
        """A free-form text inside the customer service window, quoting the person's message."""
        parts = [part for part in (message.subject, message.text) if part.strip()]
        body = "\n\n".join(parts)
        tail = f"\n{message.link}" if message.link else ""
        if len(body) + len(tail) > TEXT_MAX:  # the link must survive the cut
            body = body[: TEXT_MAX - len(tail) - 1].rstrip() + "…"
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.address.lstrip("+"),
            "context": {"message_id": reply_to},
            "type": "text",
            "text": {"body": body + tail, "preview_url": False},
        }

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        if self._client is None:
            raise ChannelNotConfigured("SIKIM_WHATSAPP_TOKEN and SIKIM_WHATSAPP_PHONE_NUMBER_ID are not set")
        response = self._client.post_json(
            f"/{self.phone_number_id}/messages",
            self.payload(message),
            headers={"Authorization": f"Bearer {self.token}"},
        )
        body = response.json()
        body = body if isinstance(body, dict) else {}
        if response.status == 200 and body.get("messages"):
            return DeliveryResult(provider_id=str(body["messages"][0]["id"]))
        error: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
        code = int(error.get("code") or 0)
        details = (error.get("error_data") or {}).get("details") or ""
        description = f"({code}) {error.get('message') or f'HTTP {response.status}'}"
        if details:
            description += f": {details}"
        if response.status == 429 or code in RATE_LIMIT_CODES:
            raise RateLimited(description, retry_after=retry_after_seconds(response.headers.get("retry-after"), 60.0))
        if response.status >= 500 or code in TEMPORARY_CODES or not (400 <= response.status < 500):
            raise TemporaryChannelError(description)
        # 131047 outside the 24-hour window, 131026 undeliverable, 132001 template missing, 190 token…
        raise PermanentChannelError(description)
