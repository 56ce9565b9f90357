import threading

import pytest
from django.utils import translation

from sikim.dissemination.channels import registry
from sikim.dissemination.channels.base import ChannelNotConfigured, OutgoingMessage, RateLimited
from sikim.dissemination.channels.ratelimit import TokenBucket
from sikim.dissemination.channels.telegram import TelegramChannel

from .fakes import telegram as tg


@pytest.fixture
def nothing_configured(settings):
    settings.MAILERS = {}
    for name in ("SIKIM_TELEGRAM_BOT_TOKEN", "SIKIM_WHATSAPP_TOKEN", "SIKIM_SMS_GATEWAY_URL"):
        setattr(settings, name, "")
    yield
    registry.reset()


def test_without_credentials_channels_are_off_with_a_warning_not_a_crash(nothing_configured):
    assert registry.configured_channels() == []
    statuses = {s.name: s for s in registry.channel_status()}
    assert set(statuses) == {"email", "telegram", "whatsapp", "sms", "webpush"}
    assert not statuses["telegram"].configured
    assert "SIKIM_TELEGRAM_BOT_TOKEN" in statuses["telegram"].warning
    with pytest.raises(ChannelNotConfigured, match="SIKIM_SMS_GATEWAY_URL"):
        registry.get_channel("sms")
    with pytest.raises(ChannelNotConfigured):
        registry.get_channel("carrier-pigeon")


def test_configured_channels_follow_the_settings(nothing_configured, fake_telegram, fake_sms):
    assert registry.configured_channels() == ["telegram", "sms"]
    channel = registry.get_channel("telegram")
    assert isinstance(channel, TelegramChannel)
    assert registry.get_channel("telegram") is channel  # one instance (one connection) per process
    channel.send(OutgoingMessage(address="1", subject="", text="halo"))
    assert fake_telegram.sent_texts() == [("1", "halo")]


def test_a_console_mailer_is_on_but_warned_about(nothing_configured, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with translation.override("en"):
        [email] = [s for s in registry.channel_status() if s.name == "email"]
    assert email.configured
    assert "not delivered" in email.warning


def test_rate_limiter_uses_the_channel_rate(settings):
    settings.SIKIM_TELEGRAM_RATE_PER_SECOND = 7
    assert registry.rate_limiter("telegram").rate == 7
    assert registry.rate_limiter("telegram") is registry.rate_limiter("telegram")
    registry.reset()


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_token_bucket_spaces_out_a_burst():
    clock = FakeClock()
    bucket = TokenBucket(rate=10, burst=2, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == pytest.approx([0, 0, 0.1, 0.2])
    clock.now += 1.0  # refilled (capped at the burst)
    assert bucket.reserve() == 0


def test_token_bucket_acquire_sleeps_exactly_the_wait():
    clock = FakeClock()
    bucket = TokenBucket(rate=4, burst=1, clock=clock)
    slept: list[float] = []
    bucket.acquire(sleep=slept.append)
    bucket.acquire(sleep=slept.append)
    assert slept == [pytest.approx(0.25)]


def test_token_bucket_pauses_after_a_provider_rate_limit(fake_telegram):
    clock = FakeClock()
    bucket = TokenBucket(rate=100, clock=clock)
    fake_telegram.fail_next(tg.rate_limit(retry_after=3))
    with pytest.raises(RateLimited) as caught:
        TelegramChannel().send(OutgoingMessage(address="1", subject="", text="halo"))
    bucket.pause(caught.value.retry_after)
    assert bucket.reserve() == pytest.approx(3.0)
    clock.now += 3.0
    assert bucket.reserve() == pytest.approx(0.01)


def test_token_bucket_is_exact_under_threads():
    clock = FakeClock()
    bucket = TokenBucket(rate=1000, burst=1, clock=clock)
    waits: list[float] = []
    lock = threading.Lock()

    def take():
        for _ in range(250):
            wait = bucket.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 1,000 tokens at 1,000/s with a burst of one: the last caller waits 0.999 s.
    assert max(waits) == pytest.approx(0.999)
    assert len(waits) == 1000
