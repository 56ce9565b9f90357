"""Aspirations by SMS: the gateway posts a reply to the SMS webhook; the receipt goes back by SMS."""

# ruff: noqa: F811 — the fake-server fixture is imported, then taken as a test argument by name

import json

import pytest
from django.core.cache import cache

from sikim.aspirations.models import Aspiration, Category, IntakeChannel, Visibility
from sikim.aspirations.selectors.author_key import author_key_for
from sikim.dissemination.tests.conftest import fake_sms  # noqa: F401 (fixture; the tests take it by name: F811 below)
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = pytest.mark.django_db

URL = "/diseminasi/webhook/sms/"
SECRET = "sms-webhook-secret"
GUNTUNG_PAIKAT = "63.72.05.1004"
STRANGER_PHONE = "+6285212345678"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SIKIM_SMS_WEBHOOK_SECRET = SECRET


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(payload, token=SECRET):
        headers = {"X-Sikim-Token": token} if token is not None else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)

    return _post


def inbound(phone: str, text: str, message_id: str = "gw-1") -> dict:
    return {"type": "inbound", "id": message_id, "from": phone, "text": text}


def test_known_member_village_from_profile(post, fake_sms, kim_guntung_paikat):
    member = KimMemberFactory(kim=kim_guntung_paikat, phone="+6281299990001", email="")
    response = post(inbound("0812-9999-0001", "ASPIRASI jalan Jalan depan SDN berlubang besar"))
    assert response.status_code == 200
    assert response.json()["aspirations"] == 1
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.source_ref, aspiration.region_id) == (
        IntakeChannel.SMS,
        "gw-1",
        GUNTUNG_PAIKAT,
    )
    assert aspiration.category == Category.INFRASTRUKTUR
    assert aspiration.visibility == Visibility.PUBLIC_ANONYMOUS
    assert (aspiration.contact_phone, aspiration.contact_name) == (member.phone, member.name)
    assert aspiration.author is None
    # One SMS back to the sender with the ticket code and the tracking link.
    sent = fake_sms.handed_to_phones
    assert [sms.to for sms in sent] == [member.phone]
    assert aspiration.code in sent[0].text
    assert f"/aspirasi/lacak/{aspiration.code}/" in sent[0].text
    # The sender has no account: the link is their secret one, to confirm, rate or reopen later.
    assert f"?k={author_key_for(aspiration)}" in sent[0].text


def test_unknown_sender_with_village_code(post, fake_sms, kim_guntung_paikat):
    post(inbound(STRANGER_PHONE, f"ADUAN {GUNTUNG_PAIKAT} RAHASIA sampah tidak diangkut dua minggu"))
    aspiration = Aspiration.objects.get()
    assert (aspiration.region_id, aspiration.category, aspiration.visibility) == (
        GUNTUNG_PAIKAT,
        Category.LINGKUNGAN,
        Visibility.CONFIDENTIAL,
    )
    assert [sms.to for sms in fake_sms.handed_to_phones] == [STRANGER_PHONE]
    assert aspiration.code in fake_sms.handed_to_phones[0].text


def test_same_webhook_twice_makes_one_aspiration_and_one_reply(post, fake_sms, kim_guntung_paikat):
    payload = inbound(STRANGER_PHONE, f"ASPIRASI {GUNTUNG_PAIKAT} lampu jalan mati", message_id="gw-77")
    assert post(payload).json()["aspirations"] == 1
    assert post(payload).json()["aspirations"] == 0
    assert Aspiration.objects.count() == 1
    assert len(fake_sms.handed_to_phones) == 1


def test_unknown_sender_without_village_gets_help(post, fake_sms, kim_guntung_paikat):
    response = post(inbound(STRANGER_PHONE, "ASPIRASI jalan rusak parah"))
    assert response.status_code == 200
    assert not Aspiration.objects.exists()
    (help_sms,) = fake_sms.handed_to_phones
    assert help_sms.to == STRANGER_PHONE
    assert "ASPIRASI" in help_sms.text
    # Delivered again, to another web process (its own cache): no second help text.
    cache.clear()
    post(inbound(STRANGER_PHONE, "ASPIRASI jalan rusak parah"))
    assert len(fake_sms.handed_to_phones) == 1


def test_unknown_village_code_is_said(post, fake_sms, kim_guntung_paikat):
    post(inbound(STRANGER_PHONE, "ASPIRASI 99.99.99.9999 jalan rusak"))
    assert not Aspiration.objects.exists()
    assert "99.99.99.9999" in fake_sms.handed_to_phones[0].text


def test_too_long_text_is_refused_with_a_reason(post, fake_sms, kim_guntung_paikat):
    post(inbound(STRANGER_PHONE, f"ASPIRASI {GUNTUNG_PAIKAT} jalan " + "x" * 20_000))
    assert not Aspiration.objects.exists()
    (reply,) = fake_sms.handed_to_phones
    assert "5.000" in reply.text


def test_other_replies_are_not_aspirations(post, fake_sms, kim_guntung_paikat):
    response = post(inbound(STRANGER_PHONE, "Terima kasih infonya"))
    assert response.json() == {"receipts": 0, "opted_out": 0}
    assert not Aspiration.objects.exists()
    assert not fake_sms.handed_to_phones


def test_without_gateway_id_the_same_text_is_one_aspiration(post, fake_sms, kim_guntung_paikat):
    payload = {"type": "inbound", "from": STRANGER_PHONE, "text": f"ASPIRASI {GUNTUNG_PAIKAT} pupuk langka"}
    post(payload)
    post(payload)
    assert Aspiration.objects.get().category == Category.PERTANIAN


def test_bad_token_creates_nothing(post, fake_sms, kim_guntung_paikat):
    response = post(inbound(STRANGER_PHONE, f"ASPIRASI {GUNTUNG_PAIKAT} jalan rusak"), token="wrong")
    assert response.status_code == 403
    assert not Aspiration.objects.exists()
    assert not fake_sms.handed_to_phones


def test_per_sender_hourly_limit(post, fake_sms, kim_guntung_paikat, settings):
    settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR = 1
    post(inbound(STRANGER_PHONE, f"ASPIRASI {GUNTUNG_PAIKAT} jalan rusak", message_id="gw-a"))
    post(inbound(STRANGER_PHONE, f"ASPIRASI {GUNTUNG_PAIKAT} jembatan putus", message_id="gw-b"))
    post(inbound("+6285299990000", f"ASPIRASI {GUNTUNG_PAIKAT} jembatan putus", message_id="gw-c"))
    assert sorted(Aspiration.objects.values_list("source_ref", flat=True)) == ["gw-a", "gw-c"]
    assert "hour" in fake_sms.handed_to_phones[1].text or "jam" in fake_sms.handed_to_phones[1].text
