"""Delivery receipts from providers (WhatsApp's status webhook, SMS gateway callbacks): they move
a delivery forward (sent → delivered → read), never back, and a failure report after a success
is ignored."""

from datetime import datetime

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sikim.dissemination.models import Delivery, DeliveryStatus

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
