"""Consent withdrawal (opt-out) and Telegram account linking.

Members stop a channel by replying STOP (WhatsApp, Telegram), by blocking the bot (Telegram) or by
following the signed opt-out link in a message. Every change is audited; repeating one changes
nothing. The actor is None: these come from the member, not from a logged-in user.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from sikim.audit.services import audit_record
from sikim.dissemination.models import TelegramLink
from sikim.kim.models import KimMember

# The member's consent field for each messaging channel.
CONSENT_FIELDS: dict[str, str] = {
    "email": "consent_email",
    "sms": "consent_sms",
    "whatsapp": "consent_whatsapp",
    "telegram": "consent_telegram",
}
_OPTOUT_SALT = "sikim.dissemination.optout"
_TELEGRAM_SALT = "sikim.dissemination.telegram-link"
# How long a /start deep link stays valid (seconds).
TELEGRAM_LINK_MAX_AGE = 7 * 24 * 3600


# --- Opt-out links ---------------------------------------------------------------------------------
def optout_token(member: KimMember, channel: str) -> str:
    """A signed token naming (member, channel): the same each time, never expiring (old messages keep their link)."""
    if channel not in CONSENT_FIELDS:
        raise ValueError(f"No consent for channel {channel!r}")
    return signing.Signer(salt=_OPTOUT_SALT).sign_object({"m": member.pk, "c": channel})


def optout_token_read(token: str) -> tuple[int, str] | None:
    """(member id, channel) of a genuine token, or None when it is forged or malformed."""
    try:
        data = signing.Signer(salt=_OPTOUT_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    member_id, channel = data.get("m"), data.get("c")
    if not isinstance(member_id, int) or channel not in CONSENT_FIELDS:
        return None
    return member_id, channel


def optout_url(member: KimMember, channel: str) -> str:
    """The absolute opt-out link to append to a message sent to `member` on `channel`."""
    path = reverse("dissemination:optout", kwargs={"token": optout_token(member, channel)})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def member_consent_withdraw(*, actor: object = None, member: KimMember, channel: str, source: str) -> bool:
    """Set the member's consent for `channel` to False; True when it was given before (audited)."""
    field = CONSENT_FIELDS[channel]
    changed = KimMember.objects.filter(pk=member.pk, **{field: True}).update(**{field: False}) == 1
    setattr(member, field, False)
    if changed:
        audit_record(
            actor=actor,
            action="dissemination.consent_withdrawn",
            obj=member,
            before={field: True},
            after={field: False, "source": source},
        )
    return changed


@transaction.atomic
def phone_whatsapp_opt_out(*, phone: str) -> int:
    """A STOP reply from `phone` on WhatsApp: withdraw WhatsApp consent of every member with it."""
    members = KimMember.objects.select_related("kim").filter(phone=phone, consent_whatsapp=True)
    return sum(member_consent_withdraw(member=member, channel="whatsapp", source="whatsapp_stop") for member in members)


# --- Telegram linking ------------------------------------------------------------------------------
def telegram_link_token(member: KimMember) -> str:
    """A signed, expiring token of the member id that fits Telegram's start parameter ([A-Za-z0-9_-]{≤64})."""
    signed = signing.TimestampSigner(salt=_TELEGRAM_SALT).sign(str(member.pk))
    # "id:timestamp:signature" → "id_timestamp_signature": neither id nor base62 timestamp contain "_".
    return signed.replace(":", "_", 2)


def telegram_link_token_read(token: str, *, max_age: int = TELEGRAM_LINK_MAX_AGE) -> int | None:
    """The member id of a genuine, unexpired token, or None."""
    parts = token.split("_", 2)
    if len(parts) != 3:
        return None
    try:
        value = signing.TimestampSigner(salt=_TELEGRAM_SALT).unsign(":".join(parts), max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return int(value) if value.isdigit() else None


def telegram_link_url(member: KimMember) -> str:
    """The deep link that opens the bot and links the chat: https://t.me/<bot>?start=<token>."""
    username = getattr(settings, "SIKIM_TELEGRAM_BOT_USERNAME", "").lstrip("@")
    if not username:
        raise ValueError("SIKIM_TELEGRAM_BOT_USERNAME is not set")
    return f"https://t.me/{username}?start={telegram_link_token(member)}"


@transaction.atomic
def telegram_link_create(*, member: KimMember, chat_id: str) -> TelegramLink:
    """Link `chat_id` to `member` (one chat per member, one member per chat) and record consent."""
    existing = TelegramLink.objects.filter(member=member, chat_id=chat_id).first()
    if existing is not None and member.consent_telegram:
        return existing  # the same link followed again: nothing changes
    # The chat may have been linked to another membership before: it now belongs to this one.
    TelegramLink.objects.filter(chat_id=chat_id).exclude(member=member).delete()
    link, _created = TelegramLink.objects.update_or_create(member=member, defaults={"chat_id": chat_id})
    was = member.consent_telegram
    KimMember.objects.filter(pk=member.pk).update(consent_telegram=True)
    member.consent_telegram = True
    audit_record(
        actor=None,
        action="dissemination.telegram_linked",
        obj=member,
        before={"consent_telegram": was},
        after={"consent_telegram": True, "chat_id": chat_id},
    )
    return link


@transaction.atomic
def telegram_chat_unlink(*, chat_id: str, source: str) -> KimMember | None:
    """STOP or a blocked bot: forget the chat and withdraw Telegram consent. None when not linked."""
    link = TelegramLink.objects.select_related("member__kim").filter(chat_id=chat_id).first()
    if link is None:
        return None
    member = link.member
    link.delete()
    audit_record(actor=None, action="dissemination.telegram_unlinked", obj=member, after={"source": source})
    member_consent_withdraw(member=member, channel="telegram", source=source)
    return member
