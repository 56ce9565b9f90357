"""A fake HTTP SMS gateway: POST {"to": "+62…", "text": …} with a bearer token → {"id": …}."""

import json

from .http import Failure, FakeHttpServer, RecordedRequest, Reply

INVALID_NUMBER = Failure("error", status=422, description="invalid destination number")


def rate_limit(retry_after: int = 2) -> Failure:
    return Failure("rate_limit", retry_after=retry_after)


TEST_TOKEN = "sms-test-token"


class FakeSmsGateway(FakeHttpServer):
    path = "/messages"

    def __init__(self, token: str = TEST_TOKEN) -> None:
        super().__init__()
        self.token = token

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
        to, text = payload.get("to", ""), payload.get("text", "")
        if not (isinstance(to, str) and to.startswith("+") and to[1:].isdigit()) or not text:
            return Reply(422, {"error": "invalid destination number or empty text"})
        return Reply(202, {"id": f"sms-{self.next_id():08d}", "status": "queued"})
