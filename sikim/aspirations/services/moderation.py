"""Writes around the public side of an aspiration: hiding a text, and supports ("dukung").

A pembina of the region hides an abusive text (it leaves the public lists; the case goes on).
A support is one per person: an account, or — for someone without one — a key of their
device or phone number, stored only as a keyed hash.
"""

import hashlib
import hmac
from datetime import datetime
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.aspirations.models import Aspiration, AspirationEventKind, AspirationSupport
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.identity import is_own
from sikim.aspirations.services.common import audit, clean_text, lock, record_event, snapshot

HIDDEN_REASON_MAX_LENGTH: Final = 300


def supporter_key_hash(raw_key: str) -> str:
    """A keyed SHA-256 of a device cookie or phone number: the raw value is never stored."""
    return hmac.new(settings.SECRET_KEY.encode(), raw_key.strip().encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def aspiration_hide(*, actor: Any, aspiration: Aspiration, reason: str, now: datetime | None = None) -> Aspiration:
    authz.require(actor, AspirationAction.MODERATE, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    reason = " ".join(
        clean_text(
            reason, field="hidden_reason", max_length=HIDDEN_REASON_MAX_LENGTH, required=True, label=_("Give a reason.")
        ).split()
    )
    if aspiration.is_hidden:
        return aspiration
    before = snapshot(aspiration)
    aspiration.is_hidden, aspiration.hidden_reason = True, reason
    aspiration.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    record_event(aspiration, kind=AspirationEventKind.HIDDEN, actor=actor, now=now, note=reason, is_public=False)
    audit(actor=actor, action="hide", aspiration=aspiration, before=before)
    return aspiration


@transaction.atomic
def aspiration_unhide(*, actor: Any, aspiration: Aspiration, now: datetime | None = None) -> Aspiration:
    authz.require(actor, AspirationAction.MODERATE, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    if not aspiration.is_hidden:
        return aspiration
    before = snapshot(aspiration)
    aspiration.is_hidden, aspiration.hidden_reason = False, ""
    aspiration.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    record_event(aspiration, kind=AspirationEventKind.UNHIDDEN, actor=actor, now=now, is_public=False)
    audit(actor=actor, action="unhide", aspiration=aspiration, before=before)
    return aspiration


def aspiration_support(*, actor: Any, aspiration: Aspiration, supporter_key: str = "") -> bool:
    """Add one support; False when this person (or device) already supports it.

    Signed-in people count by account; others by `supporter_key` (hashed here). Only
    aspirations shown in public can be supported, and not by their own author.
    """
    signed_in = bool(getattr(actor, "is_authenticated", False))
    if not aspiration.is_public:
        raise ValidationError(_("Only aspirations shown in public can be supported."))
    if signed_in and is_own(aspiration, actor):
        raise ValidationError(_("You cannot support your own aspiration."))
    if not signed_in and not supporter_key.strip():
        raise PermissionDenied
    support = AspirationSupport(
        aspiration=aspiration,
        user=actor if signed_in else None,
        supporter_key="" if signed_in else supporter_key_hash(supporter_key),
    )
    try:
        with transaction.atomic():
            support.save()
            Aspiration.objects.filter(pk=aspiration.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    aspiration.refresh_from_db(fields=["support_count"])
    return True
