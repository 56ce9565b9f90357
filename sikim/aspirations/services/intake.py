"""Aspirations that arrive by message: SMS, Telegram, WhatsApp and email.

The provider webhooks (checked in `sikim.dissemination.views_webhooks`) and the inbound email
endpoint and command hand one message each to `aspiration_intake`. The text follows the keyword
format of `intake_format` (optional in email). The village is the one in the message, or the
sender's known one: a User or an active KimMember with that phone number, linked Telegram chat or
email address (the member's KIM village). Submission itself is `aspiration_submit`: the same
checks as the web form.

Who is the author: nobody; the sender is the contact (the phone number on SMS and WhatsApp, the
address in email), with the name of their known profile. A Telegram chat only counts once it is
linked to a member (through the bot's `/start` link): the member's account becomes the author,
else the member's phone or email is the contact. An unlinked chat gives no way to follow up, so it
is told to use SMS, WhatsApp or the web form.

Replies go back on the same channel, from a durable task after the commit (`sikim.core.durable`:
a worker that dies mid-send does not lose it): the ticket code and the tracking link, or a short
help text when the message cannot be understood (nothing is created then). The citizen's own
notice of the submission (`notifications.notify_citizen`) is the receipt when it already goes to
the sender's address on that channel (SMS to that phone, email to that address, Telegram to that
chat); otherwise the intake sends one.

Exactly once: `source_ref` is the provider's message id (Telegram `chat_id:message_id`, WhatsApp
wamid, the SMS gateway's id, the email Message-ID). A delivery repeated, even concurrently, finds
the aspiration the first one made (the unique constraint on channel + source_ref decides the race)
and neither creates nor replies. A help reply is sent once per message, however often it comes
(the durable task's `once_key`).

Photos (`intake_media`, `intake_photos`): a Telegram photo or WhatsApp image whose caption opens
with the keyword makes its aspiration at once; the picture is noted with it and fetched from the
provider by a task after the commit, so the webhook never waits on the provider and a repeated
delivery (which makes nothing) fetches nothing. The photo is a bonus to the text: when it cannot
be fetched, or is not a picture a web upload would be, the aspiration stays without it.
"""

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from enum import StrEnum
from functools import partial
from html import unescape
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from sikim.accounts.models import User
from sikim.aspirations.models import TITLE_MAX_LENGTH, Aspiration, IntakeChannel
from sikim.aspirations.services.intake_format import (
    CATEGORY_NAMES,
    CATEGORY_SYNONYMS,
    ParsedAspiration,
    parse_aspiration,
    starts_with_keyword,
    village_code,
)
from sikim.aspirations.services.intake_media import (
    MediaMessage,
    MediaRef,
    telegram_photo_message,
    whatsapp_image_messages,
)
from sikim.aspirations.services.intake_photos import message_photos_hold
from sikim.aspirations.services.notifications import citizen_addresses, citizen_link
from sikim.aspirations.services.submission import MAX_PHOTOS, SOURCE_REF_MAX_LENGTH, aspiration_submit
from sikim.core.durable import enqueue_after_commit
from sikim.dissemination.channels.base import OutgoingMessage
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.services.notices import notice_message_id, send_notice
from sikim.kim.models import KimMember
from sikim.wilayah.models import Region, RegionLevel

logger = logging.getLogger(__name__)

MESSAGE_CHANNELS: Final = (IntakeChannel.SMS, IntakeChannel.TELEGRAM, IntakeChannel.WHATSAPP, IntakeChannel.EMAIL)
# A raw email larger than this is refused before it is parsed (413 / the command fails).
EMAIL_MAX_BYTES: Final = 2_000_000
# Text beyond this is not even looked at: the submission says "at most 5,000 characters".
INBOUND_TEXT_MAX: Final = 100_000
EMAIL_HEADER_MAX: Final = 998


class IntakeResult(StrEnum):
    CREATED = "created"  # a new aspiration; the receipt is on its way
    DUPLICATE = "duplicate"  # this message already made an aspiration: nothing done
    HELP = "help"  # not understood (or no village): a help text is on its way, nothing created
    REFUSED = "refused"  # understood but not accepted (too long, too many, no KIM…): told why
    IGNORED = "ignored"  # not for us (an auto-reply, an empty mail): no answer


@dataclass(frozen=True)
class InboundMessage:
    channel: str  # an IntakeChannel of MESSAGE_CHANNELS
    source_ref: str  # the provider's message id
    sender: str  # "+62…" (SMS, WhatsApp), a Telegram chat id, an email address
    text: str
    subject: str = ""  # email only
    sender_name: str = ""  # the email From display name
    media: tuple[MediaRef, ...] = ()  # photos held by the provider (Telegram, WhatsApp)


@dataclass(frozen=True)
class IntakeOutcome:
    result: IntakeResult
    aspiration: Aspiration | None = None


@dataclass(frozen=True)
class SenderProfile:
    region_code: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    user: User | None = None  # the author: only for a linked Telegram chat


# --- who sent it --------------------------------------------------------------------------------
def _village(code: str | None) -> str:
    return code if code and code.count(".") == 3 else ""


def _profile(user: User | None, member: KimMember | None, *, author: bool = False) -> SenderProfile:
    region = _village(user.home_region_id if user is not None else None) or _village(
        member.kim.region_id if member is not None else None
    )
    return SenderProfile(
        region_code=region,
        name=(user.full_name if user is not None else "") or (member.name if member is not None else ""),
        phone=(member.phone if member is not None and member.phone else "") or (user.phone or "" if user else ""),
        email=(member.email if member is not None else "") or (user.email or "" if user else ""),
        user=user if author else None,
    )


def sender_profile(channel: str, sender: str) -> SenderProfile:
    """What we know of the sender: their village, name and contact (empty when unknown)."""
    members = KimMember.objects.select_related("kim", "user").filter(is_active=True).order_by("pk")
    users = User.objects.filter(is_active=True)
    if channel == IntakeChannel.TELEGRAM:
        link = (
            TelegramLink.objects.select_related("member__kim", "member__user")
            .filter(chat_id=sender, member__is_active=True)
            .first()
        )
        if link is None:
            return SenderProfile()
        member = link.member
        user = member.user if member.user is not None and member.user.is_active else None
        return _profile(user, member, author=True)
    if channel == IntakeChannel.EMAIL:
        return _profile(users.filter(email__iexact=sender).first(), members.filter(email__iexact=sender).first())
    return _profile(users.filter(phone=sender).first(), members.filter(phone=sender).first())


# --- replies ------------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _reply_key(message: InboundMessage) -> str:
    digest = hashlib.sha256(f"{message.channel}:{message.sender}:{message.source_ref}".encode()).hexdigest()[:32]
    return f"aspirasi-{digest}"


@task()
def aspiration_intake_reply(
    channel: str, address: str, subject: str, text: str, link: str, key: str, reply_to: str = ""
) -> bool:
    """Send one reply on the channel a message came in by. Best effort: a failure is logged.

    `reply_to` is the WhatsApp message answered: the reply is then a text quoting it (inside the
    24-hour window), not a template.
    """
    options = {"reference": f"sikim-{key}"} if channel == IntakeChannel.SMS else {}
    if channel == IntakeChannel.EMAIL:
        options = {"message_id": notice_message_id(key)}
    if channel == IntakeChannel.WHATSAPP and reply_to:
        options = {"whatsapp_reply_to": reply_to}
    message = OutgoingMessage(address=address, subject=subject, text=text, link=link, options=options)
    return send_notice(channel, message, topic="Aspiration intake reply")


def _reply_after_commit(
    message: InboundMessage, subject: str, text: str, link: str, *, once_key: str | None = None
) -> None:
    """Send the reply after the commit, as a durable task: a worker that dies mid-send does not lose it."""
    enqueue_after_commit(
        aspiration_intake_reply,
        message.channel,
        message.sender,
        subject,
        text,
        link,
        _reply_key(message),
        reply_to=message.source_ref,
        once_key=once_key,
    )


def _reply_once(message: InboundMessage, text: str) -> None:
    """A help or refusal reply, at most once per message however often, and to whichever web
    process, the provider delivers it (the durable task's `once_key`, kept a week)."""
    subject = _("SIKIM: how to send an aspiration")
    link = _absolute(reverse("aspirations:submit"))
    _reply_after_commit(message, subject, text, link, once_key=_reply_key(message))


def help_text(channel: str) -> str:
    """The short help: the format, with an example."""
    if channel == IntakeChannel.EMAIL:
        return _(
            "SIKIM: we could not read your aspiration. Write what happened in the message and put your "
            "village code (e.g. 63.72.05.1004) in the subject or the text. You can also use the form:"
        )
    return _(
        "SIKIM: to send an aspiration write ASPIRASI <category> <text>, e.g. ASPIRASI JALAN The road in "
        "front of the school is broken. If we do not know your village yet, add its code: ASPIRASI "
        "63.72.05.1004 JALAN ... Add RAHASIA to keep it confidential. Or use the form:"
    )


def _receipt(message: InboundMessage, aspiration: Aspiration) -> None:
    """In the transaction that made `aspiration`: after the commit, reply with the ticket code and
    tracking link, unless the citizen's notice already goes there."""
    addresses = citizen_addresses(aspiration)
    covered = {
        IntakeChannel.SMS: not addresses.email and addresses.phone == message.sender,
        IntakeChannel.EMAIL: addresses.email.lower() == message.sender.lower(),
        IntakeChannel.TELEGRAM: addresses.telegram_chat == message.sender,
    }.get(IntakeChannel(message.channel), False)
    if covered:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Aspiration %(code)s received") % {"code": aspiration.code}
        text = _("SIKIM: your aspiration was received, ticket %(code)s. Keep this code to follow it.") % {
            "code": aspiration.code
        }
    # The secret link, as in every notice: a message sender has no account to confirm or rate with.
    _reply_after_commit(message, subject, text, citizen_link(aspiration))


# --- the intake ---------------------------------------------------------------------------------
def _parse(message: InboundMessage) -> tuple[ParsedAspiration | None, str]:
    """The aspiration in the message and its title (email: the subject)."""
    if message.channel != IntakeChannel.EMAIL:
        return parse_aspiration(message.text), ""
    subject = " ".join(message.subject.split())
    if starts_with_keyword(subject):
        return parse_aspiration(f"{subject}\n\n{message.text}", find_village_anywhere=True), ""
    parsed = parse_aspiration(message.text, keyword_required=False, find_village_anywhere=True)
    if parsed is None:
        return None, ""
    words = subject.split()
    region = parsed.region_code or next((code for word in words if (code := village_code(word))), "")
    # The subject sums the mail up: a topic named there comes before one in the text.
    category = subject_category(words) or parsed.category
    title = subject[:TITLE_MAX_LENGTH]
    return ParsedAspiration(
        category=category, text=parsed.text, region_code=region, visibility=parsed.visibility
    ), title


def subject_category(words: list[str]) -> str:
    """The category a subject names (its own name or a topic word), or ""."""
    for word in (token.strip(".,:;!?()").lower() for token in words):
        if found := CATEGORY_NAMES.get(word) or CATEGORY_SYNONYMS.get(word):
            return found
    return ""


def _too_many(message: InboundMessage, now: datetime) -> bool:
    """The same per-hour limit as anonymous web submissions (SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR; 0 = off)."""
    limit = int(getattr(settings, "SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR", 0) or 0)
    if not limit:
        return False
    recent = Aspiration.objects.filter(channel=message.channel, submitted_at__gte=now - timedelta(hours=1))
    if message.channel == IntakeChannel.EMAIL:
        recent = recent.filter(contact_email__iexact=message.sender)
    elif message.channel == IntakeChannel.TELEGRAM:
        recent = recent.filter(source_ref__startswith=f"{message.sender}:")
    else:
        recent = recent.filter(Q(contact_phone=message.sender))
    return recent.count() >= limit


def _refusal(error: ValidationError) -> str:
    messages = [str(text) for text in error.messages]
    return _("SIKIM: your aspiration was not received. %(reasons)s") % {"reasons": " ".join(messages)}


def aspiration_intake(*, message: InboundMessage, now: datetime | None = None) -> IntakeOutcome:
    """Turn one inbound message into an aspiration (or a help reply). Safe to call twice.

    Replies are written in the site's language (Bahasa Indonesia), whatever the caller's.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _intake(message, now or timezone.now())


def _intake(message: InboundMessage, now: datetime) -> IntakeOutcome:
    if message.channel not in MESSAGE_CHANNELS:
        raise ValueError(f"Not a message channel: {message.channel}")
    message = replace(
        message,
        source_ref=message.source_ref[:SOURCE_REF_MAX_LENGTH],
        text=message.text[:INBOUND_TEXT_MAX],
        subject=message.subject[:EMAIL_HEADER_MAX],
        media=message.media[:MAX_PHOTOS],
    )
    if Aspiration.objects.filter(channel=message.channel, source_ref=message.source_ref).exists():
        return IntakeOutcome(IntakeResult.DUPLICATE)
    parsed, title = _parse(message)
    if parsed is None:
        _reply_once(message, help_text(message.channel))
        return IntakeOutcome(IntakeResult.HELP)
    profile = sender_profile(message.channel, message.sender)
    region = parsed.region_code or profile.region_code
    if not region:
        _reply_once(message, help_text(message.channel))
        return IntakeOutcome(IntakeResult.HELP)
    if not Region.objects.filter(code=region, level=RegionLevel.DESA_KELURAHAN).exists():
        _reply_once(
            message,
            _(
                "SIKIM: the village code %(code)s is not known. Check it (e.g. 63.72.05.1004) and send "
                "again, or use the form:"
            )
            % {"code": region},
        )
        return IntakeOutcome(IntakeResult.HELP)
    phone = email = ""
    if message.channel in (IntakeChannel.SMS, IntakeChannel.WHATSAPP):
        phone = message.sender
    elif message.channel == IntakeChannel.EMAIL:
        email = message.sender
    else:
        phone, email = profile.phone, profile.email
        if profile.user is None and not (phone or email):
            _reply_once(
                message,
                _(
                    "SIKIM: this Telegram chat is not linked to a KIM member, so we could not tell you "
                    "about the answer. Send your aspiration by SMS or WhatsApp, or use the form:"
                ),
            )
            return IntakeOutcome(IntakeResult.REFUSED)
    if _too_many(message, now):
        _reply_once(message, _("SIKIM: you have sent many aspirations in the last hour. Please try again later."))
        return IntakeOutcome(IntakeResult.REFUSED)
    submit = partial(
        aspiration_submit,
        actor=profile.user,
        region=region,
        category=parsed.category,
        text=parsed.text,
        title=title,
        visibility=parsed.visibility,
        contact_name=(profile.name or message.sender_name)[:150],
        contact_phone=phone,
        contact_email=email,
        channel=message.channel,
        source_ref=message.source_ref,
        now=now,
    )
    try:
        aspiration, created = _create(message, submit, now)
    except ValidationError as error:
        _reply_once(message, _refusal(error))
        return IntakeOutcome(IntakeResult.REFUSED)
    return IntakeOutcome(IntakeResult.CREATED if created else IntakeResult.DUPLICATE, aspiration)


def _create(message: InboundMessage, submit: "partial[Aspiration]", now: datetime) -> tuple[Aspiration, bool]:
    with transaction.atomic():
        aspiration = submit()
        # A concurrent delivery of the same message that won the race returns its aspiration.
        created = aspiration.submitted_at == now
        if created:
            message_photos_hold(aspiration=aspiration, media=message.media)
            _receipt(message, aspiration)
    return aspiration, created


# --- photos by Telegram and WhatsApp --------------------------------------------------------------
def _media_intake(channel: str, media: MediaMessage) -> IntakeOutcome:
    return aspiration_intake(
        message=InboundMessage(
            channel=channel,
            source_ref=media.source_ref,
            sender=media.sender,
            text=media.caption,
            media=(media.media,),
        )
    )


def telegram_photo_intake(*, update: Any) -> IntakeOutcome | None:
    """A Telegram update with a photo captioned ASPIRASI…; None when the update is not one."""
    media = telegram_photo_message(update)
    return _media_intake(IntakeChannel.TELEGRAM, media) if media is not None else None


def whatsapp_image_intake(*, payload: Any) -> list[IntakeOutcome]:
    """Every image captioned ASPIRASI… of a WhatsApp webhook, one outcome each (none: no such image)."""
    return [_media_intake(IntakeChannel.WHATSAPP, media) for media in whatsapp_image_messages(payload)]


# --- email ----------------------------------------------------------------------------------------
class EmailTooLarge(ValueError):
    """The raw message is over EMAIL_MAX_BYTES."""


def _email_text(message: EmailMessage) -> str:
    """The plain text of a message; HTML only when there is no plain part, and then without tags."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except (LookupError, ValueError, AttributeError, TypeError):  # an unknown charset, a broken part
        return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = unescape(strip_tags(content))
    return content.replace("\r\n", "\n").strip()


def _is_automatic(message: EmailMessage) -> bool:
    """Auto-replies, bounces and lists are never answered (no mail loops, RFC 3834)."""
    auto = str(message.get("Auto-Submitted", "no") or "no").strip().lower()
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    return auto != "no" or precedence in {"bulk", "junk", "list", "auto_reply"} or bool(message.get("X-Autoreply"))


def _sender(message: EmailMessage) -> Address | None:
    try:
        header = message["From"]
        addresses = getattr(header, "addresses", ()) if header is not None else ()
    except (ValueError, TypeError, IndexError):
        return None
    return addresses[0] if addresses and "@" in addresses[0].addr_spec else None


def email_message_read(raw: bytes) -> InboundMessage | None:
    """An inbound email as an InboundMessage, or None when it has no sender to answer."""
    if len(raw) > EMAIL_MAX_BYTES:
        raise EmailTooLarge(f"{len(raw)} bytes")
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # noqa: S101 — policy.default always builds EmailMessage
    sender = _sender(message)
    if sender is None or _is_automatic(message):
        return None
    address = sender.addr_spec.strip().lower()
    own = parseaddr(str(settings.DEFAULT_FROM_EMAIL or ""))[1].lower()
    if not address or address == own:
        return None
    try:
        message_id = str(message.get("Message-ID", "") or "").strip()
        subject = str(message.get("Subject", "") or "")
    except (ValueError, TypeError, IndexError):
        message_id, subject = "", ""
    source_ref = message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}"
    return InboundMessage(
        channel=IntakeChannel.EMAIL,
        source_ref=source_ref,
        sender=address,
        text=_email_text(message),
        subject=" ".join(subject.split()),
        sender_name=" ".join(str(sender.display_name or "").split()),
    )


def email_intake(*, raw: bytes, now: datetime | None = None) -> IntakeOutcome:
    """One raw RFC 822 message (from the inbound endpoint or an MTA pipe). Raises EmailTooLarge."""
    message = email_message_read(raw)
    if message is None:
        return IntakeOutcome(IntakeResult.IGNORED)
    return aspiration_intake(message=message, now=now)
