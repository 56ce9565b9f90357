"""The shared machinery of the fake HTTP providers: a threaded HTTP/1.1 keep-alive server."""

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Poll `condition` until it holds or `timeout` seconds pass (a bounded wait, not a sleep).

    The bound is generous for a loaded CI machine; a condition that holds returns at once.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.005)
    return True


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Failure:
    """How the fake answers instead of succeeding.

    kind: "error" (a provider error, e.g. Telegram's blocked bot; `status` and `code` pick it),
    "rate_limit" (429 with retry_after), "server_error" (500), "timeout" (hold the connection
    until the client gives up, then drop it without an answer), "disconnect" (close at once).
    """

    kind: str
    status: int = 400
    code: int = 0
    description: str = ""
    retry_after: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write (flushed by handle_one_request), without Nagle's delay:
    # otherwise every kept-alive request waits for a delayed ACK (~40 ms).
    wbufsize = -1
    disable_nagle_algorithm = True
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, open_=True)

    def finish(self) -> None:
        self.server.fake._track(self.connection, open_=False)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        pass

    def do_POST(self) -> None:
        self._handle()

    def do_GET(self) -> None:
        self._handle()

    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return RecordedRequest(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )

    def _drop_connection(self, request: RecordedRequest, failure: Failure | None) -> bool:
        """A timeout (held until released, then closed) or a disconnect, recorded as failed.
        True when the failure was one of them and the request is done with."""
        if failure is None or failure.kind not in {"timeout", "disconnect"}:
            return False
        fake = self.server.fake
        fake._record(request, failed=True)
        if failure.kind == "timeout":
            fake._release.wait(fake.hold_seconds)
        self.close_connection = True
        return True

    def _handle(self) -> None:
        request = self._read_request()
        fake = self.server.fake
        failure = fake._take_failure(request)
        if self._drop_connection(request, failure):
            return
        reply = fake.handle(request, failure)
        fake._record(request, failed=failure is not None or reply.status >= 300)
        data = json.dumps(reply.payload).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, fake: "FakeHttpServer") -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class FakeHttpServer:
    """Subclasses implement `handle(request, failure) -> Reply` in the provider's own shapes."""

    # How long a "timeout" failure holds the connection (the client's timeout must be shorter);
    # `stop()` releases held connections at once.
    hold_seconds = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[RecordedRequest] = []
        self._failed: list[RecordedRequest] = []
        self._failures: deque[Failure] = deque()
        self._address_failures: dict[str, Failure] = {}
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counter = 0
        self._connections: set[socket.socket] = set()

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- scripting ---------------------------------------------------------------------------
    def fail_next(self, failure: Failure, times: int = 1) -> None:
        """Answer the next `times` requests with `failure` instead of success."""
        with self._lock:
            self._failures.extend([failure] * times)

    def fail_address(self, address: str, failure: Failure) -> None:
        """Always answer requests for `address` (chat id, phone number) with `failure`."""
        with self._lock:
            self._address_failures[address] = failure

    def drop_connections(self) -> int:
        """Close every open client connection, as a server does with idle keep-alive connections."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        return len(connections)

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._failed.clear()
            self._failures.clear()
            self._address_failures.clear()

    # --- what was received -------------------------------------------------------------------
    @property
    def received(self) -> list[RecordedRequest]:
        """Requests answered with success, in arrival order."""
        with self._lock:
            return list(self._received)

    @property
    def failed(self) -> list[RecordedRequest]:
        """Requests answered with a failure (or not answered at all)."""
        with self._lock:
            return list(self._failed)

    def next_id(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    def address_of(self, request: RecordedRequest) -> str:
        """The recipient named in a request, for `fail_address`; subclasses override."""
        return ""

    def handle(self, request: RecordedRequest, failure: Failure | None) -> Reply:
        raise NotImplementedError

    def _take_failure(self, request: RecordedRequest) -> Failure | None:
        with self._lock:
            if self._failures:
                return self._failures.popleft()
            if self._address_failures:
                try:
                    address = self.address_of(request)
                except ValueError:
                    address = ""
                return self._address_failures.get(address)
            return None

    def _track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _record(self, request: RecordedRequest, *, failed: bool) -> None:
        with self._lock:
            (self._failed if failed else self._received).append(request)
