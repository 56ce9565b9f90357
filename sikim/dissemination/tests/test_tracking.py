import pytest
from django.test import Client
from django.urls import reverse

from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.tracking import (
    delivery_mark_read,
    tracked_link,
    tracked_link_code,
    tracked_link_delivery_id,
)
from sikim.dissemination.tests.bulletin_fixtures import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery(ketua_guntung_paikat, kim_guntung_paikat) -> Delivery:
    member(kim_guntung_paikat, mail=False, consent_whatsapp=True)
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat,
        publisher=kim_guntung_paikat,
        title="t",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
    return Delivery.objects.get()


def test_code_round_trip_and_forgery(delivery):
    code = tracked_link_code(delivery.pk)
    assert len(code) >= 10
    assert tracked_link_delivery_id(code) == delivery.pk
    other = tracked_link_code(delivery.pk + 1)
    forged = other.split(".")[0] + "." + code.split(".")[1]
    assert tracked_link_delivery_id(forged) is None
    assert tracked_link_delivery_id("garbage") is None
    assert tracked_link_delivery_id("") is None


def test_tracked_link_is_absolute(delivery, settings):
    settings.SITE_URL = "https://sikim.example.id"
    url = tracked_link(delivery)
    assert url.startswith("https://sikim.example.id/diseminasi/l/")
    assert url.endswith(tracked_link_code(delivery.pk) + "/")


def test_click_marks_read_once_and_redirects(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT)
    url = reverse("dissemination:tracked_link", kwargs={"code": tracked_link_code(delivery.pk)})
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("dissemination:public_detail", kwargs={"pk": delivery.bulletin_id})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.READ
    first_read = delivery.read_at
    assert first_read is not None and delivery.delivered_at == first_read

    assert Client().get(url).status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.read_at) == (DeliveryStatus.READ, first_read)


@pytest.mark.parametrize(
    ("start", "changed"),
    [
        (DeliveryStatus.QUEUED, 1),
        (DeliveryStatus.SENT, 1),
        (DeliveryStatus.DELIVERED, 1),
        (DeliveryStatus.READ, 0),
        (DeliveryStatus.FAILED, 0),
    ],
)
def test_mark_read_moves_forward_only(delivery, start, changed):
    Delivery.objects.filter(pk=delivery.pk).update(status=start)
    assert delivery_mark_read(delivery_id=delivery.pk) == changed
    delivery.refresh_from_db()
    assert delivery.status == (DeliveryStatus.READ if changed else start)


def test_forged_or_unknown_code_is_404(delivery):
    client = Client()
    code = tracked_link_code(delivery.pk)
    assert client.get(reverse("dissemination:tracked_link", kwargs={"code": code + "x"})).status_code == 404
    missing = tracked_link_code(delivery.pk + 1000)
    assert client.get(reverse("dissemination:tracked_link", kwargs={"code": missing})).status_code == 404
    assert client.post(reverse("dissemination:tracked_link", kwargs={"code": code})).status_code == 405
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED


@pytest.mark.parametrize(
    "agent",
    [
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
    ],
)
def test_link_previews_and_checks_do_not_count_as_read(delivery, agent):
    url = "/" + tracked_link(delivery).split("/", 3)[3]
    client = Client()
    assert client.get(url, headers={"User-Agent": agent}).status_code == 302
    assert client.head(url).status_code == 302
    delivery.refresh_from_db()
    assert delivery.read_at is None
    client.get(url, headers={"User-Agent": "Mozilla/5.0 (Linux; Android 13) Chrome/120 Mobile"})
    delivery.refresh_from_db()
    assert delivery.read_at is not None
