"""File downloads from the fake providers: replies whose body is raw bytes instead of JSON.

`FilesServer` is a `FakeHttpServer` whose `handle()` may answer a `FileReply`; everything else
(failures, timeouts, recording) works as in `http.py`. Files are registered with `add_file()`
and served by the subclass under the provider's own paths.
"""

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Self

from .http import Failure, FakeHttpServer, RecordedRequest, _Handler, _Server


@dataclass(frozen=True)
class FileReply:
    status: int
    body: bytes
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)


class _FilesHandler(_Handler):
    def _handle(self) -> None:
        fake = self.server.fake
        if not isinstance(fake, FilesServer) or not fake.is_file_request(self.command, self.path):
            super()._handle()  # the provider's JSON API
            return
        request = self._read_request()
        failure = fake._take_download_failure() or fake._take_failure(request)
        if self._drop_connection(request, failure):
            return
        if failure is not None:
            status = {"server_error": 500, "rate_limit": 429}.get(failure.kind, failure.status)
            error = {"error": failure.description or "failed", "status": status}
            file = FileReply(status, json.dumps(error).encode(), "application/json")
        else:
            file = fake.file_reply(request)
        fake._record(request, failed=failure is not None or file.status >= 300)
        self.send_response(file.status)
        self.send_header("Content-Type", file.content_type)
        self.send_header("Content-Length", str(len(file.body)))
        for name, value in file.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(file.body)


class _FilesServer(_Server):
    def __init__(self, fake: "FilesServer") -> None:
        self.fake = fake
        ThreadingHTTPServer.__init__(self, ("127.0.0.1", 0), _FilesHandler)


class FilesServer(FakeHttpServer):
    def __init__(self) -> None:
        super().__init__()
        self._files: dict[str, bytes] = {}
        self._download_failures: deque[Failure] = deque()

    def start(self) -> Self:
        self._server = _FilesServer(self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def add_file(self, content: bytes) -> str:
        """Register bytes to serve; returns their id (a Telegram file_id, a WhatsApp media id)."""
        file_id = f"{100000 + self.next_id()}"
        with self._lock:
            self._files[file_id] = content
        return file_id

    def fail_next_download(self, failure: Failure, times: int = 1) -> None:
        """Answer the next `times` downloads (not the lookups before them) with `failure`."""
        with self._lock:
            self._download_failures.extend([failure] * times)

    def _take_download_failure(self) -> Failure | None:
        with self._lock:
            return self._download_failures.popleft() if self._download_failures else None

    def file_content(self, file_id: str) -> bytes | None:
        with self._lock:
            return self._files.get(file_id)

    def requests_to(self, fragment: str) -> list[RecordedRequest]:
        """Every request (answered or failed) whose path contains `fragment`."""
        with self._lock:
            return [r for r in self._received + self._failed if fragment in r.path]

    # Subclasses: which requests are downloads, and what they answer.
    def is_file_request(self, method: str, path: str) -> bool:
        return False

    def file_reply(self, request: RecordedRequest) -> FileReply:
        raise NotImplementedError
