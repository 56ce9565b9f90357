"""A fake Telegram Bot API: POST /bot<token>/sendMessage, answering in the Bot API's shapes.

Files: `add_file(bytes)` returns a file_id; `getFile?file_id=…` (GET or POST) answers its
file_path, and GET /file/bot<token>/<file_path> serves the bytes.
"""

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

from .files import FileReply, FilesServer
from .http import Failure, RecordedRequest, Reply

_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/photos/file_(?P<file_id>\w+)\.jpg$")

BLOCKED = Failure("error", status=403, description="Forbidden: bot was blocked by the user")
CHAT_NOT_FOUND = Failure("error", status=400, description="Bad Request: chat not found")
UNAUTHORIZED = Failure("error", status=401, description="Unauthorized")


def rate_limit(retry_after: int = 3) -> Failure:
    return Failure("rate_limit", retry_after=retry_after)


TEST_TOKEN = "123456:TEST-TOKEN"


class FakeTelegramServer(FilesServer):
    def __init__(self, token: str = TEST_TOKEN) -> None:
        super().__init__()
        self.token = token

    def address_of(self, request: RecordedRequest) -> str:
        return str(json.loads(request.body).get("chat_id", ""))

    def sent_texts(self) -> list[tuple[str, str]]:
        """(chat_id, text) of every message accepted."""
        return [(str(r.json()["chat_id"]), r.json()["text"]) for r in self.received if r.path.endswith("/sendMessage")]

    def is_file_request(self, method: str, path: str) -> bool:
        return method == "GET" and path.startswith("/file/")

    def file_reply(self, request: RecordedRequest) -> FileReply:
        match = _FILE_PATH.match(urlsplit(request.path).path)
        content = self.file_content(match["file_id"]) if match and match["token"] == self.token else None
        if content is None:
            return FileReply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}', "application/json")
        return FileReply(200, content, "image/jpeg")

    def _get_file(self, request: RecordedRequest) -> Reply:
        query = parse_qs(urlsplit(request.path).query)
        file_id = (query.get("file_id") or [""])[0]
        if not file_id and request.body:
            try:
                file_id = str(json.loads(request.body).get("file_id") or "")
            except (ValueError, AttributeError):
                file_id = ""
        content = self.file_content(file_id)
        if content is None:
            return Reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"})
        result = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": f"photos/file_{file_id}.jpg",
        }
        return Reply(200, {"ok": True, "result": result})

    def handle(self, request: RecordedRequest, failure: Failure | None) -> Reply:
        match = _PATH.match(urlsplit(request.path).path)
        if match is None:
            return Reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        if match["token"] != self.token:
            return Reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        if failure is not None:
            return self._failure_reply(failure)
        if match["method"] == "getFile":
            return self._get_file(request)
        if match["method"] != "sendMessage":
            return Reply(404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})
        try:
            payload = json.loads(request.body)
        except ValueError:
            return Reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"})
        text = payload.get("text") or ""
        if not text:
            return Reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"})
        if len(text) > 4096:
            return Reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"})
        chat_id = payload.get("chat_id")
        return Reply(
            200,
            {
                "ok": True,
                "result": {
                    "message_id": self.next_id(),
                    "from": {"id": int(self.token.split(":")[0]), "is_bot": True, "first_name": "SIKIM"},
                    "chat": {"id": chat_id, "type": "private"},
                    "date": int(time.time()),
                    "text": text,
                },
            },
        )

    def _failure_reply(self, failure: Failure) -> Reply:
        if failure.kind == "rate_limit":
            return Reply(
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {failure.retry_after}",
                    "parameters": {"retry_after": failure.retry_after},
                },
            )
        if failure.kind == "server_error":
            return Reply(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
        return Reply(failure.status, {"ok": False, "error_code": failure.status, "description": failure.description})
