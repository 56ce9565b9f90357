import threading
from dataclasses import replace

import pytest

from sikim.dissemination.channels.base import (
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.channels.sms import SmsChannel

from .fakes import Failure
from .fakes import sms as fake_sms_module

MESSAGE = OutgoingMessage(
    address="+6281234567890",
    subject="Jadwal posyandu",
    text="Posyandu Melati buka\nSabtu pukul 08.00.",
    link="https://sikim.test/b/abc123",
)


def test_it_posts_one_line_text_with_link_and_bearer_token(fake_sms):
    result = SmsChannel().send(MESSAGE)

    [request] = fake_sms.received
    assert request.path == "/messages"
    assert request.headers["authorization"] == f"Bearer {fake_sms.token}"
    assert request.json() == {
        "to": "+6281234567890",
        "text": "Posyandu Melati buka Sabtu pukul 08.00. https://sikim.test/b/abc123",
    }
    assert result.provider_id == "sms-00000001"
    assert result.segments == 1


def test_it_sends_the_sender_id_when_set(fake_sms, settings):
    settings.SIKIM_SMS_SENDER_ID = "KOMINFO"
    SmsChannel().send(MESSAGE)
    assert fake_sms.received[0].json()["sender"] == "KOMINFO"


def test_a_long_text_is_cut_to_max_segments_and_counted(fake_sms, settings):
    settings.SIKIM_SMS_MAX_SEGMENTS = 2
    result = SmsChannel().send(
        OutgoingMessage(address="+6281234567890", subject="", text="kata " * 200, link="https://s.test/b/1")
    )
    text = fake_sms.received[0].json()["text"]
    assert text.endswith("... https://s.test/b/1")
    assert len(text) <= 306
    assert result.segments == 2


def test_an_emoji_makes_it_ucs2(fake_sms):
    result = SmsChannel().send(OutgoingMessage(address="+6281234567890", subject="", text="Banjir 🌊 " + "a" * 70))
    assert result.segments == 2


def test_429_is_rate_limited_with_retry_after(fake_sms):
    fake_sms.fail_next(fake_sms_module.rate_limit(retry_after=2))
    with pytest.raises(RateLimited) as caught:
        SmsChannel().send(MESSAGE)
    assert caught.value.retry_after == 2


def test_500_and_timeout_are_temporary_then_it_recovers(fake_sms, short_client_timeout):
    fake_sms.fail_next(Failure("server_error"))
    fake_sms.fail_next(Failure("timeout"))
    channel = SmsChannel()
    with pytest.raises(TemporaryChannelError, match="HTTP 500"):
        channel.send(MESSAGE)
    with pytest.raises(TemporaryChannelError, match="did not answer"):
        channel.send(MESSAGE)
    assert channel.send(MESSAGE).provider_id == "sms-00000001"
    assert len(fake_sms.received) == 1
    assert len(fake_sms.failed) == 2


def test_an_invalid_number_is_permanent(fake_sms):
    fake_sms.fail_address("+6281234567890", fake_sms_module.INVALID_NUMBER)
    with pytest.raises(PermanentChannelError, match="422"):
        SmsChannel().send(MESSAGE)


def test_a_wrong_token_is_permanent(fake_sms, settings):
    settings.SIKIM_SMS_GATEWAY_TOKEN = "wrong"
    with pytest.raises(PermanentChannelError, match="401"):
        SmsChannel().send(MESSAGE)


def test_without_gateway_it_is_switched_off(settings):
    settings.SIKIM_SMS_GATEWAY_URL = ""
    settings.SIKIM_SMS_GATEWAY_TOKEN = "x"
    channel = SmsChannel()
    assert not channel.is_configured()
    with pytest.raises(ChannelNotConfigured):
        channel.send(MESSAGE)


def test_one_channel_instance_is_safe_to_share_between_threads(fake_sms):
    channel = SmsChannel()
    results: list[str] = []
    lock = threading.Lock()

    def send_many(worker: int) -> None:
        for n in range(25):
            result = channel.send(OutgoingMessage(address=f"+62812{worker:02d}{n:06d}", subject="", text="Halo"))
            with lock:
                results.append(result.provider_id)

    threads = [threading.Thread(target=send_many, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 100
    assert sorted(r.json()["to"] for r in fake_sms.received) == sorted(
        f"+62812{worker:02d}{n:06d}" for worker in range(4) for n in range(25)
    )


def test_the_reference_makes_a_resend_reach_the_phone_once(fake_sms):
    """The gateway contract: a reference already accepted is answered with the first id, not sent."""
    message = replace(MESSAGE, options={"reference": "sikim-42"})
    channel = SmsChannel()
    first = channel.send(message)
    fake_sms.drop_connections()  # as after a lost answer: the retry comes on a new connection
    second = channel.send(message)
    assert first.provider_id == second.provider_id
    assert [r.json()["reference"] for r in fake_sms.received] == ["sikim-42", "sikim-42"]
    assert fake_sms.request_count == 2
    assert [(sms.to, sms.reference) for sms in fake_sms.handed_to_phones] == [("+6281234567890", "sikim-42")]
    assert fake_sms.duplicate_requests == 1
    channel.send(replace(MESSAGE, options={"reference": "sikim-43"}))
    assert len(fake_sms.handed_to_phones) == 2


def test_without_a_reference_every_request_is_a_new_sms(fake_sms):
    channel = SmsChannel()
    assert channel.send(MESSAGE).provider_id != channel.send(MESSAGE).provider_id
    assert "reference" not in fake_sms.received[0].json()
    assert len(fake_sms.handed_to_phones) == 2


def test_the_stop_hint_follows_the_link_when_it_costs_no_extra_part(fake_sms):
    SmsChannel().send(replace(MESSAGE, options={"sms_hint": "Balas STOP untuk berhenti"}))
    assert fake_sms.received[0].json()["text"].endswith("https://sikim.test/b/abc123 Balas STOP untuk berhenti")


def test_the_stop_hint_never_pushes_the_link_out(fake_sms, settings):
    settings.SIKIM_SMS_MAX_SEGMENTS = 1
    long = replace(MESSAGE, text="kata " * 40, options={"sms_hint": "Balas STOP untuk berhenti"})
    SmsChannel().send(long)
    text = fake_sms.received[0].json()["text"]
    assert text.endswith("... https://sikim.test/b/abc123")
    assert len(text) <= 160
