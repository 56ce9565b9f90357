from dataclasses import replace

import pytest

from sikim.dissemination.channels.base import (
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    TemporaryChannelError,
)
from sikim.dissemination.channels.email import EmailChannel

MESSAGE = OutgoingMessage(
    address="warga@example.test",
    subject="Jadwal posyandu",
    text="Posyandu Melati buka Sabtu pukul 08.00.",
    html="<p>Posyandu <strong>Melati</strong> buka Sabtu pukul 08.00.</p>",
    link="https://sikim.test/b/abc123",
)


def test_it_sends_html_and_text_through_smtp(fake_smtp):
    result = EmailChannel().send(MESSAGE)

    [mail] = fake_smtp.messages
    assert mail.mail_from == "noreply@sikim.test"
    assert mail.rcpt_tos == ("warga@example.test",)
    assert mail.message["Subject"] == "Jadwal posyandu"
    assert mail.body("plain").strip() == "Posyandu Melati buka Sabtu pukul 08.00.\n\nhttps://sikim.test/b/abc123"
    assert "<strong>Melati</strong>" in mail.body("html")
    assert result.provider_id
    assert mail.message["Message-ID"].strip("<>") == result.provider_id


def test_it_keeps_one_smtp_session_for_many_messages(fake_smtp):
    channel = EmailChannel()
    ids = {channel.send(MESSAGE).provider_id for _ in range(5)}
    assert len(ids) == 5
    assert len(fake_smtp.messages) == 5


def test_a_refused_recipient_is_permanent(fake_smtp):
    fake_smtp.refuse("warga@example.test")
    with pytest.raises(PermanentChannelError, match="550"):
        EmailChannel().send(MESSAGE)


def test_a_4xx_is_temporary_and_the_next_attempt_goes_through(fake_smtp):
    fake_smtp.fail_data("451 4.3.0 Try again later")
    channel = EmailChannel()
    with pytest.raises(TemporaryChannelError, match="451"):
        channel.send(MESSAGE)
    channel.send(MESSAGE)
    assert len(fake_smtp.messages) == 1


def test_a_timeout_is_temporary(fake_smtp, short_client_timeout):
    fake_smtp.fail_data("timeout")
    channel = EmailChannel()
    with pytest.raises(TemporaryChannelError):
        channel.send(MESSAGE)
    channel.send(MESSAGE)
    assert len(fake_smtp.messages) == 1


def test_an_unreachable_server_is_temporary(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 0.5},
        }
    }
    with pytest.raises(TemporaryChannelError):
        EmailChannel().send(MESSAGE)


def test_without_the_mailer_it_is_switched_off(settings):
    settings.SIKIM_EMAIL_MAILER = "bulletins"
    channel = EmailChannel()
    assert not channel.is_configured()
    with pytest.raises(ChannelNotConfigured):
        channel.send(MESSAGE)


def test_non_ascii_subject_and_body_arrive_intact(fake_smtp):
    EmailChannel().send(
        OutgoingMessage(
            address="warga@example.test",
            subject="Kabar KIM Guntung Paikat — “gotong royong”",
            text="Salam dari Pak Đức & Bu Siti ✓",
            html="<p>Salam dari Pak Đức &amp; Bu Siti ✓</p>",
        )
    )
    [mail] = fake_smtp.messages
    assert mail.message["Subject"] == "Kabar KIM Guntung Paikat — “gotong royong”"
    assert mail.body("plain").strip() == "Salam dari Pak Đức & Bu Siti ✓"
    assert "Đức &amp; Bu Siti ✓" in mail.body("html")


def test_a_given_message_id_and_one_click_unsubscribe_headers(fake_smtp):
    message = replace(
        MESSAGE,
        options={
            "message_id": "<delivery-7.3@sikim.example.id>",
            "list_unsubscribe": "https://sikim.example.id/diseminasi/berhenti/abc/",
        },
    )
    channel = EmailChannel()
    result = channel.send(message)
    channel.send(message)  # a resend after a lost outcome: the same mail, recognisably
    first, second = fake_smtp.messages
    assert first.message["Message-ID"] == "<delivery-7.3@sikim.example.id>"
    assert result.provider_id == "delivery-7.3@sikim.example.id"
    assert first.message["List-Unsubscribe"] == "<https://sikim.example.id/diseminasi/berhenti/abc/>"
    assert first.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert fake_smtp.message_ids == ["<delivery-7.3@sikim.example.id>"] * 2
    assert fake_smtp.unique_message_ids == {"<delivery-7.3@sikim.example.id>"}


def test_without_options_a_fresh_message_id_and_no_unsubscribe_headers(fake_smtp):
    channel = EmailChannel()
    channel.send(MESSAGE)
    channel.send(MESSAGE)
    assert len(fake_smtp.unique_message_ids) == 2
    assert fake_smtp.messages[0].message["List-Unsubscribe"] is None
