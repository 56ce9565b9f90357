"""A small keep-alive HTTP client for the channels (standard library only).

One `KeepAliveClient` per channel instance keeps one persistent connection per thread to the
provider, so a worker sending thousands of messages does not pay a TCP (and TLS) handshake
for each. Failures are turned into the channel errors of `base.py` by the caller; this module
only raises `TemporaryChannelError` for transport problems (timeouts, refused or dropped
connections), which are always worth retrying.
"""

import http.client
import json
import select
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .base import TemporaryChannelError


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


class KeepAliveClient:
    def __init__(self, base_url: str, *, timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"Not an http(s) URL: {base_url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.base_path = parts.path.rstrip("/")
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def post_json(self, path: str, payload: Any, *, headers: dict[str, str] | None = None) -> HttpResponse:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        all_headers = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
        conn = self._connection()
        if _dropped(conn):
            # The server closed the kept-alive connection while it was idle: reconnect before
            # sending, rather than resending after a failure (which could deliver twice).
            self.close()
            conn = self._connection()
        try:
            conn.request("POST", self.base_path + path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
        except TimeoutError as error:
            self.close()
            raise TemporaryChannelError(f"{self.host} did not answer within {self.timeout:g} s") from error
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise TemporaryChannelError(f"Could not reach {self.host} or lost the connection: {error!r}") from error
        if response.will_close:
            self.close()
        return HttpResponse(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=data,
        )


def _dropped(conn: http.client.HTTPConnection) -> bool:
    """True when an open connection has been closed by the other side (readable at EOF)."""
    sock = conn.sock
    if sock is None:
        return False
    poller = select.poll()  # not select(): it fails on descriptors above 1023
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))  # an idle HTTP connection only becomes readable when closed


def retry_after_seconds(value: str | None, default: float = 1.0) -> float:
    """Seconds from a Retry-After header (only the delta-seconds form; dates fall back to default)."""
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        return default
