"""Delivery receipts from providers (WhatsApp's status webhook, SMS gateway callbacks): they move
a delivery forward (sent → delivered → read), never back, and a failure report after a success
is ignored.

A receipt for a provider id no delivery has yet is kept as an EarlyReceipt: the sender writes
the ids of a batch's successes a hundred at a time, and a provider can report "delivered" before
that. The minute sweep (`early_receipts_apply`) applies what now matches and drops, after
EARLY_RECEIPT_KEPT, what never will (receipts of notices and replies, which are not deliveries).
"""

from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sikim.dissemination.models import Delivery, DeliveryStatus, EarlyReceipt

EARLY_RECEIPT_KEPT: Final = timedelta(days=1)
EARLY_RECEIPTS_PER_SWEEP: Final = 5000

# How far along each status is; a receipt may only move a delivery to a later one.
_ORDER = {
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.READ: 4,
}


@transaction.atomic
def delivery_record_receipt(
    *, channel: str, provider_id: str, status: str, at: datetime | None = None, error: str = ""
) -> int:
    """Apply one provider receipt to the delivery with that provider id; returns rows changed (0 or 1).

    Receipts arrive out of order and more than once: "read" before "delivered", the same status
    twice. Only a move forward is applied; "failed" only before the message was delivered.
    """
    if not provider_id:
        return 0
    at = at or timezone.now()
    changed = _apply(channel=channel, provider_id=provider_id, status=status, at=at, error=error)
    unknown_yet = not changed and status in _KEPT_STATUSES
    if unknown_yet and not Delivery.objects.filter(channel=channel, provider_id=provider_id).exists():
        EarlyReceipt.objects.create(
            channel=channel,
            provider_id=provider_id[:200],
            status=status,
            at=at,
            error=error[:500],
            received_at=timezone.now(),
        )
    return changed


_KEPT_STATUSES: Final = frozenset(
    {DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.FAILED}
)


def _apply(*, channel: str, provider_id: str, status: str, at: datetime, error: str) -> int:
    rows = Delivery.objects.filter(channel=channel, provider_id=provider_id)
    if status == DeliveryStatus.FAILED:
        return rows.filter(status__in=[DeliveryStatus.SENDING, DeliveryStatus.SENT]).update(
            status=DeliveryStatus.FAILED, error=error[:500] or "failed (provider receipt)"
        )
    if status not in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ):
        return 0
    earlier = [s for s, rank in _ORDER.items() if rank < _ORDER[DeliveryStatus(status)]]
    fields: dict[str, object] = {"status": status}
    if status in (DeliveryStatus.DELIVERED, DeliveryStatus.READ):
        # "read" implies delivered: keep the first delivery time when there was one.
        fields["delivered_at"] = Coalesce(F("delivered_at"), Value(at))
    if status == DeliveryStatus.READ:
        fields["read_at"] = at
    return rows.filter(status__in=earlier).update(**fields)


def early_receipts_apply(*, now: datetime | None = None) -> int:
    """Apply the kept receipts whose delivery now has its provider id, oldest first, and drop
    those older than EARLY_RECEIPT_KEPT; returns how many were applied to a delivery."""
    now = now or timezone.now()
    matching = Delivery.objects.filter(channel=OuterRef("channel"), provider_id=OuterRef("provider_id"))
    ready = list(EarlyReceipt.objects.filter(Exists(matching)).order_by("at", "id")[:EARLY_RECEIPTS_PER_SWEEP])
    applied = 0
    for receipt in ready:
        with transaction.atomic():
            applied += _apply(
                channel=receipt.channel,
                provider_id=receipt.provider_id,
                status=receipt.status,
                at=receipt.at,
                error=receipt.error,
            )
            receipt.delete()
    EarlyReceipt.objects.filter(received_at__lt=now - EARLY_RECEIPT_KEPT).delete()
    return applied
