"""A fake WhatsApp Cloud API: POST /<version>/<phone_number_id>/messages with a template message."""

import base64
import json
import re

from .http import Failure, FakeHttpServer, RecordedRequest, Reply

_PATH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<phone_number_id>\d+)/messages$")


def graph_error(code: int, message: str, *, status: int = 400, details: str = "") -> Failure:
    return Failure("error", status=status, code=code, description=message, extra={"details": details})


RE_ENGAGEMENT = graph_error(
    131047,
    "Re-engagement message",
    details="Message failed to send because more than 24 hours have passed since the customer last replied.",
)
TEMPLATE_MISSING = graph_error(132001, "Template name does not exist in the translation")
INVALID_RECIPIENT = graph_error(131026, "Message undeliverable")
TOKEN_EXPIRED = graph_error(190, "Error validating access token: Session has expired", status=401)


def rate_limit(retry_after: int = 1) -> Failure:
    return Failure("rate_limit", status=429, code=130429, description="Rate limit hit", retry_after=retry_after)


TEST_TOKEN = "EAAG-test-token"


class FakeWhatsAppServer(FakeHttpServer):
    def __init__(self, token: str = TEST_TOKEN, phone_number_id: str = "1234567890") -> None:
        super().__init__()
        self.token = token
        self.phone_number_id = phone_number_id

    def address_of(self, request: RecordedRequest) -> str:
        return str(json.loads(request.body).get("to", ""))

    def handle(self, request: RecordedRequest, failure: Failure | None) -> Reply:
        match = _PATH.match(request.path)
        if match is None or match["phone_number_id"] != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request.")
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return self._error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if failure is not None:
            if failure.kind == "rate_limit":
                return self._error(failure.status, failure.code, failure.description, retry_after=failure.retry_after)
            if failure.kind == "server_error":
                return self._error(500, 131000, "Something went wrong")
            return self._error(failure.status, failure.code, failure.description, details=failure.extra.get("details"))
        try:
            payload = json.loads(request.body)
        except ValueError:
            return self._error(400, 100, "Invalid parameter")
        if payload.get("messaging_product") != "whatsapp" or not payload.get("to"):
            return self._error(400, 100, "Invalid parameter")
        if payload.get("type") != "template" or not payload.get("template", {}).get("name"):
            return self._error(400, 100, "Invalid parameter")
        wamid = "wamid." + base64.b64encode(f"{payload['to']}-{self.next_id():08d}".encode()).decode()
        return Reply(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": payload["to"], "wa_id": payload["to"].lstrip("+")}],
                "messages": [{"id": wamid, "message_status": "accepted"}],
            },
        )

    def _error(
        self, status: int, code: int, message: str, *, details: str | None = None, retry_after: int | None = None
    ) -> Reply:
        error: dict[str, object] = {"message": message, "type": "OAuthException", "code": code}
        if details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": details}
        error["fbtrace_id"] = "AbCdEfGhIjK"
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return Reply(status, {"error": error}, headers)
