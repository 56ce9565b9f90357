"""A fake Web Push service (RFC 8030): POST /push/<id> with a VAPID header and an aes128gcm body.

`subscribe()` plays the browser: it makes a subscriber key pair and an auth secret and answers
the PushSubscription JSON a browser would give (endpoint on this fake, keys). The fake checks what
a real push service checks — the VAPID `Authorization: vapid t=<JWT>, k=<public key>` header (an
ES256 signature by `k`, `aud` equal to its own origin, an `exp` within 24 hours, a `sub`), that
`k` is the applicationServerKey the browser subscribed with, a TTL header, the aes128gcm content
encoding — then decrypts the body with the subscriber's private key (http_ece) and records the
decoded JSON in `messages`. Scriptable failures: gone (410), rate limit (429 + Retry-After),
500, timeout, or any status.
"""

import base64
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from .http import Failure, FakeHttpServer, RecordedRequest, Reply

_PATH = re.compile(r"^/push/(?P<id>[A-Za-z0-9_-]+)$")

GONE = Failure("error", status=410, description="push subscription has unsubscribed or expired")
SERVER_ERROR = Failure("server_error")
TIMEOUT = Failure("timeout")


def rate_limit(retry_after: int = 7) -> Failure:
    return Failure("rate_limit", retry_after=retry_after)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@dataclass
class Subscriber:
    """One fake browser: its key pair and auth secret (only the browser knows the private key)."""

    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: str

    @property
    def p256dh(self) -> str:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(public)


@dataclass(frozen=True)
class PushMessage:
    subscription_id: str
    payload: dict[str, Any]  # the decrypted JSON
    headers: dict[str, str]
    claims: dict[str, Any]  # the VAPID JWT's claims


class FakePushService(FakeHttpServer):
    def __init__(self, application_server_key: str = "") -> None:
        super().__init__()
        self.application_server_key = application_server_key
        self._subscribers: dict[str, Subscriber] = {}
        self._messages: list[PushMessage] = []
        self._sub_lock = threading.Lock()

    # --- the browser side ----------------------------------------------------------------------
    def subscribe(self, application_server_key: str | None = None) -> dict[str, Any]:
        """A new subscription, as the browser's PushSubscription.toJSON() gives it."""
        subscriber = Subscriber(
            id=f"sub{self.next_id():05d}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
            application_server_key=application_server_key or self.application_server_key,
        )
        with self._sub_lock:
            self._subscribers[subscriber.id] = subscriber
        return {
            "endpoint": f"{self.url}/push/{subscriber.id}",
            "expirationTime": None,
            "keys": {"p256dh": subscriber.p256dh, "auth": b64url(subscriber.auth)},
        }

    def unsubscribe(self, endpoint: str) -> None:
        """The browser dropped the subscription: the service answers 404 from now on."""
        with self._sub_lock:
            self._subscribers.pop(endpoint.rsplit("/", 1)[-1], None)

    @property
    def messages(self) -> list[PushMessage]:
        with self._sub_lock:
            return list(self._messages)

    def payloads(self) -> list[dict[str, Any]]:
        return [message.payload for message in self.messages]

    def address_of(self, request: RecordedRequest) -> str:
        """For `fail_address`: the endpoint URL the request was sent to."""
        return f"{self.url}{request.path}"

    # --- the push service side -----------------------------------------------------------------
    def handle(self, request: RecordedRequest, failure: Failure | None) -> Reply:
        match = _PATH.match(request.path)
        if request.method != "POST" or match is None:
            return Reply(404, {"error": "not found"})
        with self._sub_lock:
            subscriber = self._subscribers.get(match["id"])
        if subscriber is None:
            return Reply(404, {"error": "no such subscription"})
        claims, problem = self._check_vapid(request.headers.get("authorization", ""), subscriber)
        if problem:
            return Reply(401 if "token" in problem else 403, {"error": problem})
        if failure is not None:
            if failure.kind == "rate_limit":
                return Reply(429, {"error": "too many requests"}, {"Retry-After": str(failure.retry_after)})
            if failure.kind == "server_error":
                return Reply(500, {"error": "internal error"})
            return Reply(failure.status, {"error": failure.description})
        if "ttl" not in request.headers:
            return Reply(400, {"error": "missing TTL header"})
        if request.headers.get("content-encoding") != "aes128gcm":
            return Reply(415, {"error": "content encoding must be aes128gcm"})
        if len(request.body) > 4096:
            return Reply(413, {"error": "payload too large"})
        try:
            plain = http_ece.decrypt(
                request.body, private_key=subscriber.private_key, auth_secret=subscriber.auth, version="aes128gcm"
            )
            payload = json.loads(plain)
        except Exception as error:  # noqa: BLE001 - any decryption failure is the sender's fault
            return Reply(400, {"error": f"cannot decrypt: {error!r}"})
        with self._sub_lock:
            self._messages.append(PushMessage(subscriber.id, payload, request.headers, claims))
        return Reply(201, {}, {"Location": f"{self.url}/m/{self.next_id():08d}"})

    def _check_vapid(self, header: str, subscriber: Subscriber) -> tuple[dict[str, Any], str]:
        scheme, _, params = header.partition(" ")
        if scheme.lower() != "vapid":
            return {}, "missing vapid token"
        values = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        token, key = values.get("t", ""), values.get("k", "")
        try:
            head_b64, claims_b64, signature_b64 = token.split(".")
            head = json.loads(b64url_decode(head_b64))
            claims = json.loads(b64url_decode(claims_b64))
            signature = b64url_decode(signature_b64)
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
        except ValueError:
            return {}, "malformed vapid token"
        if head.get("alg") != "ES256" or len(signature) != 64:
            return {}, "vapid token is not ES256"
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            public.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return {}, "bad vapid token signature"
        now = time.time()
        if claims.get("aud") != self.url:
            return claims, "vapid token aud is not this push service"
        if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 24 * 3600:
            return claims, "vapid token exp is not within 24 hours"
        if not claims.get("sub"):
            return claims, "vapid token has no sub"
        if subscriber.application_server_key and key.rstrip("=") != subscriber.application_server_key.rstrip("="):
            return claims, "the vapid key is not the applicationServerKey of this subscription"  # 403, as FCM
        return claims, ""
