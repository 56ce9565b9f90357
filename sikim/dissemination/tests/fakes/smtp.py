"""A minimal SMTP server (RFC 5321 subset: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT).

`smtpd` left the standard library in Python 3.12; this is just enough of the protocol for
`smtplib` (and so Django's SMTP backend) to deliver real messages that tests can read back.
"""

import email
import email.policy
import re
import socketserver
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Self

_ADDRESS = re.compile(r"<([^>]*)>")


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def body(self, subtype: str) -> str:
        """The text of the `text/<subtype>` part."""
        part = self.message.get_body(preferencelist=(subtype,))
        assert part is not None, f"no text/{subtype} part"
        content = part.get_content()
        assert isinstance(content, str)
        return content.replace("\r\n", "\n")


class _Handler(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True
    server: "_Server"

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        fake = self.server.fake
        self.reply("220 fake.smtp.localhost ESMTP ready")
        mail_from: str | None = None
        rcpt_tos: list[str] = []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in {"EHLO", "HELO"}:
                if verb == "EHLO":
                    self.reply("250-fake.smtp.localhost")
                    self.reply("250-8BITMIME")
                    self.reply("250 SMTPUTF8")
                else:
                    self.reply("250 fake.smtp.localhost")
            elif line.upper().startswith("MAIL FROM:"):
                found = _ADDRESS.search(line)
                mail_from, rcpt_tos = (found.group(1) if found else ""), []
                self.reply("250 OK")
            elif line.upper().startswith("RCPT TO:"):
                if mail_from is None:
                    self.reply("503 5.5.1 MAIL first")
                    continue
                found = _ADDRESS.search(line)
                address = found.group(1) if found else ""
                refusal = fake._refusal_for(address)
                if refusal:
                    self.reply(refusal)
                    continue
                rcpt_tos.append(address)
                self.reply("250 OK")
            elif verb == "DATA":
                if mail_from is None or not rcpt_tos:
                    self.reply("503 5.5.1 RCPT first")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                if data is None:
                    return
                action = fake._take_data_failure()
                if action == "timeout":
                    fake._release.wait(fake.hold_seconds)
                    return
                if action == "disconnect":
                    return
                if action:
                    self.reply(action)
                else:
                    fake._record(ReceivedMail(mail_from, tuple(rcpt_tos), data))
                    self.reply("250 2.0.0 OK queued")
                mail_from, rcpt_tos = None, []
            elif verb == "RSET":
                mail_from, rcpt_tos = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not implemented")

    def _read_data(self) -> bytes | None:
        lines: list[bytes] = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw:
                return None
            if raw in {b".\r\n", b".\n"}:
                return b"".join(lines)
            lines.append(raw[1:] if raw.startswith(b"..") else raw)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake: "FakeSmtpServer") -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)


class FakeSmtpServer:
    hold_seconds = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[ReceivedMail] = []
        self._refused: dict[str, str] = {}
        self._data_failures: list[str] = []
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

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
    def messages(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._messages)

    @property
    def message_ids(self) -> list[str]:
        """The Message-ID of every mail received, in order (repeats included)."""
        return [str(mail.message["Message-ID"] or "") for mail in self.messages]

    @property
    def unique_message_ids(self) -> set[str]:
        """Distinct Message-IDs: how many different mails arrived, however often each was resent."""
        return set(self.message_ids)

    def refuse(self, address: str, reply: str = "550 5.1.1 User unknown") -> None:
        """Answer RCPT TO:<address> with `reply` (5xx permanent, 4xx temporary)."""
        with self._lock:
            self._refused[address] = reply

    def fail_data(self, action: str, times: int = 1) -> None:
        """After the next DATA: an SMTP reply such as "451 4.3.0 Try later", or "timeout"/"disconnect"."""
        with self._lock:
            self._data_failures.extend([action] * times)

    def reset(self) -> None:
        with self._lock:
            self._messages.clear()
            self._refused.clear()
            self._data_failures.clear()

    def _refusal_for(self, address: str) -> str:
        with self._lock:
            return self._refused.get(address, "")

    def _take_data_failure(self) -> str:
        with self._lock:
            return self._data_failures.pop(0) if self._data_failures else ""

    def _record(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._messages.append(mail)
