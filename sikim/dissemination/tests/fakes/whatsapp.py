"""A fake WhatsApp Cloud API: POST /<version>/<phone_number_id>/messages with a template message,
or a text message (a body of at most 4,096 characters; the real API allows it only within 24 hours
of the person's last message, which a test states with `fail_next(RE_ENGAGEMENT)`).

Media: `add_file(bytes)` returns a media id; GET /<version>/<media id> (Bearer) answers its
`url` on this server (or the one given to `point_media_at`), and GET /media/<id> (Bearer)
serves the bytes.
"""

import base64
import hashlib
import json
import re
from urllib.parse import urlsplit

from .files import FileReply, FilesServer
from .http import Failure, RecordedRequest, Reply

_PATH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<phone_number_id>\d+)/messages$")
_MEDIA = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<media_id>\d+)$")
_DOWNLOAD = re.compile(r"^/media/(?P<media_id>\d+)$")


def graph_error(code: int, message: str, *, status: int = 400, details: str = "") -> Failure:
    return Failure("error", status=status, code=code, description=message, extra={"details": details})


def _is_template(payload: dict) -> bool:
    template = payload.get("template")
    return payload.get("type") == "template" and isinstance(template, dict) and bool(template.get("name"))


def _is_text(payload: dict) -> bool:
    text = payload.get("text")
    body = text.get("body") if isinstance(text, dict) else None
    return payload.get("type") == "text" and isinstance(body, str) and 0 < len(body) <= 4096


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


class FakeWhatsAppServer(FilesServer):
    def __init__(self, token: str = TEST_TOKEN, phone_number_id: str = "1234567890") -> None:
        super().__init__()
        self.token = token
        self.phone_number_id = phone_number_id
        self._media_urls: dict[str, str] = {}
        self._declared_sizes: dict[str, str] = {}

    def point_media_at(self, media_id: str, url: str) -> None:
        """Answer the lookup of `media_id` with another download URL (e.g. a host not allowed)."""
        with self._lock:
            self._media_urls[media_id] = url

    def declare_size(self, media_id: str, file_size: str) -> None:
        """Answer the lookup with this `file_size` (a string, as Meta sends it)."""
        with self._lock:
            self._declared_sizes[media_id] = file_size

    def is_file_request(self, method: str, path: str) -> bool:
        return method == "GET" and path.startswith("/media/")

    def file_reply(self, request: RecordedRequest) -> FileReply:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return FileReply(401, b'{"error":{"message":"Invalid OAuth access token","code":190}}', "application/json")
        match = _DOWNLOAD.match(urlsplit(request.path).path)
        content = self.file_content(match["media_id"]) if match else None
        if content is None:
            return FileReply(404, b"Not Found", "text/plain")
        return FileReply(200, content, "image/jpeg")

    def _media_lookup(self, media_id: str) -> Reply:
        content = self.file_content(media_id)
        if content is None:
            return self._error(400, 100, "Unsupported get request. Object with ID does not exist")
        with self._lock:
            url = self._media_urls.get(media_id, f"{self.url}/media/{media_id}?ext=1763900000&hash=ATs")
            file_size = self._declared_sizes.get(media_id, str(len(content)))
        return Reply(
            200,
            {
                "messaging_product": "whatsapp",
                "url": url,
                "mime_type": "image/jpeg",
                "sha256": hashlib.sha256(content).hexdigest(),
                "file_size": file_size,
                "id": media_id,
            },
        )

    def address_of(self, request: RecordedRequest) -> str:
        return str(json.loads(request.body).get("to", ""))

    def handle(self, request: RecordedRequest, failure: Failure | None) -> Reply:
        media = _MEDIA.match(urlsplit(request.path).path) if request.method == "GET" else None
        if media is not None:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return self._error(401, 190, "Invalid OAuth access token - Cannot parse access token")
            if failure is not None:
                return self._error(500, 131000, "Something went wrong")
            return self._media_lookup(media["media_id"])
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
        if not (_is_template(payload) or _is_text(payload)):
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
