"""Web push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291).

The sender gives this channel a member (`message.address` is the member id, also in
`options["member_id"]`); the channel sends the notification to every browser that member
subscribed, through pywebpush (encryption and the VAPID JWT). The payload is JSON
`{"title", "body", "url"}` (and `"tag"`, so a bulletin replaces itself on the device); the service
worker (`views_push.service_worker`) shows it and opens `url`, the tracked link, on a click.

Unlike the other channels this one reads and writes the database: the subscriptions are its
addresses, and a push service answering 404/410 means the browser dropped the subscription,
which is then deleted (`services.push.push_subscriptions_gone`).

One member, several browsers: the delivery counts as sent when at least one browser's push
service accepted it (a retry would notify the others twice). When none did, the worst answer
decides: 429 → RateLimited, 5xx or no answer → TemporaryChannelError, anything else →
PermanentChannelError (also when every subscription turned out to be gone).
"""

import json
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid
from py_vapid.utils import b64urlencode
from pywebpush import WebPusher

from sikim.dissemination import selectors
from sikim.dissemination.models import PushSubscription
from sikim.dissemination.services import push as push_services

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
from .httpclient import retry_after_seconds

MAX_BODY = 240  # characters of the notification text; the whole bulletin is one click away
# How long a push service keeps a message for a device that is offline (seconds).
DEFAULT_TTL = 2 * 24 * 3600
# A VAPID token is valid for 12 hours; one is reused per push service while 1 hour is left.
VAPID_LIFETIME = 12 * 3600
VAPID_REUSE_MARGIN = 3600


@dataclass(frozen=True)
class _Outcome:
    subscription: PushSubscription
    status: int  # 0: no answer
    provider_id: str = ""
    retry_after: float = 0.0
    error: str = ""


class WebPushChannel(Channel):
    name = "webpush"
    label = _("Web push")
    max_attempts = 5

    def __init__(self) -> None:
        self.private_key: str = setting("SIKIM_VAPID_PRIVATE_KEY")
        self.public_key: str = setting("SIKIM_VAPID_PUBLIC_KEY")
        self.subject: str = setting("SIKIM_VAPID_SUBJECT", "mailto:admin@sikim.localhost")
        self.rate_per_second = float(setting("SIKIM_WEBPUSH_RATE_PER_SECOND", 50.0))
        self.ttl = int(setting("SIKIM_WEBPUSH_TTL", DEFAULT_TTL))
        self.timeout = timeout()
        self._vapid: Vapid | None = None
        self.key_error = ""
        if self.is_configured():
            try:
                self._vapid = Vapid.from_string(private_key=self.private_key)
            except Exception as error:  # noqa: BLE001 - py_vapid raises whatever cryptography raises
                self.key_error = f"SIKIM_VAPID_PRIVATE_KEY cannot be read: {error!r}"
            else:
                if self.derived_public_key() != self.public_key.rstrip("="):
                    self.key_error = "SIKIM_VAPID_PUBLIC_KEY is not the public key of SIKIM_VAPID_PRIVATE_KEY"
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}  # audience → (Authorization header, expiry)

    def is_configured(self) -> bool:
        return bool(self.private_key and self.public_key)

    def derived_public_key(self) -> str:
        """The applicationServerKey (base64url, uncompressed P-256 point) of the private key."""
        assert self._vapid is not None
        raw = self._vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return str(b64urlencode(raw))

    # --- the message -----------------------------------------------------------------------------
    def compose(self, message: OutgoingMessage) -> dict[str, str]:
        """The notification: title, a short body (without the title and the link), the link."""
        text = message.text
        first_line, _newline, rest = text.partition("\n")
        if message.subject and first_line.strip() == message.subject.strip():
            text = rest  # the sender's text starts with the title, which is the notification's title
        if message.link:
            text = text.replace(message.link, "")
        body = " ".join(text.split())
        if len(body) > MAX_BODY:
            body = body[: MAX_BODY - 1].rstrip() + "…"
        payload = {"title": message.subject or str(_("New bulletin")), "body": body, "url": message.link}
        if message.options.get("bulletin_id"):
            payload["tag"] = f"bulletin-{message.options['bulletin_id']}"
        return payload

    def _member_id(self, message: OutgoingMessage) -> int:
        value = message.options.get("member_id") or message.address
        if not str(value).isdigit():
            raise PermanentChannelError(f"Not a member id: {value!r}")
        return int(value)

    # --- HTTP ------------------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no proxy or .netrc from the environment: push services directly
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    def _authorization(self, endpoint: str) -> str:
        """The VAPID header for the endpoint's push service, signed once and reused for hours."""
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        with self._lock:
            cached = self._tokens.get(audience)
            if cached is not None and cached[1] - now > VAPID_REUSE_MARGIN:
                return cached[0]
        assert self._vapid is not None
        expiry = int(now) + VAPID_LIFETIME
        headers = self._vapid.sign({"aud": audience, "exp": expiry, "sub": self.subject})
        header = str(headers["Authorization"])
        with self._lock:
            self._tokens[audience] = (header, float(expiry))
        return header

    def _push(self, subscription: PushSubscription, data: bytes, urgency: str) -> _Outcome:
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        headers = {"Authorization": self._authorization(subscription.endpoint), "Urgency": urgency}
        try:
            response = WebPusher(info, requests_session=self._session()).send(
                data, headers, ttl=self.ttl, timeout=self.timeout
            )
        except requests.Timeout:
            self._drop_session()
            return _Outcome(subscription, 0, error=f"no answer within {self.timeout:g} s")
        except requests.RequestException as error:
            self._drop_session()
            return _Outcome(subscription, 0, error=f"could not reach the push service: {error!r}")
        assert isinstance(response, requests.Response)
        status = response.status_code
        if status in (200, 201, 202):
            provider_id = (
                response.headers.get("Location") or f"{subscription.endpoint[-120:]}@{timezone.now():%Y%m%dT%H%M%S}"
            )
            return _Outcome(subscription, status, provider_id=provider_id)
        return _Outcome(
            subscription,
            status,
            retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            error=f"HTTP {status}: {response.text[:200]}".strip(),
        )

    def _drop_session(self) -> None:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is not None:
            session.close()
            self._local.session = None

    # --- send ------------------------------------------------------------------------------------
    def send(self, message: OutgoingMessage) -> DeliveryResult:
        if not self.is_configured():
            raise ChannelNotConfigured("SIKIM_VAPID_PRIVATE_KEY and SIKIM_VAPID_PUBLIC_KEY are not set")
        if self._vapid is None or self.key_error:
            raise ChannelNotConfigured(self.key_error or "the VAPID key cannot be read")
        subscriptions = selectors.push_subscriptions_of(self._member_id(message))
        if not subscriptions:
            raise PermanentChannelError("The member has no web push subscription")
        data = json.dumps(self.compose(message), ensure_ascii=False).encode()
        urgency = "high" if message.options.get("priority") in ("urgent", "emergency") else "normal"
        outcomes = [self._push(subscription, data, urgency) for subscription in subscriptions]

        delivered = [o for o in outcomes if o.provider_id]
        gone = [o.subscription.pk for o in outcomes if o.status in (404, 410)]
        if gone:
            push_services.push_subscriptions_gone(subscription_ids=gone)
        if delivered:
            push_services.push_subscriptions_delivered(subscription_ids=[o.subscription.pk for o in delivered])
            return DeliveryResult(provider_id=delivered[0].provider_id)

        failures = [o for o in outcomes if o.status not in (404, 410)]
        if not failures:
            raise PermanentChannelError("Every web push subscription of the member is gone (HTTP 404/410)")
        rate_limited = [o for o in failures if o.status == 429]
        if rate_limited:
            raise RateLimited(rate_limited[0].error, retry_after=max(o.retry_after for o in rate_limited))
        temporary = [o for o in failures if o.status == 0 or o.status >= 500]
        if temporary:
            raise TemporaryChannelError(temporary[0].error)
        raise PermanentChannelError(failures[0].error)


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair: (public applicationServerKey, private key), both base64url.

    The private key is the raw 32-byte P-256 scalar, the form `Vapid.from_string` (pywebpush) reads.
    """
    vapid = Vapid()
    vapid.generate_keys()
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return str(b64urlencode(public)), str(b64urlencode(private))
