"""Applying what providers post to our webhooks: WhatsApp statuses and STOP replies, Telegram
/start links, STOP and blocks, SMS gateway delivery reports and replies. Every step is idempotent:
providers deliver a webhook more than once.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts.phone import normalize_phone
from sikim.dissemination.channels.base import ChannelError, OutgoingMessage
from sikim.dissemination.channels.registry import get_channel
from sikim.dissemination.channels.webhooks import (
    InboundText,
    TelegramBlocked,
    TelegramStart,
    is_stop_word,
    parse_telegram_update,
    parse_whatsapp_webhook,
)
from sikim.dissemination.services.optout import (
    member_consent_withdraw,
    phone_whatsapp_opt_out,
    telegram_chat_unlink,
    telegram_link_create,
    telegram_link_token_read,
)
from sikim.dissemination.services.receipts import delivery_record_receipt
from sikim.kim.models import KimMember

logger = logging.getLogger(__name__)


def whatsapp_webhook_apply(*, payload: Any) -> dict[str, int]:
    """Apply statuses (through the receipts service) and STOP replies of one WhatsApp webhook."""
    statuses, texts = parse_whatsapp_webhook(payload)
    receipts = sum(
        delivery_record_receipt(
            channel="whatsapp",
            provider_id=status.provider_id,
            status=str(status.status),
            at=status.at,
            error=status.error,
        )
        for status in statuses
    )
    opted_out = sum(phone_whatsapp_opt_out(phone=text.address) for text in texts if text.is_stop)
    return {"receipts": receipts, "opted_out": opted_out}


def _telegram_reply(chat_id: str, text: str) -> None:
    """Best effort: a reply that cannot be sent must not make Telegram retry the update."""
    try:
        get_channel("telegram").send(OutgoingMessage(address=chat_id, subject="", text=text))
    except ChannelError as error:
        logger.warning("Telegram reply to %s not sent: %s", chat_id, error)


def telegram_update_apply(*, update: Any) -> str:
    """Apply one Telegram update; returns what happened ("linked", "unlinked", "invalid_token", "ignored")."""
    event = parse_telegram_update(update)
    if isinstance(event, TelegramStart):
        member_id = telegram_link_token_read(event.token) if event.token else None
        member = (
            KimMember.objects.select_related("kim").filter(pk=member_id, is_active=True).first()
            if member_id is not None
            else None
        )
        if member is None:
            _telegram_reply(
                event.chat_id,
                _("This link is not valid or has expired. Ask your KIM's pengurus for a new link."),
            )
            return "invalid_token"
        telegram_link_create(member=member, chat_id=event.chat_id)
        _telegram_reply(
            event.chat_id,
            _("Your account is linked to %(kim)s. You will receive bulletins here. Reply STOP to stop.")
            % {"kim": member.kim.name},
        )
        return "linked"
    if isinstance(event, TelegramBlocked):
        return "unlinked" if telegram_chat_unlink(chat_id=event.chat_id, source="telegram_blocked") else "ignored"
    if isinstance(event, InboundText) and event.is_stop:
        member = telegram_chat_unlink(chat_id=event.address, source="telegram_stop")
        if member is not None:
            _telegram_reply(event.address, _("You will no longer receive bulletins here."))
            return "unlinked"
    return "ignored"


# --- SMS gateway -----------------------------------------------------------------------------------
# The statuses a delivery report may carry (the contract in channels/sms.py).
SMS_REPORT_STATUSES = frozenset({"delivered", "failed"})


class SmsWebhookInvalid(ValueError):
    """The gateway posted something that is not one of the two documented shapes (answered 400)."""


@dataclass(frozen=True)
class SmsStatusReport:
    provider_id: str
    status: str  # "delivered" or "failed"
    error: str


@dataclass(frozen=True)
class SmsInbound:
    phone: str  # +62…
    text: str


def _string(payload: dict[str, Any], key: str, *, required: bool = True, max_length: int = 1000) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str) or len(value) > max_length or (required and not value.strip()):
        raise SmsWebhookInvalid(_("The field %(field)s is missing or not a text.") % {"field": key})
    return value.strip()


def parse_sms_webhook(payload: Any) -> SmsStatusReport | SmsInbound:
    """What one SMS gateway post means; raises SmsWebhookInvalid for anything else."""
    if not isinstance(payload, dict):
        raise SmsWebhookInvalid(_("The body must be a JSON object."))
    kind = payload.get("type")
    if kind == "status":
        status = _string(payload, "status", max_length=20)
        if status not in SMS_REPORT_STATUSES:
            raise SmsWebhookInvalid(_("The status must be delivered or failed."))
        return SmsStatusReport(
            provider_id=_string(payload, "id", max_length=200),
            status=status,
            error=_string(payload, "error", required=False)[:500],
        )
    if kind == "inbound":
        phone = normalize_phone(_string(payload, "from", max_length=40))
        if phone is None:
            raise SmsWebhookInvalid(_("The field from must be an Indonesian phone number."))
        return SmsInbound(phone=phone, text=_string(payload, "text", required=False, max_length=2000))
    raise SmsWebhookInvalid(_("The type must be status or inbound."))


@transaction.atomic
def phone_sms_opt_out(*, phone: str) -> int:
    """A STOP reply from `phone` by SMS: withdraw SMS consent of every member with that number."""
    members = KimMember.objects.select_related("kim").filter(phone=phone, consent_sms=True)
    return sum(member_consent_withdraw(member=member, channel="sms", source="sms_stop") for member in members)


def sms_webhook_apply(*, payload: Any) -> dict[str, int]:
    """Apply one delivery report (through the receipts service) or one reply (STOP opts out).

    Raises SmsWebhookInvalid before changing anything when the payload is malformed.
    """
    event = parse_sms_webhook(payload)
    if isinstance(event, SmsStatusReport):
        receipts = delivery_record_receipt(
            channel="sms", provider_id=event.provider_id, status=event.status, error=event.error
        )
        return {"receipts": receipts, "opted_out": 0}
    opted_out = phone_sms_opt_out(phone=event.phone) if is_stop_word(event.text) else 0
    return {"receipts": 0, "opted_out": opted_out}
