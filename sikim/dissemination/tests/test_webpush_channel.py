"""The web push channel against a fake push service on 127.0.0.1 (VAPID checked, payload decrypted)."""

import pytest
from django.core.management import call_command

from sikim.audit.models import AuditEvent
from sikim.dissemination.channels import registry
from sikim.dissemination.channels.base import (
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.channels.webpush import WebPushChannel, generate_vapid_keys
from sikim.dissemination.models import PushSubscription
from sikim.dissemination.services.push import push_subscription_save, subscription_clean
from sikim.kim.tests.factories import KimMemberFactory

from .fakes import Failure
from .fakes.webpush import GONE, SERVER_ERROR, TIMEOUT, rate_limit

pytestmark = pytest.mark.django_db

LINK = "https://sikim.test/diseminasi/l/Ab3dE9/"


@pytest.fixture
def member(kim_guntung_paikat):
    return KimMemberFactory(kim=kim_guntung_paikat)


def subscribe(fake, member, **kwargs) -> PushSubscription:
    return push_subscription_save(member=member, data=subscription_clean(fake.subscribe(**kwargs)), user_agent="UA")


def message_for(member, **options: str) -> OutgoingMessage:
    return OutgoingMessage(
        address=str(member.pk),
        subject="Jadwal posyandu",
        text=f"Jadwal posyandu\n\nPosyandu Melati buka\nSabtu pukul 08.00.\n\n{LINK}",
        link=LINK,
        options={"member_id": str(member.pk), "bulletin_id": "7", **options},
    )


def test_it_sends_an_encrypted_notification_signed_with_vapid(fake_webpush, member):
    subscription = subscribe(fake_webpush, member)

    result = WebPushChannel().send(message_for(member))

    [pushed] = fake_webpush.messages
    assert pushed.payload == {
        "title": "Jadwal posyandu",
        "body": "Posyandu Melati buka Sabtu pukul 08.00.",
        "url": LINK,
        "tag": "bulletin-7",
    }
    assert pushed.claims["aud"] == fake_webpush.url
    assert pushed.claims["sub"] == "mailto:kominfo@sikim.test"
    assert int(pushed.headers["ttl"]) > 0  # kept for a phone that is offline for a while
    assert pushed.headers["urgency"] == "normal"
    assert result.provider_id.startswith(f"{fake_webpush.url}/m/")
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_an_emergency_is_sent_with_high_urgency(fake_webpush, member):
    subscribe(fake_webpush, member)
    WebPushChannel().send(message_for(member, priority="emergency"))
    assert fake_webpush.messages[0].headers["urgency"] == "high"


def test_every_browser_of_the_member_gets_it(fake_webpush, member):
    subscribe(fake_webpush, member)
    subscribe(fake_webpush, member)
    other = subscribe(fake_webpush, KimMemberFactory(kim=member.kim))

    WebPushChannel().send(message_for(member))

    assert len(fake_webpush.messages) == 2
    assert other.endpoint.rsplit("/", 1)[-1] not in {m.subscription_id for m in fake_webpush.messages}


def test_a_long_text_is_cut(fake_webpush, member):
    subscribe(fake_webpush, member)
    WebPushChannel().send(OutgoingMessage(address=str(member.pk), subject="Judul", text="kata " * 500, link=LINK))
    body = fake_webpush.payloads()[0]["body"]
    assert len(body) <= 240
    assert body.endswith("…")


def test_410_deletes_the_subscription_and_with_none_left_it_is_permanent(fake_webpush, member):
    subscription = subscribe(fake_webpush, member)
    fake_webpush.fail_next(GONE)

    with pytest.raises(PermanentChannelError, match="gone"):
        WebPushChannel().send(message_for(member))

    assert not PushSubscription.objects.filter(pk=subscription.pk).exists()
    assert AuditEvent.objects.filter(action="dissemination.push_subscription_gone").count() == 1


def test_a_gone_browser_is_dropped_while_the_other_gets_it(fake_webpush, member):
    gone = subscribe(fake_webpush, member)
    kept = subscribe(fake_webpush, member)
    fake_webpush.unsubscribe(gone.endpoint)  # the push service answers 404 from now on

    result = WebPushChannel().send(message_for(member))

    assert result.provider_id
    assert list(member.push_subscriptions.all()) == [kept]


def test_429_is_rate_limited_with_retry_after(fake_webpush, member):
    subscribe(fake_webpush, member)
    fake_webpush.fail_next(rate_limit(retry_after=7))
    with pytest.raises(RateLimited) as caught:
        WebPushChannel().send(message_for(member))
    assert caught.value.retry_after == 7


def test_500_and_timeout_are_temporary_then_it_recovers(fake_webpush, short_client_timeout, member):
    subscribe(fake_webpush, member)
    fake_webpush.fail_next(SERVER_ERROR)
    fake_webpush.fail_next(TIMEOUT)
    channel = WebPushChannel()
    with pytest.raises(TemporaryChannelError, match="HTTP 500"):
        channel.send(message_for(member))
    with pytest.raises(TemporaryChannelError, match="no answer"):
        channel.send(message_for(member))
    assert channel.send(message_for(member)).provider_id
    assert len(fake_webpush.messages) == 1
    assert member.push_subscriptions.count() == 1  # a failure is not "gone"


@pytest.mark.parametrize("status", [400, 413])
def test_400_and_413_are_permanent(fake_webpush, member, status):
    subscribe(fake_webpush, member)
    fake_webpush.fail_next(Failure("error", status=status, description="bad"))
    with pytest.raises(PermanentChannelError, match=f"HTTP {status}"):
        WebPushChannel().send(message_for(member))
    assert member.push_subscriptions.count() == 1


def test_a_key_the_browser_did_not_subscribe_with_is_refused(fake_webpush, member):
    other_public, _private = generate_vapid_keys()
    subscribe(fake_webpush, member, application_server_key=other_public)
    with pytest.raises(PermanentChannelError, match="HTTP 403"):
        WebPushChannel().send(message_for(member))
    assert fake_webpush.messages == []


def test_a_member_without_subscription_is_permanent(fake_webpush, member):
    with pytest.raises(PermanentChannelError, match="no web push subscription"):
        WebPushChannel().send(message_for(member))


def test_without_vapid_keys_it_is_switched_off_with_an_admin_warning(settings, member):
    settings.SIKIM_VAPID_PUBLIC_KEY = ""
    settings.SIKIM_VAPID_PRIVATE_KEY = ""
    assert not WebPushChannel().is_configured()
    with pytest.raises(ChannelNotConfigured):
        registry.get_channel("webpush")
    [status] = [s for s in registry.channel_status() if s.name == "webpush"]
    assert not status.configured
    assert "SIKIM_VAPID_PRIVATE_KEY" in status.warning
    with pytest.raises(ChannelNotConfigured):
        WebPushChannel().send(message_for(member))


def test_mismatched_keys_are_flagged_in_the_admin(settings):
    public, _ = generate_vapid_keys()
    _, private = generate_vapid_keys()
    settings.SIKIM_VAPID_PUBLIC_KEY = public
    settings.SIKIM_VAPID_PRIVATE_KEY = private
    [status] = [s for s in registry.channel_status() if s.name == "webpush"]
    assert "SIKIM_VAPID_PUBLIC_KEY" in status.warning
    with pytest.raises(ChannelNotConfigured):
        registry.get_channel("webpush").send(OutgoingMessage(address="1", subject="", text=""))


def test_registry_rate_limiter_uses_the_setting(fake_webpush, settings):
    settings.SIKIM_WEBPUSH_RATE_PER_SECOND = 12
    assert registry.rate_limiter("webpush").rate == 12


def test_vapid_keys_command_prints_a_pair_the_channel_accepts(capsys, settings, fake_webpush, member):
    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.strip().splitlines())
    settings.SIKIM_VAPID_PUBLIC_KEY = lines["SIKIM_VAPID_PUBLIC_KEY"]
    settings.SIKIM_VAPID_PRIVATE_KEY = lines["SIKIM_VAPID_PRIVATE_KEY"]
    channel = WebPushChannel()
    assert channel.is_configured() and not channel.key_error
    subscribe(fake_webpush, member, application_server_key=lines["SIKIM_VAPID_PUBLIC_KEY"])
    assert channel.send(message_for(member)).provider_id
