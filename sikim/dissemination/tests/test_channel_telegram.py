import pytest

from sikim.dissemination.channels.base import (
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.channels.telegram import MAX_TEXT, TelegramChannel

from .fakes import Failure, wait_until
from .fakes import telegram as tg

MESSAGE = OutgoingMessage(
    address="123456789",
    subject="Jadwal posyandu",
    text="Posyandu Melati buka Sabtu pukul 08.00.",
    link="https://sikim.test/b/abc123",
)


def test_it_sends_the_text_and_link_to_the_chat(fake_telegram):
    result = TelegramChannel().send(MESSAGE)

    [request] = fake_telegram.received
    payload = request.json()
    assert request.path == f"/bot{fake_telegram.token}/sendMessage"
    assert payload["chat_id"] == "123456789"
    assert payload["text"] == "Posyandu Melati buka Sabtu pukul 08.00.\n\nhttps://sikim.test/b/abc123"
    assert payload["link_preview_options"] == {"is_disabled": True}  # a preview would count as a read
    assert result.provider_id == "1"


def test_it_reuses_one_connection_for_many_messages(fake_telegram):
    channel = TelegramChannel()
    ids = [channel.send(MESSAGE).provider_id for _ in range(20)]
    assert ids == [str(n) for n in range(1, 21)]
    assert len(fake_telegram.received) == 20


def test_it_reconnects_when_the_server_closed_the_idle_connection(fake_telegram):
    channel = TelegramChannel()
    channel.send(MESSAGE)
    assert fake_telegram.drop_connections() == 1
    assert wait_until(lambda: fake_telegram.drop_connections() == 0)
    assert channel.send(MESSAGE).provider_id == "2"
    assert len(fake_telegram.received) == 2
    assert fake_telegram.failed == []


def test_a_long_text_is_cut_to_telegram_limit_keeping_the_link(fake_telegram):
    TelegramChannel().send(OutgoingMessage(address="1", subject="s", text="x" * 5000, link="https://sikim.test/b/1"))
    text = fake_telegram.received[0].json()["text"]
    assert len(text) == MAX_TEXT
    assert text.endswith("…\n\nhttps://sikim.test/b/1")


def test_429_is_rate_limited_with_telegram_retry_after(fake_telegram):
    fake_telegram.fail_next(tg.rate_limit(retry_after=3))
    with pytest.raises(RateLimited) as caught:
        TelegramChannel().send(MESSAGE)
    assert caught.value.retry_after == 3
    assert fake_telegram.received == []


@pytest.mark.parametrize(
    ("failure", "text"),
    [(tg.BLOCKED, "bot was blocked by the user"), (tg.CHAT_NOT_FOUND, "chat not found")],
)
def test_blocked_bot_and_unknown_chat_are_permanent(fake_telegram, failure, text):
    fake_telegram.fail_address("123456789", failure)
    with pytest.raises(PermanentChannelError, match=text):
        TelegramChannel().send(MESSAGE)


def test_a_wrong_token_is_permanent(fake_telegram, settings):
    settings.SIKIM_TELEGRAM_BOT_TOKEN = "999:WRONG"
    with pytest.raises(PermanentChannelError, match="Unauthorized"):
        TelegramChannel().send(MESSAGE)


def test_a_500_is_temporary_and_the_next_attempt_goes_through(fake_telegram):
    fake_telegram.fail_next(Failure("server_error"))
    channel = TelegramChannel()
    with pytest.raises(TemporaryChannelError):
        channel.send(MESSAGE)
    assert channel.send(MESSAGE).provider_id == "1"


def test_a_timeout_is_temporary_and_the_channel_recovers(fake_telegram, short_client_timeout):
    fake_telegram.fail_next(Failure("timeout"))
    channel = TelegramChannel()
    with pytest.raises(TemporaryChannelError, match="did not answer"):
        channel.send(MESSAGE)
    assert channel.send(MESSAGE).provider_id == "1"
    assert len(fake_telegram.received) == 1


def test_a_dropped_connection_is_temporary(fake_telegram):
    fake_telegram.fail_next(Failure("disconnect"))
    with pytest.raises(TemporaryChannelError):
        TelegramChannel().send(MESSAGE)


def test_an_unreachable_server_is_temporary(settings):
    settings.SIKIM_TELEGRAM_BOT_TOKEN = "1:x"
    settings.SIKIM_TELEGRAM_API_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(TemporaryChannelError):
        TelegramChannel().send(MESSAGE)


def test_without_a_token_it_is_switched_off(settings):
    settings.SIKIM_TELEGRAM_BOT_TOKEN = ""
    channel = TelegramChannel()
    assert not channel.is_configured()
    with pytest.raises(ChannelNotConfigured):
        channel.send(MESSAGE)
