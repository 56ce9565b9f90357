import pytest

from sikim.dissemination.channels.base import (
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.channels.whatsapp import WhatsAppChannel

from .fakes import Failure
from .fakes import whatsapp as wa

MESSAGE = OutgoingMessage(
    address="+6281234567890",
    subject="Jadwal posyandu",
    text="Posyandu Melati buka\n\nSabtu pukul 08.00.",
    link="https://sikim.test/b/abc123",
)


def test_it_sends_the_template_with_title_summary_and_link(fake_whatsapp):
    result = WhatsAppChannel().send(MESSAGE)

    [request] = fake_whatsapp.received
    assert request.path == f"/v21.0/{fake_whatsapp.phone_number_id}/messages"
    assert request.headers["authorization"] == f"Bearer {fake_whatsapp.token}"
    payload = request.json()
    assert payload["messaging_product"] == "whatsapp"
    assert payload["to"] == "6281234567890"
    assert payload["type"] == "template"
    assert payload["template"]["name"] == "sikim_bulletin"
    assert payload["template"]["language"] == {"code": "id"}
    [body] = payload["template"]["components"]
    assert body["type"] == "body"
    assert [p["text"] for p in body["parameters"]] == [
        "Jadwal posyandu",
        "Posyandu Melati buka Sabtu pukul 08.00.",  # no new lines in template parameters
        "https://sikim.test/b/abc123",
    ]
    assert result.provider_id.startswith("wamid.")


def test_template_name_and_language_come_from_options_or_settings(fake_whatsapp, settings):
    settings.SIKIM_WHATSAPP_TEMPLATE = "kabar_kim"
    settings.SIKIM_WHATSAPP_TEMPLATE_LANGUAGE = "en"
    channel = WhatsAppChannel()
    channel.send(MESSAGE)
    channel.send(
        OutgoingMessage(
            address="+628111",
            subject="s",
            text="t",
            options={"whatsapp_template": "darurat", "whatsapp_language": "id"},
        )
    )
    first, second = (r.json()["template"] for r in fake_whatsapp.received)
    assert (first["name"], first["language"]["code"]) == ("kabar_kim", "en")
    assert (second["name"], second["language"]["code"]) == ("darurat", "id")


def test_a_reply_to_a_message_is_a_text_quoting_it(fake_whatsapp):
    reply = OutgoingMessage(
        address="+6285212345678",
        subject="Aspirasi ASP-2026-ABC123 diterima",
        text="SIKIM: aspirasi Anda diterima.",
        link="https://sikim.test/aspirasi/lacak/ASP-2026-ABC123/?k=rahasia",
        options={"whatsapp_reply_to": "wamid.HBgM001"},
    )
    assert WhatsAppChannel().send(reply).provider_id.startswith("wamid.")
    [request] = fake_whatsapp.received
    payload = request.json()
    assert (payload["type"], payload["to"], payload["context"]) == (
        "text",
        "6285212345678",
        {"message_id": "wamid.HBgM001"},
    )
    assert payload["text"] == {
        "body": "Aspirasi ASP-2026-ABC123 diterima\n\nSIKIM: aspirasi Anda diterima.\n"
        "https://sikim.test/aspirasi/lacak/ASP-2026-ABC123/?k=rahasia",
        "preview_url": False,
    }


def test_a_long_reply_is_cut_to_4096_characters_keeping_the_link(fake_whatsapp):
    link = "https://sikim.test/aspirasi/lacak/ASP-2026-ABC123/?k=rahasia"
    reply = OutgoingMessage(
        address="+628111", subject="s", text="kata " * 2000, link=link, options={"whatsapp_reply_to": "wamid.X"}
    )
    WhatsAppChannel().send(reply)  # the fake refuses a body over 4,096 characters with (100)
    body = fake_whatsapp.received[0].json()["text"]["body"]
    assert len(body) <= 4096 and body.endswith("…\n" + link)


def test_a_reply_after_the_24_hour_window_is_refused_for_good(fake_whatsapp):
    fake_whatsapp.fail_next(wa.RE_ENGAGEMENT)
    reply = OutgoingMessage(address="+628111", subject="s", text="t", options={"whatsapp_reply_to": "wamid.X"})
    with pytest.raises(PermanentChannelError, match="131047"):
        WhatsAppChannel().send(reply)


@pytest.mark.parametrize("failure", [wa.RE_ENGAGEMENT, wa.TEMPLATE_MISSING, wa.INVALID_RECIPIENT, wa.TOKEN_EXPIRED])
def test_refusals_are_permanent_with_the_graph_error_code(fake_whatsapp, failure):
    fake_whatsapp.fail_next(failure)
    with pytest.raises(PermanentChannelError, match=rf"\({failure.code}\)"):
        WhatsAppChannel().send(MESSAGE)


def test_rate_limit_130429_is_rate_limited(fake_whatsapp):
    fake_whatsapp.fail_next(wa.rate_limit(retry_after=4))
    with pytest.raises(RateLimited, match="130429") as caught:
        WhatsAppChannel().send(MESSAGE)
    assert caught.value.retry_after == 4


def test_pair_rate_limit_in_a_400_is_rate_limited(fake_whatsapp):
    fake_whatsapp.fail_next(wa.graph_error(131056, "(Business Account, Consumer Account) pair rate limit hit"))
    with pytest.raises(RateLimited):
        WhatsAppChannel().send(MESSAGE)


def test_500_and_timeout_are_temporary(fake_whatsapp, short_client_timeout):
    fake_whatsapp.fail_next(Failure("server_error"))
    fake_whatsapp.fail_next(Failure("timeout"))
    channel = WhatsAppChannel()
    with pytest.raises(TemporaryChannelError, match="131000"):
        channel.send(MESSAGE)
    with pytest.raises(TemporaryChannelError):
        channel.send(MESSAGE)
    assert channel.send(MESSAGE).provider_id.startswith("wamid.")


def test_without_credentials_it_is_switched_off(settings):
    settings.SIKIM_WHATSAPP_TOKEN = "token"
    settings.SIKIM_WHATSAPP_PHONE_NUMBER_ID = ""
    channel = WhatsAppChannel()
    assert not channel.is_configured()
    with pytest.raises(ChannelNotConfigured):
        channel.send(MESSAGE)
