"""Tracked short links: each delivery's message carries a link whose code is the delivery id
signed with the secret key (no table, nothing to create per delivery). Opening it marks the
delivery read — forward only, idempotent — and redirects to the public bulletin page."""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from sikim.dissemination.models import Delivery, DeliveryStatus

_SALT = "sikim.dissemination.tracked-link"
# Statuses a click may move to "read": the message evidently arrived. A failed delivery stays failed.
_BEFORE_READ = [DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT, DeliveryStatus.DELIVERED]


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, sep=".")


def tracked_link_code(delivery_id: int) -> str:
    """A compact, unguessable code: base62 delivery id + "." + HMAC signature."""
    return _signer().sign(signing.b62_encode(delivery_id))


def tracked_link_delivery_id(code: str) -> int | None:
    """The delivery id of a genuine code, None for a forged or malformed one."""
    try:
        value = _signer().unsign(code)
        return signing.b62_decode(value)
    except (signing.BadSignature, ValueError):
        return None


def tracked_link(delivery: Delivery) -> str:
    """Absolute URL to put in the message of this delivery."""
    path = reverse("dissemination:tracked_link", kwargs={"code": tracked_link_code(delivery.pk)})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def delivery_mark_read(*, delivery_id: int, at: datetime | None = None) -> int:
    """Mark a delivery read after its tracked link was opened; returns rows changed (0 or 1).

    Anonymous by nature (the recipient clicks a link), so there is no actor: the signed code is
    the authorisation. A second click changes nothing.
    """
    at = at or timezone.now()
    return Delivery.objects.filter(pk=delivery_id, status__in=_BEFORE_READ).update(
        status=DeliveryStatus.READ,
        read_at=at,
        delivered_at=Coalesce(F("delivered_at"), Value(at)),
    )
