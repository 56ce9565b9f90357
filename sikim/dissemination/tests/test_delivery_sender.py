"""The sender against the Channel interface, with a small recording channel (no provider)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sikim.dissemination import tasks
from sikim.dissemination.models import Delivery, DeliveryStatus, FanOutRun, Priority
from sikim.dissemination.services.bulletins import bulletin_create
from sikim.dissemination.services.fanout import fanout_create_deliveries
from sikim.dissemination.services.quiet_hours import WIB, WITA
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
from sikim.kim.models import Kim
from sikim.kim.tests.factories import KimFactory
from sikim.wilayah.models import Region

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


# --- Quiet hours ---------------------------------------------------------------------------------
def _window_around_now_in(zone: ZoneInfo) -> tuple[str, datetime]:
    """SIKIM_QUIET_HOURS covering the present moment in `zone` (from 10 minutes ago to 30 minutes
    ahead) but not in the zones an hour earlier or later; and when it ends."""
    local = timezone.now().astimezone(zone).replace(second=0, microsecond=0)
    start, end = local - timedelta(minutes=10), local + timedelta(minutes=30)
    return f"{start:%H:%M}-{end:%H:%M}", end


@pytest.fixture
def kim_jakarta(regions) -> Kim:
    """A KIM in a WIB province (the test region tree holds only WITA provinces)."""
    parent = None
    for code, name, level, kind in [
        ("31", "DKI Jakarta", 1, "provinsi"),
        ("31.71", "Kota Jakarta Pusat", 2, "kota"),
        ("31.71.01", "Gambir", 3, "kecamatan"),
        ("31.71.01.1001", "Gambir", 4, "kelurahan"),
    ]:
        parent = Region.objects.create(code=code, name=name, level=level, kind=kind, parent=parent)
    assert parent is not None
    return KimFactory(region_id=parent.code)


@pytest.fixture
def night_deliveries(ketua_guntung_paikat, kim_guntung_paikat, kim_jakarta):
    """One email delivery to a member in Banjarbaru (WITA) and one in Jakarta (WIB), per priority."""
    wita, wib = member(kim_guntung_paikat, mail=True), member(kim_jakarta, mail=True)

    def make(priority: str) -> dict[str, Delivery]:
        bulletin = bulletin_create(
            actor=ketua_guntung_paikat, publisher=kim_guntung_paikat, title=f"Kabar {priority}",
            body_markdown="Isi.", kims=[kim_guntung_paikat], priority=priority,
        )  # fmt: skip
        fanout_create_deliveries(run=FanOutRun.objects.create(bulletin=bulletin))
        # As if a national bulletin reached both; targeting is not what these tests are about.
        far = Delivery.objects.create(bulletin=bulletin, member=wib, channel="email")
        return {"wita": Delivery.objects.get(bulletin=bulletin, member=wita), "wib": far}

    return make


def test_normal_bulletin_waits_for_the_end_of_quiet_hours_in_the_members_zone(night_deliveries, settings):
    settings.SIKIM_QUIET_HOURS, ends = _window_around_now_in(WITA)
    rows = night_deliveries(Priority.NORMAL)
    channel = RecordingChannel(name="email")
    outcome = deliveries_send(delivery_ids=[d.pk for d in rows.values()], get_channel=lambda name: channel)
    assert (outcome.claimed, outcome.sent, outcome.deferred) == (2, 1, 1)
    assert [m.address for m in channel.sent] == [rows["wib"].member.email]  # 1 hour earlier in Jakarta: not quiet
    waiting = Delivery.objects.get(pk=rows["wita"].pk)
    assert waiting.status == DeliveryStatus.QUEUED
    assert waiting.next_attempt_at == ends
    assert (waiting.attempts, waiting.claim_token, waiting.claimed_at) == (0, "", None)  # no attempt spent
    # Running the batch again during quiet hours claims nothing: it is not due.
    assert deliveries_send(delivery_ids=[waiting.pk], get_channel=lambda name: channel).claimed == 0


def test_the_same_moment_can_be_quiet_in_jakarta_and_not_in_banjarbaru(night_deliveries, settings):
    settings.SIKIM_QUIET_HOURS, _ends = _window_around_now_in(WIB)
    rows = night_deliveries(Priority.NORMAL)
    channel = RecordingChannel(name="email")
    outcome = deliveries_send(delivery_ids=[d.pk for d in rows.values()], get_channel=lambda name: channel)
    assert (outcome.sent, outcome.deferred) == (1, 1)
    assert [m.address for m in channel.sent] == [rows["wita"].member.email]


@pytest.mark.parametrize("priority", [Priority.URGENT, Priority.EMERGENCY])
def test_urgent_and_emergency_bulletins_ignore_quiet_hours(night_deliveries, settings, priority):
    settings.SIKIM_QUIET_HOURS, _ends = _window_around_now_in(WITA)
    rows = night_deliveries(priority)
    channel = RecordingChannel(name="email")
    outcome = deliveries_send(delivery_ids=[d.pk for d in rows.values()], get_channel=lambda name: channel)
    assert (outcome.sent, outcome.deferred) == (2, 0)


def test_no_quiet_hours_when_the_setting_is_empty_or_malformed(night_deliveries, settings):
    rows = night_deliveries(Priority.NORMAL)
    settings.SIKIM_QUIET_HOURS = "jam malam"  # logged; a bulletin at night beats no bulletin
    channel = RecordingChannel(name="email")
    outcome = deliveries_send(delivery_ids=[d.pk for d in rows.values()], get_channel=lambda name: channel)
    assert (outcome.sent, outcome.deferred) == (2, 0)


def test_the_sweep_sends_deferred_deliveries_once_quiet_hours_are_over(night_deliveries, settings, fake_smtp):
    settings.SIKIM_QUIET_HOURS, ends = _window_around_now_in(WITA)
    rows = night_deliveries(Priority.NORMAL)
    deliveries_send(delivery_ids=[rows["wita"].pk])
    waiting = Delivery.objects.get(pk=rows["wita"].pk)
    assert waiting.status == DeliveryStatus.QUEUED and fake_smtp.messages == []
    # The sweep looks for due deliveries: not before the quiet hours end, and at once after.
    assert waiting.pk not in deliveries_due(now=ends - timedelta(minutes=1))
    assert waiting.pk in deliveries_due(now=ends)
    tasks.dissemination_sweep.call_local()
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.QUEUED  # not due yet
    # The end of the quiet hours has come: move the clock of the row, and the quiet hours with it.
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    settings.SIKIM_QUIET_HOURS = ""
    tasks.dissemination_sweep.call_local()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (DeliveryStatus.SENT, 1)
    assert [mail.rcpt_tos for mail in fake_smtp.messages] == [(waiting.member.email,)]


def test_the_sweep_defers_again_if_it_is_still_quiet(night_deliveries, settings):
    settings.SIKIM_QUIET_HOURS, ends = _window_around_now_in(WITA)
    rows = night_deliveries(Priority.NORMAL)
    # Created long ago, never sent (its batch was lost): the sweep picks it up, and it waits.
    Delivery.objects.filter(pk=rows["wita"].pk).update(created_at=timezone.now() - timedelta(hours=1))
    tasks.dissemination_sweep.call_local()
    waiting = Delivery.objects.get(pk=rows["wita"].pk)
    assert (waiting.status, waiting.next_attempt_at, waiting.attempts) == (DeliveryStatus.QUEUED, ends, 0)


@pytest.mark.parametrize("idempotent", [True, False])
def test_what_was_sent_is_recorded_even_when_a_send_blows_up(email_deliveries, idempotent):
    """Idempotent channels record successes in groups (services/sending.py, _SentRecorder); an
    unexpected error ends the batch, but the messages already sent are recorded with their ids."""
    channel = RecordingChannel(name="email", fail_with=[])
    channel.idempotent = idempotent

    def send_then_crash(message):
        if len(channel.sent) == 2:
            raise RuntimeError("worker bug")
        return RecordingChannel.send(channel, message)

    channel.send = send_then_crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        deliveries_send(delivery_ids=email_deliveries, get_channel=lambda name: channel)
    rows = list(Delivery.objects.filter(pk__in=email_deliveries).order_by("pk"))
    assert [r.status for r in rows] == [DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.SENDING]
    assert [r.provider_id for r in rows[:2]] == ["email-1", "email-2"]
    assert all(r.claim_token == "" for r in rows[:2])
