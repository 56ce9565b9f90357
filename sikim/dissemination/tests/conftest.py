"""Fake provider servers on 127.0.0.1, and settings pointing each channel at its fake."""

from collections.abc import Iterator

import pytest

from sikim.dissemination.channels import registry
from sikim.dissemination.channels.webpush import generate_vapid_keys

from .fakes import FakeSmsGateway, FakeSmtpServer, FakeTelegramServer, FakeWhatsAppServer
from .fakes.webpush import FakePushService

# Short, so a fake that holds the connection ("timeout") fails the call quickly.
CLIENT_TIMEOUT = 0.5


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
