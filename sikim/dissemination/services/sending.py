"""The sender: claims a batch of deliveries, sends each through its channel, records the outcome.

Exactly-once as far as the database can make it:

- A delivery is claimed with one conditional UPDATE (`queued` → `sending`, a fresh claim token,
  attempts + 1). Two workers running the same batch never both claim a row, so re-running a
  batch sends nothing twice.
- The outcome is written only where the claim token still matches.
- A worker killed while holding claims leaves rows in `sending`; the sweeper puts them back to
  `queued` after `CLAIM_TIMEOUT`. If the kill came after the provider accepted the message but
  before the outcome was written, that one message is sent again: the guarantee for that narrow
  window is at-least-once (at most one extra message per recipient per channel per killed
  worker, i.e. the one message being sent at the moment of the kill).

Channels that are not configured (no credentials) are switched off: their deliveries are marked
`failed` with the error "channel not configured", never retried, and visible in the reach counts.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import uuid4

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from sikim.dissemination.channels.base import (
    Channel,
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.models import Bulletin, Delivery, DeliveryChannel, DeliveryStatus, KimInboxItem
from sikim.dissemination.services.bulletins import plain_text

NOT_CONFIGURED = "channel not configured"
CLAIM_TIMEOUT = timedelta(minutes=10)
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600

ChannelGetter = Callable[[str], Channel | None]


def default_get_channel(name: str) -> Channel | None:
    """The channel registry of sikim.dissemination.channels (None when it has no such channel)."""
    try:
        from sikim.dissemination.channels.registry import get_channel  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        channel: Channel | None = get_channel(name)
    except (KeyError, ChannelNotConfigured):
        return None
    return channel


def backoff_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min… capped at 6 hours."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def bulletin_link(bulletin: Bulletin) -> str:
    return f"{settings.SITE_URL}/diseminasi/buletin/{bulletin.pk}/"


def build_message(delivery: Delivery, address: str, local_note: str) -> OutgoingMessage:
    bulletin = delivery.bulletin
    link = bulletin_link(bulletin)
    body = plain_text(bulletin.body_html)
    note = f"{local_note.strip()}\n\n" if local_note.strip() else ""
    prefix = "[RALAT] " if bulletin.corrects_id else ""
    subject = f"{prefix}{bulletin.title}"
    if delivery.channel == DeliveryChannel.SMS:
        text = f"{subject}\n{note}{link}"
    else:
        text = f"{subject}\n\n{note}{body}\n\n{link}"
    html = ""
    if delivery.channel == DeliveryChannel.EMAIL:
        note_html = f"<p><em>{_escape(local_note)}</em></p>" if local_note.strip() else ""
        html = f'<h1>{_escape(subject)}</h1>{note_html}{bulletin.body_html}<p><a href="{link}">{link}</a></p>'
    return OutgoingMessage(
        address=address,
        subject=subject,
        text=text,
        html=html,
        link=link,
        options={"bulletin_id": str(bulletin.pk), "priority": bulletin.priority, "delivery_id": str(delivery.pk)},
    )


def _escape(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def _address(delivery: Delivery) -> str:
    member = delivery.member
    if delivery.channel == DeliveryChannel.EMAIL:
        return member.email
    if delivery.channel in (DeliveryChannel.SMS, DeliveryChannel.WHATSAPP):
        return member.phone or ""
    if delivery.channel == DeliveryChannel.TELEGRAM:
        link = getattr(member, "telegram_link", None)
        return link.chat_id if link else ""
    return ""


@dataclass
class BatchOutcome:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0


class Limiter(Protocol):
    def acquire(self) -> float: ...

    def pause(self, seconds: float) -> None: ...


class _Pacer:
    """Keeps one worker under a channel's messages-per-second (for channels outside the registry)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = 0.0

    def acquire(self) -> float:
        now = time.monotonic()
        wait = max(0.0, self.next_at - now)
        if wait:
            time.sleep(wait)
        self.next_at = max(now, self.next_at) + self.interval
        return wait

    def pause(self, seconds: float) -> None:
        self.next_at = max(self.next_at, time.monotonic() + seconds)


def _limiter_for(name: str, channel: Channel, get_channel: ChannelGetter) -> Limiter:
    """The registry's per-process token bucket for registry channels; a local pacer otherwise."""
    if get_channel is default_get_channel and channel.rate_per_second > 0:
        from sikim.dissemination.channels.registry import rate_limiter

        return rate_limiter(name)
    return _Pacer(channel.rate_per_second)


def deliveries_claim(*, delivery_ids: Sequence[int], now: datetime | None = None) -> str:
    """Claim the sendable deliveries among `delivery_ids` for this worker; returns the claim token."""
    now = now or timezone.now()
    token = uuid4().hex
    Delivery.objects.filter(pk__in=list(delivery_ids), status=DeliveryStatus.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ).update(status=DeliveryStatus.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    return token


def _finish(delivery: Delivery, token: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim_token=token, status=DeliveryStatus.SENDING).update(**fields)


def deliveries_send(*, delivery_ids: Sequence[int], get_channel: ChannelGetter = default_get_channel) -> BatchOutcome:
    """Send one batch. Safe to run twice or concurrently: only claimed rows are sent."""
    token = deliveries_claim(delivery_ids=delivery_ids)
    claimed = list(
        Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING)
        .select_related("bulletin", "member", "member__telegram_link")
        .order_by("channel", "pk")
    )
    outcome = BatchOutcome(claimed=len(claimed))
    if not claimed:
        return outcome
    notes = {
        (item.bulletin_id, item.kim_id): item.local_note
        for item in KimInboxItem.objects.filter(
            bulletin_id__in={d.bulletin_id for d in claimed}, kim_id__in={d.member.kim_id for d in claimed}
        ).only("bulletin_id", "kim_id", "local_note")
    }
    channels: dict[str, Channel | None] = {}
    limiters: dict[str, Limiter] = {}
    for delivery in claimed:
        if delivery.channel not in channels:
            channel = get_channel(delivery.channel)
            channels[delivery.channel] = channel if channel is not None and channel.is_configured() else None
        channel = channels[delivery.channel]
        if channel is not None and delivery.channel not in limiters:
            limiters[delivery.channel] = _limiter_for(delivery.channel, channel, get_channel)
        if channel is None:
            _finish(delivery, token, status=DeliveryStatus.FAILED, error=NOT_CONFIGURED, claim_token="")
            outcome.failed += 1
            continue
        address = _address(delivery)
        if not address:
            _finish(delivery, token, status=DeliveryStatus.FAILED, error="no address", claim_token="")
            outcome.failed += 1
            continue
        message = build_message(delivery, address, notes.get((delivery.bulletin_id, delivery.member.kim_id), ""))
        limiter = limiters[delivery.channel]
        limiter.acquire()
        _send_one(delivery, token, channel, message, outcome, limiter)
    return outcome


def _send_one(
    delivery: Delivery, token: str, channel: Channel, message: OutgoingMessage, outcome: BatchOutcome, limiter: Limiter
) -> None:
    try:
        result = channel.send(message)
    except ChannelNotConfigured:
        _finish(delivery, token, status=DeliveryStatus.FAILED, error=NOT_CONFIGURED, claim_token="")
        outcome.failed += 1
    except PermanentChannelError as exc:
        _finish(delivery, token, status=DeliveryStatus.FAILED, error=str(exc)[:500], claim_token="")
        outcome.failed += 1
    except (TemporaryChannelError, OSError) as exc:
        if isinstance(exc, RateLimited):
            limiter.pause(exc.retry_after)  # the provider said "slow down": the whole channel waits
        _retry_or_fail(delivery, token, channel, exc, outcome)
    else:
        _finish(
            delivery,
            token,
            status=DeliveryStatus.SENT,
            provider_id=result.provider_id[:200],
            sent_at=timezone.now(),
            error="",
            claim_token="",
        )
        outcome.sent += 1


def _retry_or_fail(delivery: Delivery, token: str, channel: Channel, exc: Exception, outcome: BatchOutcome) -> None:
    attempts = delivery.attempts  # read after the claim, which added this attempt
    if attempts >= channel.max_attempts:
        _finish(delivery, token, status=DeliveryStatus.FAILED, error=str(exc)[:500], claim_token="")
        outcome.failed += 1
        return
    delay = backoff_delay(attempts)
    if isinstance(exc, RateLimited):
        delay = max(delay, timedelta(seconds=exc.retry_after))
    _finish(
        delivery,
        token,
        status=DeliveryStatus.QUEUED,
        next_attempt_at=timezone.now() + delay,
        error=str(exc)[:500],
        claim_token="",
    )
    outcome.retrying += 1


def deliveries_release_stale(*, now: datetime | None = None) -> int:
    """Put deliveries claimed by a worker that died back in the queue (see the module docstring)."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        status=DeliveryStatus.QUEUED, claim_token="", next_attempt_at=timezone.now()
    )


def deliveries_due(*, now: datetime | None = None, limit: int = 50_000) -> list[int]:
    """Queued deliveries whose retry time has come, or that were created long ago and never sent."""
    now = now or timezone.now()
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lt=now - CLAIM_TIMEOUT)
    return list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED)
        .filter(due)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
