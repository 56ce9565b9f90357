"""Messages about aspirations: to the citizen on every state change, to the office a case is
routed to, and to the pembina and office head when a case is overdue (escalation, daily digest).

Everything is sent by durable tasks after the transaction commits (`sikim.core.durable`), so a
slow provider never slows a page and a worker that dies mid-send does not lose a message. The
citizen hears on their own channel: email when they have an address (their account's, or the
contact email), else SMS to their phone (when the SMS gateway is configured), and Telegram too
when they are a KIM member who linked Telegram and agreed to it.

A citizen without an account gets the secret link of their aspiration (`citizen_link`) in every
message, so they can confirm, rate, reopen and correct without logging in.

Confidential: a message to an office, a pembina or an office head never names the author,
never carries their phone or email, and not the text (it may hold them): only the ticket code,
category, village, deadline and a link to the desk, where access is checked.

Exactly once enough: each message carries a key made of the timeline event (SMS `reference`,
email Message-ID), so a retried task is recognised by the gateway or the mail reader.
Escalations and digests are recorded in the audit log before they are sent, under a row lock,
so running the periodic work twice sends nothing twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sikim.accounts.models import Role, RoleGrant, User
from sikim.aspirations.models import (
    AWAITING_OFFICE,
    Aspiration,
    AspirationEvent,
    AspirationEventKind,
    AspirationState,
    IntakeChannel,
)
from sikim.aspirations.selectors.author_key import QUERY_PARAMETER, author_key_for
from sikim.aspirations.selectors.deadlines import aspirations_overdue, overdue_q
from sikim.audit.models import AuditEvent
from sikim.audit.services import audit_record
from sikim.core.durable import enqueue_after_commit
from sikim.dissemination.channels.base import OutgoingMessage
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.services.notices import notice_email, send_notice
from sikim.kim.models import PembinaOffice
from sikim.offices.models import GovernmentOffice
from sikim.offices.selectors import covering_codes, officers_of
from sikim.wilayah.models import subtree_q

JAKARTA: Final = ZoneInfo("Asia/Jakarta")  # WIB: the digest hour and the dates in messages

# Kinds of events that put a case with an office: the office is told.
OFFICE_EVENTS: Final = {AspirationEventKind.FORWARDED, AspirationEventKind.REROUTED, AspirationEventKind.REOPENED}
ESCALATION_ACTION: Final = "aspirations.escalate"
DIGEST_ACTION: Final = "aspirations.digest"
DIGEST_HOUR: Final = 7  # WIB
ESCALATION_BATCH: Final = 500
DIGEST_LIST_MAX: Final = 50


@dataclass(frozen=True)
class Sent:
    channel: str
    address: str


# --- links -----------------------------------------------------------------------------------
def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def tracking_url(code: str) -> str:
    """The public tracking page of a ticket (no login needed)."""
    return _absolute(reverse("aspirations:track", kwargs={"code": code}))


def citizen_link(aspiration: Aspiration) -> str:
    """The link in the citizen's messages: for a citizen without an account, the secret link
    (`selectors.author_key`) that lets them confirm, rate, reopen and correct; else the tracking page."""
    link = tracking_url(aspiration.code)
    key = author_key_for(aspiration)
    return f"{link}?{QUERY_PARAMETER}={key}" if key else link


def desk_url(code: str) -> str:
    """The case on the officials' desk (access checked there)."""
    return _absolute(reverse("aspirations:case", kwargs={"code": code}))


def _state_label(state: str) -> str:
    return str(AspirationState(state).label) if state in AspirationState.values else state


# --- sending ---------------------------------------------------------------------------------
def _send(channel_name: str, message: OutgoingMessage) -> bool:
    return send_notice(channel_name, message, topic="Aspiration notice")


def _email(address: str, subject: str, lines: list[str], link: str, key: str) -> bool:
    return _send("email", notice_email(address, subject, lines, link, key))


# --- to the citizen --------------------------------------------------------------------------
@dataclass(frozen=True)
class CitizenAddresses:
    email: str
    phone: str
    telegram_chat: str


def citizen_addresses(aspiration: Aspiration) -> CitizenAddresses:
    """Where the citizen hears about their aspiration (the author's account, else the contact)."""
    author = aspiration.author if aspiration.author_id is not None else None
    email = aspiration.contact_email or (author.email if author is not None and author.email else "")
    phone = aspiration.contact_phone or (author.phone if author is not None and author.phone else "")
    chat = ""
    if author is not None:
        link = (
            TelegramLink.objects.filter(member__user=author, member__is_active=True, member__consent_telegram=True)
            .only("chat_id")
            .first()
        )
        chat = link.chat_id if link is not None else ""
    return CitizenAddresses(email=email or "", phone=phone or "", telegram_chat=chat)


def citizen_message_text(aspiration: Aspiration, event: AspirationEvent) -> str:
    """Short: the ticket code, the new state and (appended by each channel) the tracking link."""
    state = _state_label(event.to_state or aspiration.state)
    if event.kind == AspirationEventKind.SUBMITTED:
        return _("SIKIM: your aspiration was received, ticket %(code)s. Keep this code to follow it.") % {
            "code": aspiration.code
        }
    return _("SIKIM %(code)s: your aspiration is now “%(state)s”.") % {"code": aspiration.code, "state": state}


def notify_citizen(aspiration: Aspiration, event: AspirationEvent) -> list[Sent]:
    """Tell the citizen about `event`: email (else SMS), and Telegram when linked and agreed."""
    if event.kind == AspirationEventKind.SUBMITTED and aspiration.channel == IntakeChannel.WHATSAPP:
        # The intake's WhatsApp reply is the receipt; an SMS to the same number would repeat it.
        return []
    addresses = citizen_addresses(aspiration)
    link = citizen_link(aspiration)
    key = f"aspiration-event-{event.pk}"
    sent: list[Sent] = []
    with translation.override(settings.LANGUAGE_CODE):
        text = citizen_message_text(aspiration, event)
        lines = [text]
        if event.kind == AspirationEventKind.ANSWERED and aspiration.answer:
            lines.append(_("The office's answer is on the tracking page."))
        subject = _("Aspiration %(code)s: %(state)s") % {
            "code": aspiration.code,
            "state": _state_label(event.to_state or aspiration.state),
        }
        if addresses.email:
            if _email(addresses.email, subject, lines, link, key):
                sent.append(Sent("email", addresses.email))
        elif addresses.phone and aspiration.channel == IntakeChannel.WHATSAPP:
            # A citizen who wrote by WhatsApp hears back there, as an approved template message
            # (business-initiated messages outside the 24-hour window must be templates).
            message = OutgoingMessage(address=addresses.phone, subject=subject, text=text, link=link)
            if _send("whatsapp", message):
                sent.append(Sent("whatsapp", addresses.phone))
        elif addresses.phone:
            sms = OutgoingMessage(
                address=addresses.phone, subject="", text=text, link=link, options={"reference": f"sikim-{key}"}
            )
            if _send("sms", sms):
                sent.append(Sent("sms", addresses.phone))
        if addresses.telegram_chat:
            message = OutgoingMessage(address=addresses.telegram_chat, subject="", text=text, link=link)
            if _send("telegram", message):
                sent.append(Sent("telegram", addresses.telegram_chat))
    return sent


# --- to the office ---------------------------------------------------------------------------
def office_addresses(office: GovernmentOffice) -> list[str]:
    addresses = {office.email} if office.email else set()
    addresses |= {user.email for user in officers_of(office) if user.email}
    if office.head_id is not None and office.head is not None and office.head.email:
        addresses.add(office.head.email)
    return sorted(a.lower() for a in addresses if a)


def _case_lines(aspiration: Aspiration) -> list[str]:
    """What officials read about a case in a message: never the author, the contact or the text."""
    lines = [
        _("Ticket: %(code)s") % {"code": aspiration.code},
        _("Category: %(category)s") % {"category": aspiration.get_category_display()},
        _("Village: %(village)s") % {"village": aspiration.region.name},
        _("State: %(state)s") % {"state": _state_label(aspiration.state)},
    ]
    due = aspiration.followup_due if aspiration.state in AWAITING_OFFICE else aspiration.verify_due
    if due is not None:
        lines.append(_("Due: %(due)s WIB") % {"due": due.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M")})
    return lines


def notify_office(aspiration: Aspiration, event: AspirationEvent) -> list[Sent]:
    """Tell the office a case was routed (or reopened) to it. No identity of the author."""
    office = event.office
    if office is None:
        return []
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New aspiration %(code)s for %(office)s") % {"code": aspiration.code, "office": office.display_name}
        if event.kind == AspirationEventKind.REOPENED:
            subject = _("Aspiration %(code)s reopened by the citizen") % {"code": aspiration.code}
        lines = [
            _("An aspiration was routed to your office. Open it in SIKIM to follow it up:"),
            *_case_lines(aspiration),
        ]
        for address in office_addresses(office):
            if _email(address, subject, lines, desk_url(aspiration.code), f"aspiration-event-{event.pk}-office"):
                sent.append(Sent("email", address))
    return sent


# --- the task enqueued on commit ---------------------------------------------------------------
@task()
def aspiration_notify(event_ids: list[int]) -> int:
    """Tell the citizen about the last state change of one service call, and the office when the
    case was routed to it. Returns how many messages were handed to a channel."""
    events = list(
        AspirationEvent.objects.filter(pk__in=event_ids)
        .select_related("office", "office__head", "aspiration", "aspiration__author", "aspiration__region")
        .order_by("created_at", "id")
    )
    if not events:
        return 0
    aspiration = events[-1].aspiration
    sent = notify_citizen(aspiration, events[-1])
    for event in events:
        if event.kind in OFFICE_EVENTS:
            sent += notify_office(aspiration, event)
    return len(sent)


def notify_state_change(aspiration: Aspiration) -> None:
    """Called by the services inside their transaction: after commit, send the notices of the
    state changes this call made (its events share one timestamp). A durable task: a worker that
    dies mid-send does not lose them."""
    latest = list(
        aspiration.events.exclude(to_state="").order_by("-created_at", "-id").values_list("pk", "created_at")[:5]
    )
    if not latest:
        return
    event_ids = [pk for pk, created_at in latest if created_at == latest[0][1]]
    enqueue_after_commit(aspiration_notify, event_ids)


# --- escalation of overdue cases ---------------------------------------------------------------
def region_pembina(region_code: str) -> list[User]:
    """Active pembina whose region contains `region_code`."""
    user_ids = RoleGrant.objects.filter(
        role=Role.PEMBINA, region_id__in=covering_codes(region_code), revoked_at__isnull=True
    ).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _deadline(aspiration: Aspiration) -> datetime | None:
    return aspiration.followup_due if aspiration.state in AWAITING_OFFICE else aspiration.verify_due


def _escalation_key(aspiration: Aspiration, deadline: datetime) -> dict[str, str]:
    return {"state": aspiration.state, "deadline": deadline.isoformat()}


def escalation_recipients(aspiration: Aspiration) -> list[str]:
    addresses = {user.email for user in region_pembina(aspiration.region_id) if user.email}
    office = aspiration.office
    if aspiration.state in AWAITING_OFFICE and office is not None:
        if office.head_id is not None and office.head is not None and office.head.email:
            addresses.add(office.head.email)
        elif office.email:
            addresses.add(office.email)
    return sorted(a.lower() for a in addresses if a)


@task()
def aspiration_escalation_send(aspiration_id: int) -> None:
    """Mail one escalation (recorded in the audit log already) to the pembina and the office head."""
    aspiration = Aspiration.objects.select_related("region", "office", "office__head").filter(pk=aspiration_id).first()
    if aspiration is None:
        return  # deleted meanwhile
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Overdue aspiration %(code)s") % {"code": aspiration.code}
        lines = [_("This aspiration is past its deadline:"), *_case_lines(aspiration)]
        if aspiration.office is not None:
            lines.append(_("Office: %(office)s") % {"office": aspiration.office.display_name})
        for address in escalation_recipients(aspiration):
            _email(address, subject, lines, desk_url(aspiration.code), f"aspiration-{aspiration.pk}-escalation")


def was_escalated(aspiration: Aspiration, deadline: datetime) -> bool:
    return AuditEvent.objects.filter(
        action=ESCALATION_ACTION,
        object_type=Aspiration._meta.label_lower,
        object_id=str(aspiration.pk),
        after__state=aspiration.state,
        after__deadline=deadline.isoformat(),
    ).exists()


def aspirations_escalate(*, now: datetime | None = None) -> int:
    """Escalate every overdue case once per deadline: recorded in the audit log (no model field),
    then mailed to the region's pembina and the office head after commit. Returns how many."""
    now = now or timezone.now()
    escalated = 0
    for pk in list(aspirations_overdue(now).values_list("pk", flat=True)[:ESCALATION_BATCH]):
        with transaction.atomic():
            aspiration = Aspiration.objects.select_for_update().filter(pk=pk).filter(overdue_q(now)).first()
            if aspiration is None:
                continue
            deadline = _deadline(aspiration)
            if deadline is None or was_escalated(aspiration, deadline):
                continue
            audit_record(
                actor=None, action=ESCALATION_ACTION, obj=aspiration, after=_escalation_key(aspiration, deadline)
            )
            enqueue_after_commit(aspiration_escalation_send, aspiration.pk)
            escalated += 1
    return escalated


# --- the daily digest ----------------------------------------------------------------------------
def _digest_lines(aspirations: Iterable[Aspiration]) -> list[str]:
    lines = []
    for aspiration in aspirations:
        due = _deadline(aspiration)
        due_text = due.astimezone(JAKARTA).strftime("%d-%m-%Y") if due else "-"
        lines.append(
            f"{aspiration.code} · {aspiration.get_category_display()} · {aspiration.region.name} · "
            f"{_state_label(aspiration.state)} · {due_text}"
        )
    return lines


def _digest_sent(kind: str, pk: int, day: str) -> bool:
    return AuditEvent.objects.filter(action=DIGEST_ACTION, object_type=kind, object_id=str(pk), after__day=day).exists()


@task()
def aspiration_digest_send(addresses: list[str], name: str, aspiration_ids: list[int], total: int, key: str) -> None:
    """Mail one day's digest (recorded in the audit log already) to the addresses of one office."""
    by_pk = Aspiration.objects.select_related("region").in_bulk(aspiration_ids)
    overdue = [by_pk[pk] for pk in aspiration_ids if pk in by_pk]  # the longest overdue first, as listed
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("SIKIM: %(count)s overdue aspirations for %(name)s") % {"count": total, "name": name}
        lines = [_("Aspirations past their deadline (ticket · category · village · state · due):")]
        lines += _digest_lines(overdue)
        if total > len(overdue):
            lines.append(_("…and %(more)s more on the dashboard.") % {"more": total - len(overdue)})
        link = _absolute(reverse("aspirations:dashboard"))
        for address in addresses:
            _email(address, subject, lines, link, key)


@dataclass(frozen=True)
class DigestTarget:
    target: PembinaOffice | GovernmentOffice
    name: str
    addresses: list[str]
    scope: Q


def digest_targets(overdue_office_ids: set[int]) -> list[DigestTarget]:
    """Every Dinas Kominfo (its email and its pembina) and every office holding overdue cases."""
    targets = []
    for pembina_office in PembinaOffice.objects.all():
        addresses = {pembina_office.email} if pembina_office.email else set()
        addresses |= {u.email for u in region_pembina(pembina_office.region_id) if u.email}
        scope = subtree_q("region_id", pembina_office.region_id)
        targets.append(DigestTarget(pembina_office, pembina_office.name, sorted(a.lower() for a in addresses), scope))
    for office in GovernmentOffice.objects.filter(pk__in=overdue_office_ids).select_related("head"):
        targets.append(DigestTarget(office, office.display_name, office_addresses(office), Q(office=office)))
    return targets


def aspirations_daily_digest(*, now: datetime | None = None) -> int:
    """From 07:00 WIB, once a day: each Dinas Kominfo (pembina office) and each office with
    overdue cases gets their list. Recorded in the audit log per office and day (under a lock on
    the office's row), so a second run sends nothing; returns how many digests were sent now."""
    now = now or timezone.now()
    local = now.astimezone(JAKARTA)
    if local.hour < DIGEST_HOUR:
        return 0
    day = local.date().isoformat()
    overdue = aspirations_overdue(now)
    sent = 0
    for item in digest_targets(set(overdue.exclude(office=None).values_list("office_id", flat=True))):
        cases = overdue.filter(item.scope)
        total = cases.count() if item.addresses else 0
        if not total:
            continue
        kind, pk = item.target._meta.label_lower, item.target.pk
        with transaction.atomic():
            type(item.target).objects.select_for_update().filter(pk=pk).exists()
            if _digest_sent(kind, pk, day):
                continue
            audit_record(actor=None, action=DIGEST_ACTION, obj=item.target, after={"day": day, "overdue": total})
            listed = list(cases.values_list("pk", flat=True)[:DIGEST_LIST_MAX])
            key = f"aspiration-digest-{kind}-{pk}-{day}"
            enqueue_after_commit(aspiration_digest_send, item.addresses, item.name, listed, total, key)
            sent += 1
    return sent
