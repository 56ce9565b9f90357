"""Messages to the requester about their information request, on their own channel.

Sent when the request is registered (its number and decision deadline), when the deadline is
extended (the new date and the written reason), when the body decides, and when the atasan PPID
answers an objection. The services call `request_notify_after_commit(pk, event)` inside their
transaction; `request_notify` runs after the commit as a durable task (`sikim.core.durable`), so a
slow provider never slows a page or undoes a decision, and a worker that dies mid-send does not
lose the notice.

The channel, as for aspirations (`sikim.aspirations.services.notifications`): email when the
request has an address (the one given, else the requester's account's), otherwise SMS to the
phone given; and Telegram as well when the requester's account is a KIM member who linked
Telegram and agreed to it. A message carries the tracking code and link, never the requester's
identity number or address. Each message has a key (email Message-ID, SMS `reference`) made of
the request and the event, so a retried task is recognised downstream.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from sikim.core.durable import enqueue_after_commit
from sikim.core.workdays import JAKARTA
from sikim.dissemination.channels.base import OutgoingMessage
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.services.notices import notice_email, send_notice
from sikim.kip import deadlines
from sikim.kip.models import Decision, InformationRequest, Objection
from sikim.kip.selectors.calendar import kip_calendar

TOPIC: Final = "KIP notice"

SMS_REASON_MAX: Final = 120


class RequestEvent(StrEnum):
    REGISTERED = "registered"
    EXTENDED = "extended"
    DECIDED = "decided"
    OBJECTION_ANSWERED = "objection_answered"


@dataclass(frozen=True)
class Sent:
    channel: str
    address: str


@dataclass(frozen=True)
class RequesterAddresses:
    email: str
    phone: str
    telegram_chat: str


# --- where and what ------------------------------------------------------------------------
def tracking_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('kip:track', kwargs={'code': code})}"


def requester_addresses(request: InformationRequest) -> RequesterAddresses:
    account = request.requester_user
    email = request.requester_email or (account.email if account is not None and account.email else "")
    chat = ""
    if account is not None:
        link = (
            TelegramLink.objects.filter(Q(member__user=account), member__is_active=True, member__consent_telegram=True)
            .only("chat_id")
            .first()
        )
        chat = link.chat_id if link is not None else ""
    return RequesterAddresses(email=email or "", phone=request.requester_phone or "", telegram_chat=chat)


def _date(moment: datetime | None) -> str:
    return formats.date_format(moment.astimezone(JAKARTA), "j F Y") if moment is not None else "-"


def _decision(request: InformationRequest) -> Decision | None:
    return Decision.objects.filter(request=request).first()


def _objection(request: InformationRequest) -> Objection | None:
    return Objection.objects.filter(request=request).first()


def message_lines(request: InformationRequest, event: RequestEvent) -> tuple[str, str, list[str]]:
    """(subject, short text for SMS/Telegram, lines for email) of one event."""
    number = request.registration_number or request.tracking_code
    body = request.body.name
    if event == RequestEvent.REGISTERED:
        short = _(
            "SIKIM: your request for information to %(body)s was registered as %(number)s. Decision due by "
            "%(due)s. Tracking code %(code)s."
        ) % {"body": body, "number": number, "due": _date(request.decision_due), "code": request.tracking_code}
        subject = _("Request %(number)s registered") % {"number": number}
        lines = [
            short,
            _("The law gives the body 10 working days to decide, and one extension of at most 7 working days."),
        ]
    elif event == RequestEvent.EXTENDED:
        reason = request.extension_reason
        short = _("SIKIM %(number)s: %(body)s extended the deadline to %(due)s. Reason: %(reason)s") % {
            "number": number,
            "body": body,
            "due": _date(request.extended_due),
            "reason": reason if len(reason) <= SMS_REASON_MAX else reason[: SMS_REASON_MAX - 1] + "…",
        }
        subject = _("Request %(number)s: deadline extended to %(due)s") % {
            "number": number,
            "due": _date(request.extended_due),
        }
        lines = [
            _("%(body)s extended the deadline of your request %(number)s to %(due)s.")
            % {"body": body, "number": number, "due": _date(request.extended_due)},
            _("Reason: %(reason)s") % {"reason": reason},
        ]
    elif event == RequestEvent.DECIDED:
        decision = _decision(request)
        outcome = decision.get_outcome_display() if decision is not None else ""
        closes = (
            deadlines.objection_window_after_decision(kip_calendar(), decision.decided_at)
            if decision is not None
            else None
        )
        short = _("SIKIM %(number)s: %(body)s decided: %(outcome)s. You may object by %(date)s.") % {
            "number": number,
            "body": body,
            "outcome": outcome,
            "date": _date(closes),
        }
        subject = _("Request %(number)s decided: %(outcome)s") % {"number": number, "outcome": outcome}
        lines = [
            short,
            _("The decision and the documents given to you are on the tracking page."),
        ]
    else:
        objection = _objection(request)
        closes = (
            deadlines.dispute_window_after_answer(kip_calendar(), objection.answered_at)
            if objection is not None and objection.answered_at is not None
            else None
        )
        short = _(
            "SIKIM %(number)s: the atasan PPID answered your objection. Not satisfied? You may take it to the "
            "Information Commission by %(date)s."
        ) % {"number": number, "date": _date(closes)}
        subject = _("Request %(number)s: your objection was answered") % {"number": number}
        lines = [short, _("The answer is on the tracking page.")]
    return str(subject), str(short), [str(line) for line in lines]


def notify_requester(request: InformationRequest, event: RequestEvent) -> list[Sent]:
    """Tell the requester about `event`: email (else SMS), and Telegram when linked and agreed."""
    addresses = requester_addresses(request)
    link = tracking_url(request.tracking_code)
    key = f"kip-request-{request.pk}-{event}"
    sent: list[Sent] = []
    with translation.override(settings.LANGUAGE_CODE):
        subject, short, lines = message_lines(request, event)
        if addresses.email:
            if send_notice("email", notice_email(addresses.email, subject, lines, link, key), topic=TOPIC):
                sent.append(Sent("email", addresses.email))
        elif addresses.phone:
            sms = OutgoingMessage(
                address=addresses.phone, subject="", text=short, link=link, options={"reference": f"sikim-{key}"}
            )
            if send_notice("sms", sms, topic=TOPIC):
                sent.append(Sent("sms", addresses.phone))
        if addresses.telegram_chat:
            message = OutgoingMessage(address=addresses.telegram_chat, subject="", text=short, link=link)
            if send_notice("telegram", message, topic=TOPIC):
                sent.append(Sent("telegram", addresses.telegram_chat))
    return sent


# --- the task enqueued on commit ---------------------------------------------------------------
@task()
def request_notify(request_id: int, event: str) -> int:
    """Tell the requester about one event of their request; returns how many messages went out."""
    if event not in {e.value for e in RequestEvent}:
        return 0
    request = InformationRequest.objects.select_related("body", "requester_user").filter(pk=request_id).first()
    if request is None:
        return 0
    return len(notify_requester(request, RequestEvent(event)))


def request_notify_after_commit(request_id: int, event: str) -> None:
    """Called by the services inside their transaction: send the notice after the commit, as a
    durable task (a worker that dies mid-send does not lose it)."""
    enqueue_after_commit(request_notify, request_id, str(event))
