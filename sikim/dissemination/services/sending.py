"""The sender: claims a batch of deliveries, sends each through its channel, records the outcome.

What the database guarantees, on every channel:

- A delivery is claimed with one conditional UPDATE (`queued` → `sending`, a fresh claim token,
  attempts + 1). Two workers running the same batch never both claim a row, so re-running a
  batch sends nothing twice.
- The outcome is written only where the claim token still matches.
- A worker killed while holding claims leaves rows in `sending`; the sweeper puts them back to
  `queued` after `CLAIM_TIMEOUT` and they are sent again. If the kill came after the provider
  accepted a message but before the outcome was written, the provider is asked a second time.

What reaches the recipient after such a kill depends on the provider's protocol:

- SMS: exactly once. Every request carries `"reference": "sikim-<delivery id>"`, the same on every
  attempt, and the gateway contract (channels/sms.py) is that a reference it already accepted is
  answered with the first message id and not sent again. Because of that, SMS successes are recorded in
  groups of SENT_FLUSH_SIZE (Channel.idempotent): a kill loses at most that many records, and
  the re-sent requests are dropped by the gateway.
- Email: every attempt carries the same Message-ID, `<delivery-<id>.<bulletin id>@<site host>>`.
  SMTP itself does not de-duplicate, so a second copy can reach the mail server; mail systems that
  de-duplicate by Message-ID (Gmail, most mail clients) show it once, and either way the two
  copies are recognisably one message.
- Telegram and WhatsApp have no idempotency key: the one message in flight per killed worker
  thread may reach its recipient twice (at-least-once for that narrow window).

Before sending, a normal-priority delivery whose recipient is inside quiet hours (SIKIM_QUIET_HOURS,
in the recipient's own time zone, see services/quiet_hours.py) goes back to `queued` until the
quiet hours end, without spending an attempt; the periodic sweep sends it then. Urgent and
emergency bulletins are sent at any hour.

Channels that are not configured (no credentials) are switched off: their deliveries are marked
`failed` with the error "channel not configured", never retried, and visible in the reach counts.
"""

import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit
from uuid import uuid4
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from sikim.dissemination.channels.base import (
    Channel,
    ChannelNotConfigured,
    OutgoingMessage,
    PermanentChannelError,
    RateLimited,
    TemporaryChannelError,
)
from sikim.dissemination.channels.telegram import MAX_TEXT as TELEGRAM_MAX_TEXT
from sikim.dissemination.channels.whatsapp import SUMMARY_MAX as WHATSAPP_SUMMARY_MAX
from sikim.dissemination.models import (
    Bulletin,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    KimInboxItem,
    Priority,
)
from sikim.dissemination.services.bulletins import plain_text
from sikim.dissemination.services.optout import optout_url
from sikim.dissemination.services.quiet_hours import QuietWindow, configured_window, quiet_until, zone_for_region
from sikim.dissemination.services.tracking import tracked_link

logger = logging.getLogger(__name__)

NOT_CONFIGURED = "channel not configured"
CLAIM_TIMEOUT = timedelta(minutes=10)
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
# Web push (channels/webpush.py) finds the member's browser subscriptions itself.
WEBPUSH = "webpush"

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
    """The public page of a bulletin (messages carry the delivery's tracked link, which leads here)."""
    return f"{settings.SITE_URL}/diseminasi/buletin/{bulletin.pk}/"


def delivery_reference(delivery_id: int) -> str:
    """The idempotency key sent to providers that take one (the SMS gateway): stable across retries."""
    return f"sikim-{delivery_id}"


def email_message_id(delivery: Delivery) -> str:
    """The Message-ID of a delivery's email, the same on every attempt."""
    host = urlsplit(settings.SITE_URL).hostname or "sikim.localhost"
    return f"<delivery-{delivery.pk}.{delivery.bulletin_id}@{host}>"


def _fit(head: str, tail: str, limit: int) -> str:
    """`head` + `tail` in at most `limit` characters: `head` is shortened (ending in "…"), `tail` kept."""
    if len(head) + len(tail) <= limit:
        return head + tail
    return head[: max(limit - len(tail) - 1, 0)].rstrip() + "…" + tail


# Every message of a batch shares its bulletin's text: convert it once, not once per recipient.
_plain_body = functools.lru_cache(maxsize=32)(plain_text)


def build_message(delivery: Delivery, address: str, local_note: str) -> OutgoingMessage:
    """The message of one delivery: its tracked link, and how to stop the channel.

    Every channel gets the delivery's tracked short link (a click marks it read, then opens the
    public bulletin page). Email, Telegram and WhatsApp carry the member's signed opt-out link;
    SMS gets a "reply STOP" hint when it fits in the parts the message already costs.
    """
    bulletin = delivery.bulletin
    member = delivery.member
    channel = delivery.channel
    link = tracked_link(delivery)
    note = f"{local_note.strip()}\n\n" if local_note.strip() else ""
    prefix = "[RALAT] " if bulletin.corrects_id else ""
    subject = f"{prefix}{bulletin.title}"
    options = {
        "bulletin_id": str(bulletin.pk),
        "priority": bulletin.priority,
        "delivery_id": str(delivery.pk),
        "member_id": str(member.pk),
        "reference": delivery_reference(delivery.pk),
    }
    html = ""
    if channel == DeliveryChannel.SMS:
        # The SMS channel appends the link whole, cutting the text if it must, then the hint if it fits.
        text = f"{subject}\n{note}".strip()
        options["sms_hint"] = _("Reply STOP to stop")
    elif channel == DeliveryChannel.EMAIL:
        optout = optout_url(member, channel)
        body = _plain_body(bulletin.body_html)
        footer = _("To stop receiving bulletins by email, open: %(url)s") % {"url": optout}
        text = f"{subject}\n\n{note}{body}\n\n{link}\n\n-- \n{footer}"
        note_html = f"<p><em>{escape(local_note)}</em></p>" if local_note.strip() else ""
        html = (
            f"<h1>{escape(subject)}</h1>{note_html}{bulletin.body_html}"
            f'<p><a href="{escape(link)}">{escape(_("Read this bulletin on the web"))}</a></p>'
            f'<hr><p><small><a href="{escape(optout)}">{escape(_("Stop receiving bulletins by email"))}</a></small></p>'
        )
        options["message_id"] = email_message_id(delivery)
        options["list_unsubscribe"] = optout
    elif channel == DeliveryChannel.TELEGRAM:
        body = _plain_body(bulletin.body_html)
        stop = _("Stop receiving bulletins here: %(url)s") % {"url": optout_url(member, channel)}
        text = _fit(f"{subject}\n\n{note}{body}", f"\n\n{link}\n\n{stop}", TELEGRAM_MAX_TEXT)
    elif channel == DeliveryChannel.WHATSAPP:
        # Template parameters: {{1}} the title, {{2}} this text on one line, {{3}} the tracked link.
        body = _plain_body(bulletin.body_html)
        stop = _("Stop receiving bulletins here: %(url)s") % {"url": optout_url(member, channel)}
        text = _fit(" ".join(f"{note}{body}".split()), f" {stop}", WHATSAPP_SUMMARY_MAX)
    else:  # web push and any channel without an opt-out of its own
        body = _plain_body(bulletin.body_html)
        text = f"{subject}\n\n{note}{body}\n\n{link}"
    return OutgoingMessage(address=address, subject=subject, text=text, html=html, link=link, options=options)


def _address(delivery: Delivery) -> str:
    member = delivery.member
    if delivery.channel == DeliveryChannel.EMAIL:
        return member.email
    if delivery.channel in (DeliveryChannel.SMS, DeliveryChannel.WHATSAPP):
        return member.phone or ""
    if delivery.channel == DeliveryChannel.TELEGRAM:
        link = getattr(member, "telegram_link", None)
        return link.chat_id if link else ""
    if delivery.channel == WEBPUSH:
        return str(member.pk)
    return ""


@dataclass
class BatchOutcome:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    deferred: int = 0  # inside quiet hours: back in the queue until they end


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


# Successes of idempotent channels are recorded this many at a time (one UPDATE instead of 100).
SENT_FLUSH_SIZE = 100


class _SentRecorder:
    """Records successful sends. Idempotent channels (Channel.idempotent) are written in groups:
    one UPDATE per SENT_FLUSH_SIZE messages is what lets one worker send well over 1,000
    messages/s. Other channels are written one by one, right after the provider's answer, so a
    killed worker can repeat at most the one message it was sending."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.pending: dict[int, str] = {}  # delivery id → provider id

    def record(self, delivery: Delivery, channel: Channel, provider_id: str) -> None:
        if not channel.idempotent:
            _finish(
                delivery,
                self.token,
                status=DeliveryStatus.SENT,
                provider_id=provider_id[:200],
                sent_at=timezone.now(),
                error="",
                claim_token="",
            )
            return
        self.pending[delivery.pk] = provider_id[:200]
        if len(self.pending) >= SENT_FLUSH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        now = timezone.now()
        table = Delivery._meta.db_table
        # One statement run for every row in one transaction: the ORM would compile an UPDATE
        # per row (or one CASE with 100 branches), which costs more than sending the messages.
        sql = (
            f'UPDATE "{table}" SET "status" = %s, "provider_id" = %s, "sent_at" = %s, "error" = \'\','  # noqa: S608
            ' "claim_token" = \'\' WHERE "id" = %s AND "claim_token" = %s AND "status" = %s'
        )
        rows = [
            (DeliveryStatus.SENT, provider_id, now, pk, self.token, DeliveryStatus.SENDING)
            for pk, provider_id in self.pending.items()
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        self.pending.clear()


def _finish(delivery: Delivery, token: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim_token=token, status=DeliveryStatus.SENDING).update(**fields)


def _quiet_window() -> QuietWindow | None:
    """The configured quiet hours; a malformed setting is logged and sends at any hour (a bulletin
    at night is better than none)."""
    try:
        return configured_window()
    except ImproperlyConfigured:
        logger.exception("Quiet hours are ignored")
        return None


def _defer_quiet(claimed: list[Delivery], token: str, now: datetime, outcome: BatchOutcome) -> list[Delivery]:
    """Put normal-priority deliveries whose recipient is in quiet hours back in the queue until the
    quiet hours end, undoing the claim's attempt; returns the deliveries to send now."""
    window = _quiet_window()
    if window is None:
        return claimed
    until_by_zone: dict[ZoneInfo, datetime | None] = {}
    deferred: dict[datetime, list[int]] = {}
    to_send: list[Delivery] = []
    for delivery in claimed:
        if delivery.bulletin.priority != Priority.NORMAL:
            to_send.append(delivery)
            continue
        zone = zone_for_region(delivery.member.kim.region_id)
        if zone not in until_by_zone:
            until_by_zone[zone] = quiet_until(window, now, zone)
        until = until_by_zone[zone]
        if until is None:
            to_send.append(delivery)
        else:
            deferred.setdefault(until, []).append(delivery.pk)
    for until, ids in deferred.items():  # one UPDATE per time zone, not one per delivery
        outcome.deferred += Delivery.objects.filter(
            pk__in=ids, claim_token=token, status=DeliveryStatus.SENDING
        ).update(
            status=DeliveryStatus.QUEUED,
            next_attempt_at=until,
            attempts=F("attempts") - 1,
            claim_token="",
            claimed_at=None,
        )
    return to_send


def deliveries_send(*, delivery_ids: Sequence[int], get_channel: ChannelGetter = default_get_channel) -> BatchOutcome:
    """Send one batch. Safe to run twice or concurrently: only claimed rows are sent."""
    now = timezone.now()
    token = deliveries_claim(delivery_ids=delivery_ids, now=now)
    claimed = list(
        Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING)
        .select_related("member__kim", "member__telegram_link")
        .order_by("channel", "pk")
    )
    # The bulletins once each (a join would carry each bulletin's whole text on every row).
    bulletins = Bulletin.objects.in_bulk({d.bulletin_id for d in claimed})
    for delivery in claimed:
        delivery.bulletin = bulletins[delivery.bulletin_id]
    outcome = BatchOutcome(claimed=len(claimed))
    claimed = _defer_quiet(claimed, token, now, outcome)
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
    recorder = _SentRecorder(token)
    try:
        _send_claimed(claimed, token, notes, channels, limiters, recorder, outcome, get_channel)
    finally:
        recorder.flush()  # also when a channel raised something unexpected: what was sent is recorded
    return outcome


def _send_claimed(
    claimed: list[Delivery],
    token: str,
    notes: dict[tuple[int, int], str],
    channels: dict[str, Channel | None],
    limiters: dict[str, Limiter],
    recorder: _SentRecorder,
    outcome: BatchOutcome,
    get_channel: ChannelGetter,
) -> None:
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
        _send_one(delivery, token, channel, message, outcome, limiter, recorder)


def _send_one(
    delivery: Delivery,
    token: str,
    channel: Channel,
    message: OutgoingMessage,
    outcome: BatchOutcome,
    limiter: Limiter,
    recorder: _SentRecorder,
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
        recorder.record(delivery, channel, result.provider_id)
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
