"""POST /diseminasi/webhook/sms/: delivery reports and STOP replies from the SMS gateway."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from sikim.audit.models import AuditEvent
from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.sending import deliveries_send
from sikim.kim.models import KimMember
from sikim.kim.tests.factories import KimFactory, KimMemberFactory

pytestmark = pytest.mark.django_db

SECRET = "sms-webhook-secret"
URL = "/diseminasi/webhook/sms/"
PHONE = "+6281299990000"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SIKIM_SMS_WEBHOOK_SECRET = SECRET


def post(client, payload, token: str | None = SECRET):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"X-Sikim-Token": token} if token is not None else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


@pytest.fixture
def sent_sms(ketua_guntung_paikat, kim_guntung_paikat) -> Delivery:
    KimMemberFactory(kim=kim_guntung_paikat, phone=PHONE, consent_sms=True, email="")
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="t", body_markdown="b",
        kims=[kim_guntung_paikat],
    )  # fmt: skip
    fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
    delivery = Delivery.objects.get(channel="sms")
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, provider_id="sms-1")
    return delivery


def status(provider_id: str = "sms-1", value: str = "delivered", **extra) -> dict:
    return {"type": "status", "id": provider_id, "status": value, **extra}


def test_url_name():
    assert reverse("dissemination:webhook_sms") == URL


def test_delivery_report_is_applied_once(client, sent_sms):
    first = post(client, status())
    assert (first.status_code, first.json()) == (200, {"receipts": 1, "opted_out": 0})
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.DELIVERED
    delivered_at = sent_sms.delivered_at
    assert post(client, status()).json()["receipts"] == 0
    sent_sms.refresh_from_db()
    assert sent_sms.delivered_at == delivered_at


def test_a_report_never_moves_a_delivery_back(client, sent_sms):
    Delivery.objects.filter(pk=sent_sms.pk).update(status=DeliveryStatus.READ)  # the tracked link was opened
    assert post(client, status()).json()["receipts"] == 0
    assert post(client, status(value="failed", error="expired")).json()["receipts"] == 0
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.READ


def test_a_failure_report_before_delivery_fails_it(client, sent_sms):
    assert post(client, status(value="failed", error="absent subscriber")).json()["receipts"] == 1
    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.error) == (DeliveryStatus.FAILED, "absent subscriber")


def test_a_report_for_another_channel_s_id_changes_nothing(client, sent_sms):
    Delivery.objects.filter(pk=sent_sms.pk).update(channel="whatsapp")
    assert post(client, status()).json()["receipts"] == 0


@pytest.mark.parametrize("token", [None, "", "wrong", SECRET + "x", SECRET.upper()])
def test_a_missing_or_wrong_token_is_403_and_changes_nothing(client, sent_sms, token):
    response = post(client, status(), token=token)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.SENT


def test_without_a_configured_secret_nothing_is_trusted(client, settings, sent_sms):
    settings.SIKIM_SMS_WEBHOOK_SECRET = ""
    assert post(client, status(), token="").status_code == 403
    assert post(client, status(), token=SECRET).status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.SENT


@pytest.mark.parametrize("word", ["STOP", "berhenti", " Stop ", "UNREG"])
@pytest.mark.parametrize("sender", [PHONE, "081299990000", "6281299990000", "+62 812-9999-0000"])
def test_stop_withdraws_sms_consent_of_every_member_with_that_phone(client, kim_guntung_paikat, word, sender):
    a = KimMemberFactory(kim=kim_guntung_paikat, phone=PHONE, consent_sms=True, consent_whatsapp=True)
    b = KimMemberFactory(kim=KimFactory(), phone=PHONE, consent_sms=True)
    other = KimMemberFactory(kim=kim_guntung_paikat, consent_sms=True)
    response = post(client, {"type": "inbound", "from": sender, "text": word})
    assert (response.status_code, response.json()) == (200, {"receipts": 0, "opted_out": 2})
    a.refresh_from_db()
    b.refresh_from_db()
    other.refresh_from_db()
    assert (a.consent_sms, b.consent_sms, other.consent_sms) == (False, False, True)
    assert a.consent_whatsapp is True  # only the channel the reply came on
    events = AuditEvent.objects.filter(action="dissemination.consent_withdrawn")
    assert events.count() == 2
    assert {e.after["source"] for e in events} == {"sms_stop"}
    assert post(client, {"type": "inbound", "from": sender, "text": word}).json()["opted_out"] == 0  # idempotent


def test_another_reply_changes_nothing(client, kim_guntung_paikat):
    person = KimMemberFactory(kim=kim_guntung_paikat, phone=PHONE, consent_sms=True)
    response = post(client, {"type": "inbound", "from": PHONE, "text": "Terima kasih, stop banjirnya kapan?"})
    assert response.json() == {"receipts": 0, "opted_out": 0}
    person.refresh_from_db()
    assert person.consent_sms is True


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"",
        b"\xff\xfe",
        b"[1, 2]",
        b"null",
        b'"STOP"',
        {},
        {"type": "receipt", "id": "sms-1", "status": "delivered"},
        {"type": 1},
        {"type": "status", "status": "delivered"},
        {"type": "status", "id": 7, "status": "delivered"},
        {"type": "status", "id": "", "status": "delivered"},
        {"type": "status", "id": "sms-1", "status": "read"},
        {"type": "status", "id": "sms-1", "status": ["delivered"]},
        {"type": "status", "id": "sms-1", "status": "failed", "error": {"code": 1}},
        {"type": "status", "id": "x" * 201, "status": "delivered"},
        {"type": "inbound", "text": "STOP"},
        {"type": "inbound", "from": "KOMINFO", "text": "STOP"},
        {"type": "inbound", "from": 6281299990000, "text": "STOP"},
        {"type": "inbound", "from": PHONE, "text": None},
        {"type": "inbound", "from": PHONE, "text": ["STOP"]},
    ],
)
def test_malformed_bodies_are_400_in_the_json_error_format_and_change_nothing(client, sent_sms, payload):
    response = post(client, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_request" and body["message"] and body["details"] == []
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.SENT
    assert not KimMember.objects.filter(phone=PHONE, consent_sms=False).exists()


def test_only_post(client):
    assert client.get(URL, headers={"X-Sikim-Token": SECRET}).status_code == 405
    assert client.put(URL, b"{}", headers={"X-Sikim-Token": SECRET}).status_code == 405


def test_csrf_exempt_like_the_other_webhooks(sent_sms):
    response = post(Client(enforce_csrf_checks=True), status())
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_round_trip_through_the_fake_gateway(live_server, fake_sms, settings, ketua_guntung_paikat, kim_guntung_paikat):
    """Send through the real SMS channel; the gateway then posts its report and a STOP reply over HTTP."""
    person = KimMemberFactory(kim=kim_guntung_paikat, phone=PHONE, consent_sms=True, email="")
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="Posyandu", body_markdown="Sabtu.",
        kims=[kim_guntung_paikat],
    )  # fmt: skip
    fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
    delivery = Delivery.objects.get(bulletin=bulletin, channel="sms")
    assert deliveries_send(delivery_ids=[delivery.pk]).sent == 1
    [sms] = fake_sms.handed_to_phones
    assert sms.to == PHONE

    fake_sms.report_to(live_server.url + URL, SECRET)
    answer = fake_sms.post_status(sms.id, "delivered")
    assert (answer.status, answer.body) == (200, {"receipts": 1, "opted_out": 0})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED

    assert fake_sms.post_inbound("0812-9999-0000", "Berhenti").body == {"receipts": 0, "opted_out": 1}
    person.refresh_from_db()
    assert person.consent_sms is False

    assert fake_sms.post_report(b"{oops").status == 400
    fake_sms.report_to(live_server.url + URL, "not-the-secret")
    assert fake_sms.post_status(sms.id, "failed").status == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
