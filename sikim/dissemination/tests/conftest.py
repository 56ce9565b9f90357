"""Fake provider servers on 127.0.0.1, and settings pointing each channel at its fake."""

from collections.abc import Iterator

import pytest

from sikim.dissemination.channels import registry
from sikim.dissemination.channels.webpush import generate_vapid_keys

from .fakes import FakeSmsGateway, FakeSmtpServer, FakeTelegramServer, FakeWhatsAppServer
from .fakes.webpush import FakePushService

# As in production: a loaded 2-core CI machine can take well over half a second to answer a
# request on 127.0.0.1, and a normal call must never fail for that.
CLIENT_TIMEOUT = 10.0

# For the tests that make a fake hold the connection ("timeout"): short, so the call gives up
# quickly, yet long enough that the call after it (same client) is answered on a busy machine.
SHORT_CLIENT_TIMEOUT = 2.0


@pytest.fixture
def short_client_timeout(settings) -> float:
    """Make every channel (and the mailer of `fake_smtp`) give up after SHORT_CLIENT_TIMEOUT.

    Request it after the fake's fixture, so the fake's settings are already in place.
    """
    settings.SIKIM_CHANNEL_TIMEOUT = SHORT_CLIENT_TIMEOUT
    mailers = getattr(settings, "MAILERS", None) or {}
    if "default" in mailers:
        default = mailers["default"]
        settings.MAILERS = {
            **mailers,
            "default": {**default, "OPTIONS": {**default.get("OPTIONS", {}), "timeout": SHORT_CLIENT_TIMEOUT}},
        }
    return SHORT_CLIENT_TIMEOUT


@pytest.fixture
def fake_smtp(settings) -> Iterator[FakeSmtpServer]:
    server = FakeSmtpServer().start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": CLIENT_TIMEOUT},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "SIKIM <noreply@sikim.test>"
    yield server
    registry.reset()
    server.stop()


@pytest.fixture
def fake_telegram(settings) -> Iterator[FakeTelegramServer]:
    server = FakeTelegramServer().start()
    settings.SIKIM_TELEGRAM_BOT_TOKEN = server.token
    settings.SIKIM_TELEGRAM_API_URL = server.url
    settings.SIKIM_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    yield server
    registry.reset()
    server.stop()


@pytest.fixture
def fake_whatsapp(settings) -> Iterator[FakeWhatsAppServer]:
    server = FakeWhatsAppServer().start()
    settings.SIKIM_WHATSAPP_TOKEN = server.token
    settings.SIKIM_WHATSAPP_PHONE_NUMBER_ID = server.phone_number_id
    settings.SIKIM_WHATSAPP_API_URL = f"{server.url}/v21.0"
    settings.SIKIM_WHATSAPP_APP_SECRET = "whatsapp-app-secret"
    settings.SIKIM_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    yield server
    registry.reset()
    server.stop()


@pytest.fixture
def fake_sms(settings) -> Iterator[FakeSmsGateway]:
    server = FakeSmsGateway().start()
    settings.SIKIM_SMS_GATEWAY_URL = server.endpoint
    settings.SIKIM_SMS_GATEWAY_TOKEN = server.token
    settings.SIKIM_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    yield server
    registry.reset()
    server.stop()


@pytest.fixture
def fake_webpush(settings) -> Iterator[FakePushService]:
    """A push service on 127.0.0.1 and a freshly generated VAPID key pair in the settings."""
    public, private = generate_vapid_keys()
    server = FakePushService(application_server_key=public).start()
    settings.SIKIM_VAPID_PUBLIC_KEY = public
    settings.SIKIM_VAPID_PRIVATE_KEY = private
    settings.SIKIM_VAPID_SUBJECT = "mailto:kominfo@sikim.test"
    settings.SIKIM_CHANNEL_TIMEOUT = CLIENT_TIMEOUT
    yield server
    registry.reset()
    server.stop()
