"""SMS through a configurable HTTP gateway.

The gateway contract (docs/channels.md): `POST <SIKIM_SMS_GATEWAY_URL>` with
`Authorization: Bearer <SIKIM_SMS_GATEWAY_TOKEN>` and JSON
`{"to": "+62…", "text": "…", "reference": "sikim-<delivery id>"}` (plus `"sender"` when
SIKIM_SMS_SENDER_ID is set) answers 200/201/202 `{"id": "…"}`; 429 with Retry-After when
throttled; 5xx when it is in trouble; other 4xx for a bad request.

`reference` is an idempotency key, the same on every attempt of one delivery. A gateway that
receives a reference it has already accepted answers with the id it gave the first time and does
not send the SMS again: that makes a retry after a lost answer (a timeout, a killed worker)
reach the phone exactly once.

The gateway reports back to `POST /diseminasi/webhook/sms/` with header `X-Sikim-Token:
<SIKIM_SMS_WEBHOOK_SECRET>` and JSON `{"type": "status", "id": "<id>", "status": "delivered" |
"failed", "error": "…"}` (a delivery report) or `{"type": "inbound", "from": "+62…", "text": "…"}`
(a reply; STOP opts the sender out of SMS).
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from . import segmentation
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


class SmsChannel(Channel):
    name = "sms"
    label = _("SMS")
    max_attempts = 5
    idempotent = True  # the gateway drops a repeated "reference" (see the contract above)

    def __init__(self) -> None:
        self.gateway_url: str = setting("SIKIM_SMS_GATEWAY_URL")
        self.token: str = setting("SIKIM_SMS_GATEWAY_TOKEN")
        self.sender_id: str = setting("SIKIM_SMS_SENDER_ID")
        # Every part is paid for: a long bulletin is cut to this many parts, its link kept whole.
        self.max_segments = int(setting("SIKIM_SMS_MAX_SEGMENTS", 3))
        self.rate_per_second = float(setting("SIKIM_SMS_RATE_PER_SECOND", 50.0))
        self._client: KeepAliveClient | None = None
        self._path = ""
        if self.is_configured():
            parts = urlsplit(self.gateway_url)
            self._client = KeepAliveClient(f"{parts.scheme}://{parts.netloc}", timeout=timeout())
            self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def is_configured(self) -> bool:
        return bool(self.gateway_url and self.token)

    def compose(self, message: OutgoingMessage) -> str:
        """The message's text on one line, cut to `max_segments` parts, ending with the link.

        The hint in `options["sms_hint"]` ("Reply STOP to stop") follows the link only when the text
        was not cut and the hint costs no extra part: it never pushes the link or the text out.
        """
        suffix = f" {message.link}" if message.link and message.link not in message.text else ""
        flat = " ".join(message.text.split())
        text = segmentation.fit(flat, suffix=suffix, max_segments=self.max_segments)
        hint = " ".join(message.options.get("sms_hint", "").split())
        if hint and text == flat + suffix:
            with_hint = f"{text} {hint}" if text else hint
            if segmentation.segment(with_hint).segments <= segmentation.segment(text).segments:
                return with_hint
        return text

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        if self._client is None:
            raise ChannelNotConfigured("SIKIM_SMS_GATEWAY_URL and SIKIM_SMS_GATEWAY_TOKEN are not set")
        text = self.compose(message)
        payload = {"to": message.address, "text": text}
        if message.options.get("reference"):
            payload["reference"] = message.options["reference"]
        if self.sender_id:
            payload["sender"] = self.sender_id
        response = self._client.post_json(self._path, payload, headers={"Authorization": f"Bearer {self.token}"})
        body = response.json()
        body = body if isinstance(body, dict) else {}
        if 200 <= response.status < 300 and body.get("id"):
            return DeliveryResult(provider_id=str(body["id"]), segments=segmentation.segment(text).segments)
        description = str(body.get("error") or body.get("message") or f"HTTP {response.status}")
        if response.status == 429:
            raise RateLimited(description, retry_after=retry_after_seconds(response.headers.get("retry-after")))
        if 400 <= response.status < 500:
            raise PermanentChannelError(f"HTTP {response.status}: {description}")
        raise TemporaryChannelError(f"HTTP {response.status}: {description}")
