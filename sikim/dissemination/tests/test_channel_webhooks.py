import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from sikim.dissemination.channels.webhooks import (
    InboundText,
    TelegramBlocked,
    TelegramStart,
    WhatsAppStatus,
    WhatsAppStatusKind,
    parse_telegram_update,
    parse_whatsapp_webhook,
    telegram_secret_valid,
    whatsapp_signature_valid,
)

SECRET = "whatsapp-app-secret"


def signed(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def status_webhook(*statuses: dict, messages: tuple[dict, ...] = ()) -> dict:
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1234567890"},
        "statuses": list(statuses),
    }
    if messages:
        value["messages"] = list(messages)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"value": value, "field": "messages"}]}],
    }


def test_signature_of_the_raw_body_is_checked():
    body = json.dumps(status_webhook()).encode()
    assert whatsapp_signature_valid(body=body, header=signed(body), app_secret=SECRET)
    assert not whatsapp_signature_valid(body=body + b" ", header=signed(body), app_secret=SECRET)
    assert not whatsapp_signature_valid(body=body, header=signed(body, "other"), app_secret=SECRET)
    assert not whatsapp_signature_valid(body=body, header=signed(body)[7:], app_secret=SECRET)
    assert not whatsapp_signature_valid(body=body, header=None, app_secret=SECRET)
    # Without a configured secret nothing is trusted.
    assert not whatsapp_signature_valid(body=body, header=signed(body, ""), app_secret="")


def test_statuses_are_parsed_with_their_wamid_and_time():
    payload = status_webhook(
        {"id": "wamid.A", "status": "delivered", "timestamp": "1763900000", "recipient_id": "6281234567890"},
        {"id": "wamid.B", "status": "read", "timestamp": "1763900100", "recipient_id": "6281234567891"},
        {
            "id": "wamid.C",
            "status": "failed",
            "timestamp": "1763900200",
            "recipient_id": "6281234567892",
            "errors": [
                {
                    "code": 131026,
                    "title": "Message undeliverable",
                    "error_data": {"details": "Receiver is incapable of receiving this message"},
                }
            ],
        },
        {"id": "wamid.D", "status": "deleted", "timestamp": "1"},  # unknown status: skipped
        {"status": "sent"},  # no id: skipped
    )
    statuses, texts = parse_whatsapp_webhook(payload)
    assert texts == []
    assert statuses == [
        WhatsAppStatus(
            "wamid.A", WhatsAppStatusKind.DELIVERED, "6281234567890", datetime.fromtimestamp(1763900000, UTC)
        ),
        WhatsAppStatus("wamid.B", WhatsAppStatusKind.READ, "6281234567891", datetime.fromtimestamp(1763900100, UTC)),
        WhatsAppStatus(
            "wamid.C",
            WhatsAppStatusKind.FAILED,
            "6281234567892",
            datetime.fromtimestamp(1763900200, UTC),
            error_code=131026,
            error="Message undeliverable — Receiver is incapable of receiving this message",
        ),
    ]


def test_a_stop_reply_on_whatsapp_is_an_opt_out():
    payload = status_webhook(
        messages=(
            {"from": "6281234567890", "id": "wamid.in1", "timestamp": "1", "type": "text", "text": {"body": " Stop "}},
            {
                "from": "6281234567891",
                "id": "wamid.in2",
                "timestamp": "1",
                "type": "text",
                "text": {"body": "terima kasih"},
            },
            {"from": "6281234567892", "id": "wamid.in3", "timestamp": "1", "type": "image", "image": {}},
        )
    )
    _, texts = parse_whatsapp_webhook(payload)
    assert texts == [
        InboundText("whatsapp", "+6281234567890", " Stop ", True),
        InboundText("whatsapp", "+6281234567891", "terima kasih", False),
    ]


@pytest.mark.parametrize(
    "payload", [None, [], {"object": "page"}, {"object": "whatsapp_business_account", "entry": [{}]}]
)
def test_odd_payloads_give_nothing(payload):
    assert parse_whatsapp_webhook(payload) == ([], [])


def telegram_message(text, chat_type="private"):
    return {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "from": {"id": 777, "is_bot": False, "first_name": "Siti", "username": "siti_bjb"},
            "chat": {"id": 777, "type": chat_type},
            "date": 1763900000,
            "text": text,
        },
    }


def test_start_with_a_token_links_the_chat():
    assert parse_telegram_update(telegram_message("/start k9Xy-_token")) == TelegramStart(
        chat_id="777", token="k9Xy-_token", username="siti_bjb", first_name="Siti"
    )
    assert parse_telegram_update(telegram_message("/start")).token == ""
    assert parse_telegram_update(telegram_message("/start@SikimBot abc")).token == "abc"


@pytest.mark.parametrize("text", ["STOP", "stop", "/stop", "Berhenti"])
def test_stop_is_an_opt_out(text):
    assert parse_telegram_update(telegram_message(text)) == InboundText("telegram", "777", text, True)


def test_other_text_is_not_an_opt_out():
    assert parse_telegram_update(telegram_message("jangan stop dulu")).is_stop is False


def test_blocking_the_bot_is_reported():
    update = {
        "update_id": 2,
        "my_chat_member": {
            "chat": {"id": 777, "type": "private"},
            "from": {"id": 777},
            "date": 1,
            "old_chat_member": {"status": "member", "user": {"id": 1}},
            "new_chat_member": {"status": "kicked", "user": {"id": 1}, "until_date": 0},
        },
    }
    assert parse_telegram_update(update) == TelegramBlocked(chat_id="777")


@pytest.mark.parametrize(
    "update",
    [None, {}, telegram_message("/start abc", chat_type="group"), {"update_id": 3, "edited_message": {}}],
)
def test_updates_that_mean_nothing(update):
    assert parse_telegram_update(update) is None


def test_telegram_secret_header():
    assert telegram_secret_valid(header="s3cret", secret="s3cret")
    assert not telegram_secret_valid(header="wrong", secret="s3cret")
    assert not telegram_secret_valid(header=None, secret="s3cret")
    assert not telegram_secret_valid(header="", secret="")
