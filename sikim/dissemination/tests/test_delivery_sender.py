"""The sender against the Channel interface, with a small recording channel (no provider)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.sending import (
    NOT_CONFIGURED,
    deliveries_claim,
    deliveries_due,
    deliveries_release_stale,
    deliveries_send,
)
from sikim.dissemination.tests.bulletin_fixtures import (
    PermanentChannelError,
    RateLimited,
    RecordingChannel,
    TemporaryChannelError,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_deliveries(ketua_guntung_paikat, kim_guntung_paikat):
    for _ in range(3):
        member(kim_guntung_paikat, mail=True)
    bulletin = bulletin_create(
        actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title="Rapat warga", body_markdown="Jam **9**.",
        kims=[kim_guntung_paikat],
    )  # fmt: skip
    run = FanOutRun.objects.create(bulletin=bulletin)
    assert fanout_create_deliveries(run=run) == 3
    return list(Delivery.objects.filter(bulletin=bulletin).order_by("pk").values_list("pk", flat=True))


def test_sends_once_even_when_the_batch_runs_twice(email_deliveries):
    channel = RecordingChannel(name="email")
    first = deliveries_send(delivery_ids=email_deliveries, get_channel=lambda name: channel)
    second = deliveries_send(delivery_ids=email_deliveries, get_channel=lambda name: channel)
    assert (first.sent, second.claimed) == (3, 0)
    assert len(channel.sent) == 3
    assert channel.sent[0].subject == "Rapat warga"
    assert "<strong>9</strong>" in channel.sent[0].html
    rows = Delivery.objects.filter(pk__in=email_deliveries)
    assert {r.status for r in rows} == {DeliveryStatus.SENT}
    assert all(r.provider_id.startswith("email-") and r.attempts == 1 for r in rows)


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(email_deliveries):
    deliveries_claim(delivery_ids=email_deliveries[:1])  # another worker holds the first one
    channel = RecordingChannel(name="email")
    outcome = deliveries_send(delivery_ids=email_deliveries, get_channel=lambda name: channel)
    assert outcome.sent == 2


def test_temporary_error_retries_with_backoff_then_fails(email_deliveries):
    channel = RecordingChannel(
        name="email", max_attempts=2, fail_with=[TemporaryChannelError("502"), RateLimited("slow", 120)]
    )
    deliveries_send(delivery_ids=email_deliveries[:1], get_channel=lambda name: channel)
    delivery = Delivery.objects.get(pk=email_deliveries[0])
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    # Not due yet: nothing is claimed.
    assert deliveries_send(delivery_ids=[delivery.pk], get_channel=lambda name: channel).claimed == 0
    later = timezone.now() + timedelta(minutes=5)
    assert delivery.pk in deliveries_due(now=later)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    deliveries_send(delivery_ids=[delivery.pk], get_channel=lambda name: channel)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == (DeliveryStatus.FAILED, 2, "slow")


def test_permanent_error_fails_at_once(email_deliveries):
    channel = RecordingChannel(name="email", fail_with=[PermanentChannelError("mailbox does not exist")])
    deliveries_send(delivery_ids=email_deliveries[:1], get_channel=lambda name: channel)
    delivery = Delivery.objects.get(pk=email_deliveries[0])
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, "mailbox does not exist")


def test_channel_without_credentials_is_skipped_not_crashed(email_deliveries):
    outcome = deliveries_send(
        delivery_ids=email_deliveries, get_channel=lambda name: RecordingChannel(configured=False)
    )
    assert outcome.failed == 3
    assert set(Delivery.objects.values_list("error", flat=True)) == {NOT_CONFIGURED}
    outcome = deliveries_send(delivery_ids=email_deliveries, get_channel=lambda name: None)
    assert outcome.claimed == 0


def test_sweeper_releases_claims_of_a_dead_worker(email_deliveries):
    deliveries_claim(delivery_ids=email_deliveries)  # the worker died after claiming
    assert deliveries_release_stale() == 0
    assert deliveries_release_stale(now=timezone.now() + timedelta(minutes=11)) == 3
    channel = RecordingChannel(name="email")
    assert deliveries_send(delivery_ids=email_deliveries, get_channel=lambda name: channel).sent == 3
    assert len(channel.sent) == 3
