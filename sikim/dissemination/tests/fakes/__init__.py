"""Fake provider servers for the channel tests: real protocols on 127.0.0.1, in-process threads.

Each fake records what it received (thread-safe) and can be told to fail: answer 500, hold the
connection past the client's timeout, rate-limit the next N requests, or refuse an address.
"""

from .http import Failure, FakeHttpServer, RecordedRequest, wait_until
from .sms import FakeSmsGateway
from .smtp import FakeSmtpServer, ReceivedMail
from .telegram import FakeTelegramServer
from .whatsapp import FakeWhatsAppServer

__all__ = [
    "Failure",
    "FakeHttpServer",
    "FakeSmsGateway",
    "FakeSmtpServer",
    "FakeTelegramServer",
    "FakeWhatsAppServer",
    "ReceivedMail",
    "RecordedRequest",
    "wait_until",
]
