"""The fakes themselves speak the real protocols: checked with plain stdlib clients."""

import http.client
import json
import smtplib
from email.message import EmailMessage

import pytest

from .fakes import Failure
from .fakes import telegram as tg
from .fakes import whatsapp as wa


def post(url_port: int, path: str, payload: dict, headers: dict | None = None, timeout: float = 5):
    conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=timeout)
    conn.request(
        "POST", path, body=json.dumps(payload), headers={"Content-Type": "application/json", **(headers or {})}
    )
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_fake_smtp_receives_a_message_through_smtplib(fake_smtp):
    message = EmailMessage()
    message["From"] = "a@example.test"
    message["To"] = "b@example.test"
    message["Subject"] = "Halo"
    message.set_content("line one\n.line starting with a dot\n")
    with smtplib.SMTP("127.0.0.1", fake_smtp.port, timeout=5) as client:
        client.send_message(message)

    [mail] = fake_smtp.messages
    assert mail.mail_from == "a@example.test"
    assert mail.rcpt_tos == ("b@example.test",)
    assert mail.message["Subject"] == "Halo"
    assert ".line starting with a dot" in mail.body("plain")


def test_fake_smtp_refuses_a_recipient(fake_smtp):
    fake_smtp.refuse("gone@example.test")
    with smtplib.SMTP("127.0.0.1", fake_smtp.port, timeout=5) as client, pytest.raises(smtplib.SMTPRecipientsRefused):
        client.sendmail("a@example.test", ["gone@example.test"], b"Subject: x\r\n\r\nbody\r\n")
    assert fake_smtp.messages == []


def test_fake_telegram_answers_like_the_bot_api(fake_telegram):
    path = f"/bot{fake_telegram.token}/sendMessage"
    status, _, body = post(fake_telegram.port, path, {"chat_id": 42, "text": "Halo"})
    assert status == 200
    assert body["ok"] is True
    assert body["result"]["message_id"] == 1
    assert body["result"]["chat"]["id"] == 42

    status, _, body = post(fake_telegram.port, "/botWRONG/sendMessage", {"chat_id": 42, "text": "Halo"})
    assert (status, body["ok"], body["error_code"]) == (401, False, 401)

    fake_telegram.fail_next(tg.rate_limit(3), times=2)
    for _ in range(2):
        status, _, body = post(fake_telegram.port, path, {"chat_id": 42, "text": "Halo"})
        assert status == 429
        assert body["parameters"] == {"retry_after": 3}
    assert post(fake_telegram.port, path, {"chat_id": 42, "text": "Halo"})[0] == 200

    fake_telegram.fail_address("7", tg.BLOCKED)
    status, _, body = post(fake_telegram.port, path, {"chat_id": 7, "text": "Halo"})
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    assert len(fake_telegram.received) == 2
    assert len(fake_telegram.failed) == 4


def test_fake_whatsapp_answers_like_the_cloud_api(fake_whatsapp):
    path = f"/v21.0/{fake_whatsapp.phone_number_id}/messages"
    auth = {"Authorization": f"Bearer {fake_whatsapp.token}"}
    payload = {"messaging_product": "whatsapp", "to": "6281234567890", "type": "template", "template": {"name": "t"}}
    status, _, body = post(fake_whatsapp.port, path, payload, auth)
    assert status == 200
    assert body["messaging_product"] == "whatsapp"
    assert body["contacts"] == [{"input": "6281234567890", "wa_id": "6281234567890"}]
    assert body["messages"][0]["id"].startswith("wamid.")

    status, _, body = post(fake_whatsapp.port, path, payload, {"Authorization": "Bearer nope"})
    assert (status, body["error"]["code"]) == (401, 190)

    fake_whatsapp.fail_next(wa.RE_ENGAGEMENT)
    status, _, body = post(fake_whatsapp.port, path, payload, auth)
    assert (status, body["error"]["code"]) == (400, 131047)
    assert "24 hours" in body["error"]["error_data"]["details"]


def test_fake_sms_gateway_needs_its_token_and_says_retry_after(fake_sms):
    auth = {"Authorization": f"Bearer {fake_sms.token}"}
    status, _, body = post(fake_sms.port, "/messages", {"to": "+6281234567890", "text": "Halo"}, auth)
    assert status == 202
    assert body["id"] == "sms-00000001"
    assert post(fake_sms.port, "/messages", {"to": "+62812", "text": "x"})[0] == 401

    fake_sms.fail_next(Failure("rate_limit", retry_after=7))
    status, headers, _ = post(fake_sms.port, "/messages", {"to": "+6281234567890", "text": "Halo"}, auth)
    assert (status, headers["Retry-After"]) == (429, "7")


def test_a_held_connection_times_the_client_out_and_stop_releases_it(fake_sms):
    fake_sms.fail_next(Failure("timeout"))
    with pytest.raises(TimeoutError):
        post(fake_sms.port, "/messages", {"to": "+6281234567890", "text": "Halo"}, timeout=0.2)
    assert len(fake_sms.failed) == 1
