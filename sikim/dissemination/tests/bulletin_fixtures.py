"""Shared fixtures and helpers for the bulletin, targeting, fan-out and delivery tests."""

from dataclasses import dataclass, field

import pytest

from sikim.dissemination.channels.base import (
    Channel,
    DeliveryResult,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.models import TelegramLink
from sikim.kim.models import Kim, KimMember, KimStatus
from sikim.kim.tests.factories import KimMemberFactory
from sikim.wilayah.models import Region


@dataclass
class RecordingChannel(Channel):
    """A channel that records what it was asked to send and fails on request (tests the sender
    against the Channel interface)."""

    name: str = "email"
    configured: bool = True
    fail_with: list[Exception] = field(default_factory=list)
    sent: list[OutgoingMessage] = field(default_factory=list)
    rate_per_second: float = 0.0
    max_attempts: int = 3

    def is_configured(self) -> bool:
        return self.configured

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append(message)
        return DeliveryResult(provider_id=f"{self.name}-{len(self.sent)}")


__all__ = ["PermanentChannelError", "RateLimited", "RecordingChannel", "TemporaryChannelError"]


def member(kim: Kim, *, mail: bool = True, sms: bool = False, telegram: bool = False, **kwargs: object) -> KimMember:
    m: KimMember = KimMemberFactory(kim=kim, consent_email=mail, consent_sms=sms, consent_telegram=telegram, **kwargs)
    if telegram:
        TelegramLink.objects.create(member=m, chat_id=f"{9000 + m.pk}")
    return m


@pytest.fixture
def kim_landasan(pembina_office_banjarbaru) -> Kim:
    """A second KIM in Kota Banjarbaru, in another village."""
    village = Region.objects.filter(level=4, code__startswith="63.72.").exclude(code="63.72.05.1004").first()
    assert village is not None
    return Kim.objects.create(
        name="KIM Landasan Ulin",
        slug="kim-landasan-ulin",
        region=village,
        pembina_office=pembina_office_banjarbaru,
        status=KimStatus.AKTIF,
    )
