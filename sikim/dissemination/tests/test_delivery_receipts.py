from datetime import timedelta

import pytest
from django.utils import timezone

from sikim.dissemination.models import Delivery, DeliveryStatus, EarlyReceipt, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.receipts import (
    EARLY_RECEIPT_KEPT,
    delivery_record_receipt,
    early_receipts_apply,
)
from sikim.dissemination.tests.bulletin_fixtures import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_delivery(ketua_guntung_paikat, kim_guntung_paikat) -> Delivery:
    member(kim_guntung_paikat, mail=False, consent_whatsapp=True)
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat,
        publisher=kim_guntung_paikat,
        title="t",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, provider_id="wamid.1")
    return delivery


def test_receipts_only_move_forward(sent_delivery):
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.1", status="read") == 1
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.1", status="delivered") == 0
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.1", status="failed") == 0
    sent_delivery.refresh_from_db()
    assert sent_delivery.status == DeliveryStatus.READ
    assert sent_delivery.read_at is not None
    assert sent_delivery.delivered_at == sent_delivery.read_at


def test_failure_receipt_and_unknown_ids(sent_delivery):
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.unknown", status="delivered") == 0
    assert delivery_record_receipt(channel="sms", provider_id="wamid.1", status="delivered") == 0
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.1", status="failed", error="131026") == 1
    sent_delivery.refresh_from_db()
    assert (sent_delivery.status, sent_delivery.error) == (DeliveryStatus.FAILED, "131026")


def test_a_receipt_before_the_provider_id_is_recorded_is_applied_by_the_sweep(sent_delivery):
    # The sender has handed the message over but not yet written its provider id (it writes a
    # hundred at a time) when the provider already reports it delivered, then read.
    Delivery.objects.filter(pk=sent_delivery.pk).update(status=DeliveryStatus.SENDING, provider_id="")
    delivered_at = timezone.now() - timedelta(seconds=30)
    assert (
        delivery_record_receipt(channel="whatsapp", provider_id="wamid.early", status="delivered", at=delivered_at) == 0
    )
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.early", status="read") == 0
    assert EarlyReceipt.objects.count() == 2
    assert early_receipts_apply() == 0  # no delivery has that id yet: kept

    Delivery.objects.filter(pk=sent_delivery.pk).update(status=DeliveryStatus.SENT, provider_id="wamid.early")
    assert early_receipts_apply() == 2
    sent_delivery.refresh_from_db()
    assert (sent_delivery.status, sent_delivery.delivered_at) == (DeliveryStatus.READ, delivered_at)
    assert not EarlyReceipt.objects.exists()


def test_a_repeated_receipt_for_a_known_delivery_is_not_kept(sent_delivery):
    delivery_record_receipt(channel="whatsapp", provider_id="wamid.1", status="delivered")
    assert delivery_record_receipt(channel="whatsapp", provider_id="wamid.1", status="delivered") == 0
    assert not EarlyReceipt.objects.exists()


def test_receipts_that_never_match_are_dropped_after_a_day(sent_delivery):
    # e.g. the status of an aspiration receipt sent by WhatsApp: a message, not a delivery.
    delivery_record_receipt(channel="whatsapp", provider_id="wamid.notice", status="delivered")
    assert early_receipts_apply(now=timezone.now() + EARLY_RECEIPT_KEPT - timedelta(minutes=1)) == 0
    assert EarlyReceipt.objects.count() == 1
    early_receipts_apply(now=timezone.now() + EARLY_RECEIPT_KEPT + timedelta(minutes=1))
    assert not EarlyReceipt.objects.exists()
