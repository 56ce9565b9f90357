"""Applying what providers post to our webhooks: WhatsApp statuses and STOP replies, Telegram
/start links, STOP and blocks, SMS gateway delivery reports and replies. Every step is idempotent:
providers deliver a webhook more than once.

A message that opens with the aspiration keyword (ASPIRASI…, or `/aspirasi` on Telegram) and is
not one of the commands above goes to `sikim.aspirations.services.intake`, keyed by the
provider's message id, so a repeated webhook makes one aspiration. So does a photo (Telegram) or
an image (WhatsApp) whose caption opens with the keyword: the intake fetches the picture.
"""

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts.phone import normalize_phone
from sikim.aspirations.models import IntakeChannel
from sikim.aspirations.services.intake import (
    InboundMessage,
    IntakeResult,
    aspiration_intake,
    telegram_photo_intake,
    whatsapp_image_intake,
)
from sikim.aspirations.services.intake_format import starts_with_keyword
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


def _aspiration_from(channel: str, source_ref: str, sender: str, text: str) -> bool:
    """Hand a keyword message to the aspirations intake; True when it made a new aspiration."""
    outcome = aspiration_intake(
        message=InboundMessage(channel=channel, source_ref=source_ref, sender=sender, text=text)
    )
    return outcome.result == IntakeResult.CREATED


def whatsapp_inbound_messages(payload: Any) -> list[tuple[str, str, str]]:
    """(wamid, "+62…" sender, text) of every text message with an id in a WhatsApp webhook."""
    found: list[tuple[str, str, str]] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    values = [
        change.get("value")
        for entry in payload.get("entry") or []
        if isinstance(entry, dict)
        for change in entry.get("changes") or []
        if isinstance(change, dict)
    ]
    for value in values:
        for item in value.get("messages") or [] if isinstance(value, dict) else []:
            if not isinstance(item, dict) or item.get("type") != "text" or not item.get("id"):
                continue
            text = item.get("text")
            body = text.get("body") if isinstance(text, dict) else None
            phone = normalize_phone(str(item.get("from") or "")[:20])
            if isinstance(body, str) and phone:
                found.append((str(item["id"])[:120], phone, body))
    return found


def whatsapp_webhook_apply(*, payload: Any) -> dict[str, int]:
    """Apply statuses (through the receipts service), STOP replies and aspirations of one WhatsApp webhook."""
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
    result = {"receipts": receipts, "opted_out": opted_out}
    keyword_messages = [
        message
        for message in whatsapp_inbound_messages(payload)
        if not is_stop_word(message[2]) and starts_with_keyword(message[2])
    ]
    if keyword_messages:
        # "aspirations": how many of them made a new aspiration (a repeated webhook makes none).
        result["aspirations"] = sum(
            _aspiration_from(IntakeChannel.WHATSAPP, wamid, phone, text) for wamid, phone, text in keyword_messages
        )
    if images := whatsapp_image_intake(payload=payload):
        created = sum(outcome.result == IntakeResult.CREATED for outcome in images)
        result["aspirations"] = result.get("aspirations", 0) + created
    return result


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
    if isinstance(event, InboundText) and starts_with_keyword(event.text):
        message_id = (update.get("message") or {}).get("message_id")
        source_ref = f"{event.address}:{message_id}" if message_id is not None else f"update:{update.get('update_id')}"
        outcome = aspiration_intake(
            message=InboundMessage(
                channel=IntakeChannel.TELEGRAM, source_ref=source_ref[:120], sender=event.address, text=event.text
            )
        )
        return f"aspiration_{outcome.result}"
    if (photo := telegram_photo_intake(update=update)) is not None:
        return f"aspiration_{photo.result}"
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
    id: str = ""  # the gateway's message id (optional): an aspiration is keyed by it


# A concatenated SMS holds at most 255 parts of 153 characters.
SMS_INBOUND_TEXT_MAX = 40_000


def _string(payload: dict[str, Any], key: str, *, required: bool = True, max_length: int = 1000) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str) or len(value) > max_length or (required and not value.strip()):
        raise SmsWebhookInvalid(_("The field %(field)s is missing or not a text.") % {"field": key})
    return value.strip()


def _inbound_id(value: Any) -> str:
    """The gateway's id of an inbound SMS (a text or a number; anything else is no id)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return str(value).strip()[:120]


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
        return SmsInbound(
            phone=phone,
            text=_string(payload, "text", required=False, max_length=SMS_INBOUND_TEXT_MAX),
            id=_inbound_id(payload.get("id")),
        )
    raise SmsWebhookInvalid(_("The type must be status or inbound."))


@transaction.atomic
def phone_sms_opt_out(*, phone: str) -> int:
    """A STOP reply from `phone` by SMS: withdraw SMS consent of every member with that number."""
    members = KimMember.objects.select_related("kim").filter(phone=phone, consent_sms=True)
    return sum(member_consent_withdraw(member=member, channel="sms", source="sms_stop") for member in members)


def sms_webhook_apply(*, payload: Any) -> dict[str, int]:
    """Apply one delivery report (through the receipts service) or one reply (STOP opts out,
    ASPIRASI… goes to the aspirations intake).

    Raises SmsWebhookInvalid before changing anything when the payload is malformed.
    """
    event = parse_sms_webhook(payload)
    if isinstance(event, SmsStatusReport):
        receipts = delivery_record_receipt(
            channel="sms", provider_id=event.provider_id, status=event.status, error=event.error
        )
        return {"receipts": receipts, "opted_out": 0}
    if is_stop_word(event.text):
        return {"receipts": 0, "opted_out": phone_sms_opt_out(phone=event.phone)}
    if starts_with_keyword(event.text):
        # Without a gateway id, the same text from the same phone is the same message.
        source_ref = event.id or "sha256:" + hashlib.sha256(f"{event.phone}\n{event.text}".encode()).hexdigest()
        created = _aspiration_from(IntakeChannel.SMS, source_ref, event.phone, event.text)
        return {"receipts": 0, "opted_out": 0, "aspirations": int(created)}
    return {"receipts": 0, "opted_out": 0}
