"""A fake HTTP SMS gateway: POST {"to": "+62…", "text": …, "reference": …} with a bearer token → {"id": …}.

It keeps the contract of channels/sms.py: a request whose reference was already accepted is
answered with the first id and not handed to a phone again. `requests` counts what arrived,
`handed_to_phones` what a real gateway would have sent. Like a real gateway it can post delivery
reports and inbound replies to SIKIM's webhook (`report_to`, `post_status`, `post_inbound`).
"""

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from .http import Failure, FakeHttpServer, RecordedRequest, Reply

INVALID_NUMBER = Failure("error", status=422, description="invalid destination number")


def rate_limit(retry_after: int = 2) -> Failure:
    return Failure("rate_limit", retry_after=retry_after)


TEST_TOKEN = "sms-test-token"


@dataclass(frozen=True)
class HandedSms:
    """One SMS the gateway handed to the phone network."""

    id: str
    to: str
    text: str
    reference: str


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: Any


class FakeSmsGateway(FakeHttpServer):
    path = "/messages"

    def __init__(self, token: str = TEST_TOKEN) -> None:
        super().__init__()
        self.token = token
        self._phones_lock = threading.Lock()
        self._by_reference: dict[str, str] = {}  # reference → the id given the first time
        self._handed: list[HandedSms] = []
        self.webhook_url = ""
        self.webhook_secret = ""

    def reset(self) -> None:
        super().reset()
        with self._phones_lock:
            self._by_reference.clear()
            self._handed.clear()

    # --- what reached phones -------------------------------------------------------------------
    @property
    def request_count(self) -> int:
        """Every request that arrived, answered with success or not."""
        return len(self.received) + len(self.failed)

    @property
    def handed_to_phones(self) -> list[HandedSms]:
        """Messages sent on to phones: one per reference, however often it was requested."""
        with self._phones_lock:
            return list(self._handed)

    @property
    def duplicate_requests(self) -> int:
        """Successful requests that repeated a reference already accepted (not sent again)."""
        return len(self.received) - len(self.handed_to_phones)

    def _accept(self, to: str, text: str, reference: str) -> str:
        with self._phones_lock:
            if reference and reference in self._by_reference:
                return self._by_reference[reference]
            provider_id = f"sms-{self.next_id():08d}"
            if reference:
                self._by_reference[reference] = provider_id
            self._handed.append(HandedSms(provider_id, to, text, reference))
            return provider_id

    # --- reports to SIKIM (the gateway is the HTTP client here) --------------------------------
    def report_to(self, url: str, secret: str) -> None:
        """Post delivery reports and inbound replies to `url` with `X-Sikim-Token: <secret>`."""
        self.webhook_url, self.webhook_secret = url, secret

    def post_report(self, payload: Any) -> WebhookAnswer:
        assert self.webhook_url, "report_to() first"
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        request = urllib.request.Request(  # noqa: S310 (a URL the test gives: its live server)
            self.webhook_url,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "X-Sikim-Token": self.webhook_secret},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return WebhookAnswer(response.status, json.loads(response.read() or b"null"))
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = body.decode("utf-8", "replace")
            return WebhookAnswer(error.code, parsed)

    def post_status(self, provider_id: str, status: str, error: str = "") -> WebhookAnswer:
        """A delivery report for a message this gateway accepted ("delivered" or "failed")."""
        payload = {"type": "status", "id": provider_id, "status": status}
        if error:
            payload["error"] = error
        return self.post_report(payload)

    def post_inbound(self, phone: str, text: str) -> WebhookAnswer:
        """A reply a phone sent to the sender number."""
        return self.post_report({"type": "inbound", "from": phone, "text": text})

    @property
    def endpoint(self) -> str:
        return self.url + self.path

    def address_of(self, request: RecordedRequest) -> str:
        return str(json.loads(request.body).get("to", ""))

    def handle(self, request: RecordedRequest, failure: Failure | None) -> Reply:
        if request.path != self.path:
            return Reply(404, {"error": "not found"})
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return Reply(401, {"error": "unauthorized"})
        if failure is not None:
            if failure.kind == "rate_limit":
                return Reply(429, {"error": "too many requests"}, {"Retry-After": str(failure.retry_after)})
            if failure.kind == "server_error":
                return Reply(500, {"error": "internal error"})
            return Reply(failure.status, {"error": failure.description})
        try:
            payload = json.loads(request.body)
        except ValueError:
            return Reply(400, {"error": "invalid json"})
        to, text, reference = payload.get("to", ""), payload.get("text", ""), payload.get("reference", "")
        if not (isinstance(to, str) and to.startswith("+") and to[1:].isdigit()) or not text:
            return Reply(422, {"error": "invalid destination number or empty text"})
        if not isinstance(reference, str):
            return Reply(422, {"error": "reference must be a string"})
        return Reply(202, {"id": self._accept(to, str(text), reference), "status": "queued"})
