"""Aspirations by WhatsApp: the signed Cloud API webhook carries ASPIRASI…; the receipt is a text
quoting the citizen's message (inside WhatsApp's 24-hour window), later notices are templates."""

# ruff: noqa: F811 — the fake-server fixture is imported, then taken as a test argument by name

import hashlib
import hmac
import json

import pytest

from sikim.aspirations.models import Aspiration, Category, IntakeChannel
from sikim.dissemination.tests.conftest import (  # noqa: F401 (fixtures; the tests take them by name: F811 below)
    fake_sms,
    fake_whatsapp,
)

pytestmark = pytest.mark.django_db

URL = "/diseminasi/webhook/whatsapp/"
SECRET = "whatsapp-app-secret"  # what the fake_whatsapp fixture sets
GUNTUNG_PAIKAT = "63.72.05.1004"


def webhook(phone: str, text: str, wamid: str = "wamid.HBgM001") -> bytes:
    message = {
        "from": phone.lstrip("+"),
        "id": wamid,
        "timestamp": "1763900000",
        "type": "text",
        "text": {"body": text},
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": "1234567890"},
        "contacts": [{"profile": {"name": "Siti"}, "wa_id": phone.lstrip("+")}],
        "messages": [message],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "W", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(payload).encode()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(body: bytes, signature: str | None = "valid"):
        headers = {}
        if signature == "valid":
            headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, body, content_type="application/json", headers=headers)

    return _post


def reply_texts(fake_whatsapp) -> list[tuple[str, str, str]]:  # noqa: F811 (the fixture's value)
    """(to, quoted wamid, body) of every text message the fake accepted."""
    found = []
    for request in fake_whatsapp.received:
        payload = request.json()
        assert payload["type"] == "text", payload  # a reply inside the window, never a template
        assert payload["text"]["preview_url"] is False  # Meta never fetches the secret link
        found.append((payload["to"], payload["context"]["message_id"], payload["text"]["body"]))
    return found


def test_known_citizen_makes_an_aspiration_and_gets_the_ticket(
    post, fake_whatsapp, fake_sms, warga_guntung_paikat, kim_guntung_paikat
):
    response = post(webhook(warga_guntung_paikat.phone, "ASPIRASI air PDAM mati tiga hari di RT 2"))
    assert response.status_code == 200
    assert response.json()["aspirations"] == 1
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.source_ref, aspiration.region_id, aspiration.category) == (
        IntakeChannel.WHATSAPP,
        "wamid.HBgM001",
        GUNTUNG_PAIKAT,
        Category.AIR_LISTRIK,
    )
    assert aspiration.contact_phone == warga_guntung_paikat.phone
    assert aspiration.author is None  # a phone number is a contact, not a login
    ((to, quoted, text),) = reply_texts(fake_whatsapp)
    assert (to, quoted) == (warga_guntung_paikat.phone.lstrip("+"), "wamid.HBgM001")
    assert aspiration.code in text
    assert f"/aspirasi/lacak/{aspiration.code}/" in text
    # The WhatsApp reply is the only receipt: no SMS repeats it to the same number.
    assert fake_sms.handed_to_phones == []


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "md5=abc"])
def test_bad_signature_is_403_and_creates_nothing(post, fake_whatsapp, kim_guntung_paikat, signature):
    response = post(webhook("+6285212345678", f"ASPIRASI {GUNTUNG_PAIKAT} jalan rusak"), signature=signature)
    assert response.status_code == 403
    assert not Aspiration.objects.exists()
    assert not fake_whatsapp.received


def test_same_webhook_twice_makes_one_aspiration_and_one_reply(post, fake_whatsapp, kim_guntung_paikat):
    body = webhook("+6285212345678", f"ASPIRASI {GUNTUNG_PAIKAT} sampah menumpuk", wamid="wamid.TWICE")
    assert post(body).json()["aspirations"] == 1
    assert post(body).json()["aspirations"] == 0
    assert Aspiration.objects.count() == 1
    assert len(fake_whatsapp.received) == 1


def test_unknown_sender_without_village_gets_help(post, fake_whatsapp, kim_guntung_paikat):
    post(webhook("+6285212345678", "ASPIRASI jalan rusak"))
    post(webhook("+6285212345678", "ASPIRASI jalan rusak"))
    assert not Aspiration.objects.exists()
    ((to, _quoted, text),) = reply_texts(fake_whatsapp)
    assert to == "6285212345678"
    assert "ASPIRASI" in text


def test_too_long_text_is_refused_with_a_reason(post, fake_whatsapp, kim_guntung_paikat):
    post(webhook("+6285212345678", f"ASPIRASI {GUNTUNG_PAIKAT} jalan " + "x" * 20_000))
    assert not Aspiration.objects.exists()
    ((_to, _quoted, text),) = reply_texts(fake_whatsapp)
    assert "5.000" in text


def test_stop_and_chatter_are_not_aspirations(post, fake_whatsapp, kim_guntung_paikat):
    assert post(webhook("+6285212345678", "STOP")).json() == {"receipts": 0, "opted_out": 0}
    assert post(webhook("+6285212345678", "halo", wamid="wamid.2")).json() == {"receipts": 0, "opted_out": 0}
    assert not Aspiration.objects.exists()
