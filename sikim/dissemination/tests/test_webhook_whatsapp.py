import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from sikim.audit.models import AuditEvent
from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.kim.tests.factories import KimFactory, KimMemberFactory

pytestmark = pytest.mark.django_db

SECRET = "whatsapp-app-secret"
URL = "/diseminasi/webhook/whatsapp/"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SIKIM_WHATSAPP_APP_SECRET = SECRET
    settings.SIKIM_WHATSAPP_VERIFY_TOKEN = "verify-me"


def webhook(*, statuses=(), messages=()) -> bytes:
    value = {"messaging_product": "whatsapp", "statuses": list(statuses), "messages": list(messages)}
    payload = {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{"value": value}]}]}
    return json.dumps(payload).encode()


def post(client, body: bytes, signature: str | None = "valid"):
    headers = {}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post(URL, body, content_type="application/json", headers=headers)


def stop_message(phone: str, text: str = "STOP") -> dict:
    return {"from": phone.lstrip("+"), "id": "wamid.in", "type": "text", "text": {"body": text}}


@pytest.fixture
def sent_delivery(ketua_guntung_paikat, kim_guntung_paikat) -> Delivery:
    KimMemberFactory(kim=kim_guntung_paikat, consent_whatsapp=True, email="")
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat,
        publisher=kim_guntung_paikat,
        title="t",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
    delivery = Delivery.objects.get(channel="whatsapp")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, provider_id="wamid.1")
    return delivery


def test_url_name():
    assert reverse("dissemination:webhook_whatsapp") == URL


def test_verification_handshake(client):
    ok = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200
    assert ok.content == b"1158201444"
    bad = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"})
    assert bad.status_code == 403


def test_handshake_refused_without_configured_token(client, settings):
    settings.SIKIM_WHATSAPP_VERIFY_TOKEN = ""
    response = client.get(URL, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"})
    assert response.status_code == 403


def test_status_applied_once(client, sent_delivery):
    body = webhook(statuses=[{"id": "wamid.1", "status": "delivered", "timestamp": "1763900000"}])
    first = post(client, body)
    assert first.status_code == 200
    assert first.json()["receipts"] == 1
    sent_delivery.refresh_from_db()
    assert sent_delivery.status == DeliveryStatus.DELIVERED
    delivered_at = sent_delivery.delivered_at
    second = post(client, body)
    assert second.status_code == 200
    assert second.json()["receipts"] == 0
    sent_delivery.refresh_from_db()
    assert sent_delivery.delivered_at == delivered_at


@pytest.mark.parametrize("signature", [None, "sha256=deadbeef", "garbage"])
def test_bad_or_missing_signature_changes_nothing(client, sent_delivery, signature):
    body = webhook(statuses=[{"id": "wamid.1", "status": "read", "timestamp": "1763900000"}])
    assert post(client, body, signature=signature).status_code == 403
    sent_delivery.refresh_from_db()
    assert sent_delivery.status == DeliveryStatus.SENT


def test_no_app_secret_means_nothing_is_trusted(client, settings, sent_delivery):
    settings.SIKIM_WHATSAPP_APP_SECRET = ""
    body = webhook(statuses=[{"id": "wamid.1", "status": "read"}])
    assert post(client, body).status_code == 403


def test_malformed_body_with_valid_signature_is_200(client):
    response = post(client, b"not json")
    assert response.status_code == 200
    assert response.json() == {"receipts": 0, "opted_out": 0}


@pytest.mark.parametrize("word", ["STOP", "berhenti", " Stop "])
def test_stop_opts_out_every_member_with_that_phone(client, kim_guntung_paikat, word):
    phone = "+6281299990000"
    a = KimMemberFactory(kim=kim_guntung_paikat, phone=phone, consent_whatsapp=True, consent_sms=True)
    b = KimMemberFactory(kim=KimFactory(), phone=phone, consent_whatsapp=True)
    other = KimMemberFactory(kim=kim_guntung_paikat, consent_whatsapp=True)
    response = post(client, webhook(messages=[stop_message(phone, word)]))
    assert response.status_code == 200
    assert response.json()["opted_out"] == 2
    for m in (a, b, other):
        m.refresh_from_db()
    assert not a.consent_whatsapp and not b.consent_whatsapp
    assert a.consent_sms  # other channels untouched
    assert other.consent_whatsapp
    events = AuditEvent.objects.filter(action="dissemination.consent_withdrawn")
    assert {e.object_id for e in events} == {str(a.pk), str(b.pk)}
    assert all(e.after["source"] == "whatsapp_stop" for e in events)
    # Delivered twice: nothing more happens, nothing more is audited.
    assert post(client, webhook(messages=[stop_message(phone, word)])).json()["opted_out"] == 0
    assert AuditEvent.objects.filter(action="dissemination.consent_withdrawn").count() == 2


def test_other_text_changes_nothing(client, kim_guntung_paikat):
    m = KimMemberFactory(kim=kim_guntung_paikat, phone="+6281299990001", consent_whatsapp=True)
    post(client, webhook(messages=[stop_message(m.phone, "please stop sending me this")]))
    m.refresh_from_db()
    assert m.consent_whatsapp


def test_put_is_not_allowed(client):
    assert client.put(URL).status_code == 405
