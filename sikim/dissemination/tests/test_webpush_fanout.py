"""Web push in the fan-out: who is in the audience, and the whole path to the fake push service."""

import pytest

from sikim.dissemination.models import Delivery, DeliveryStatus, PushSubscription
from sikim.dissemination.selectors import audience_for, audience_preview, reach_for
from sikim.dissemination.services.bulletins import bulletin_create, bulletin_publish
from sikim.dissemination.services.fanout import deliveries_create_for_channel
from sikim.dissemination.services.push import push_subscription_save, subscription_clean
from sikim.dissemination.services.sending import deliveries_send
from sikim.dissemination.tests.bulletin_fixtures import member

from .fakes.webpush import GONE, SERVER_ERROR

pytestmark = pytest.mark.django_db


def subscribe(fake, m) -> PushSubscription:
    return push_subscription_save(member=m, data=subscription_clean(fake.subscribe()))


def kim_bulletin(ketua, kim, **kwargs):
    return bulletin_create(
        actor=ketua, publisher=kim, title="Kerja bakti Minggu", body_markdown="Kumpul di balai desa jam 7.",
        kims=[kim], **kwargs,
    )  # fmt: skip


def test_a_member_with_two_browsers_counts_once(fake_webpush, ketua_guntung_paikat, kim_guntung_paikat):
    two = member(kim_guntung_paikat, mail=False)
    subscribe(fake_webpush, two)
    subscribe(fake_webpush, two)
    subscribe(fake_webpush, member(kim_guntung_paikat, mail=False))
    member(kim_guntung_paikat, mail=False)  # no browser: no web push
    bulletin = kim_bulletin(ketua_guntung_paikat, kim_guntung_paikat)

    preview = audience_preview(bulletin)
    assert (preview["total"], preview["webpush"]) == (3, 2)
    added = deliveries_create_for_channel(bulletin=bulletin, channel="webpush", audience=audience_for(bulletin))
    assert added == 2
    assert Delivery.objects.filter(bulletin=bulletin, channel="webpush", member=two).count() == 1


def test_publishing_notifies_every_browser_through_the_fake(
    fake_webpush, ketua_guntung_paikat, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    siti = member(kim_guntung_paikat, mail=False)
    subscribe(fake_webpush, siti)
    subscribe(fake_webpush, siti)
    gone_member = member(kim_guntung_paikat, mail=False)
    gone = subscribe(fake_webpush, gone_member)
    fake_webpush.fail_address(gone.endpoint, GONE)
    bulletin = kim_bulletin(ketua_guntung_paikat, kim_guntung_paikat, priority="urgent")

    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)

    payloads = fake_webpush.payloads()
    assert len(payloads) == 2  # Siti's phone and laptop
    for payload in payloads:
        assert payload["title"] == "Kerja bakti Minggu"
        assert "Kumpul di balai desa jam 7." in payload["body"]
        assert "/diseminasi/l/" in payload["url"]  # the tracked link: a tap counts as read
    assert {m.headers["urgency"] for m in fake_webpush.messages} == {"high"}
    sent = Delivery.objects.get(bulletin=bulletin, channel="webpush", member=siti)
    assert sent.status == DeliveryStatus.SENT and sent.provider_id.startswith(fake_webpush.url)
    failed = Delivery.objects.get(bulletin=bulletin, channel="webpush", member=gone_member)
    assert failed.status == DeliveryStatus.FAILED and "gone" in failed.error
    assert not PushSubscription.objects.filter(pk=gone.pk).exists()
    assert (reach_for(bulletin)["webpush"]["sent"], reach_for(bulletin)["webpush"]["failed"]) == (1, 1)


def test_a_500_is_retried_later_and_then_sent_once(
    fake_webpush, ketua_guntung_paikat, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    siti = member(kim_guntung_paikat, mail=False)
    subscribe(fake_webpush, siti)
    fake_webpush.fail_next(SERVER_ERROR)
    bulletin = kim_bulletin(ketua_guntung_paikat, kim_guntung_paikat)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)

    delivery = Delivery.objects.get(bulletin=bulletin, channel="webpush")
    assert delivery.status == DeliveryStatus.QUEUED and delivery.next_attempt_at is not None
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)  # the backoff has passed
    deliveries_send(delivery_ids=[delivery.pk])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)
    assert len(fake_webpush.messages) == 1


def test_without_vapid_keys_web_push_deliveries_fail_as_not_configured(
    fake_webpush, settings, ketua_guntung_paikat, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    subscribe(fake_webpush, member(kim_guntung_paikat, mail=False))
    settings.SIKIM_VAPID_PRIVATE_KEY = ""
    bulletin = kim_bulletin(ketua_guntung_paikat, kim_guntung_paikat)
    with django_capture_on_commit_callbacks(execute=True):
        bulletin_publish(actor=ketua_guntung_paikat, bulletin=bulletin)
    delivery = Delivery.objects.get(bulletin=bulletin, channel="webpush")
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "channel not configured")
    assert fake_webpush.messages == []
