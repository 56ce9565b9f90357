import pytest

from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.receipts import delivery_record_receipt
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
