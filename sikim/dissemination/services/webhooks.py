"""Applying what providers post to our webhooks: WhatsApp statuses and STOP replies, Telegram
/start links, STOP and blocks. Every step is idempotent: providers deliver a webhook more than once.
"""

import logging
from typing import Any

from django.utils.translation import gettext as _

from sikim.dissemination.channels.base import ChannelError, OutgoingMessage
from sikim.dissemination.channels.registry import get_channel
from sikim.dissemination.channels.webhooks import (
    InboundText,
    TelegramBlocked,
    TelegramStart,
    parse_telegram_update,
    parse_whatsapp_webhook,
)
from sikim.dissemination.services.optout import (
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
