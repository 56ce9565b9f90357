"""Writes around the public side of an aspiration: abuse reports, hiding a text, and supports ("dukung").

Anyone who can read a public text may report it as abusive (`abuse_report_submit`): one open
report per person and aspiration (an account, or a keyed hash of a device cookie). A moderator
(the pembina of the region, or the verifying KIM's pengurus through the moderation queue) hides
the text (it leaves the public lists; the case goes on) or dismisses the reports. Hiding
resolves every open report of the aspiration as "hidden". Everything is audited.

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
from sikim.accounts.models import User
from sikim.aspirations.models import (
    REPORT_NOTE_MAX_LENGTH,
    AbuseReason,
    AbuseReport,
    AbuseReportOutcome,
    Aspiration,
    AspirationEventKind,
    AspirationSupport,
    Visibility,
)
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.identity import is_own
from sikim.aspirations.services.common import audit, clean_text, lock, record_event, snapshot
from sikim.audit.services import audit_record

HIDDEN_REASON_MAX_LENGTH: Final = 300


def supporter_key_hash(raw_key: str) -> str:
    """A keyed SHA-256 of a device cookie or phone number: the raw value is never stored."""
    return hmac.new(settings.SECRET_KEY.encode(), raw_key.strip().encode(), hashlib.sha256).hexdigest()


def may_moderate(actor: Any, aspiration: Aspiration) -> bool:
    """The pembina of the region (MODERATE), or a moderator of abuse reports (HANDLE_REPORTS)."""
    return authz.can(actor, AspirationAction.MODERATE, aspiration) or authz.can(
        actor, AspirationAction.HANDLE_REPORTS, aspiration
    )


def _require_moderator(actor: Any, aspiration: Aspiration) -> None:
    if not may_moderate(actor, aspiration):
        raise PermissionDenied


def _resolve_open_reports(*, actor: Any, aspiration: Aspiration, outcome: str, now: datetime) -> int:
    return AbuseReport.objects.filter(aspiration=aspiration, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor if isinstance(actor, User) else None, outcome=outcome
    )


@transaction.atomic
def aspiration_hide(*, actor: Any, aspiration: Aspiration, reason: str, now: datetime | None = None) -> Aspiration:
    """Hide the texts of an aspiration from the public; its open abuse reports are resolved."""
    _require_moderator(actor, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    reason = " ".join(
        clean_text(
            reason, field="hidden_reason", max_length=HIDDEN_REASON_MAX_LENGTH, required=True, label=_("Give a reason.")
        ).split()
    )
    resolved = _resolve_open_reports(actor=actor, aspiration=aspiration, outcome=AbuseReportOutcome.HIDDEN, now=now)
    if aspiration.is_hidden:
        return aspiration
    before = snapshot(aspiration)
    aspiration.is_hidden, aspiration.hidden_reason = True, reason
    aspiration.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    record_event(aspiration, kind=AspirationEventKind.HIDDEN, actor=actor, now=now, note=reason, is_public=False)
    audit(actor=actor, action="hide", aspiration=aspiration, before=before)
    if resolved:
        audit_record(
            actor=actor,
            action="aspirations.abuse_reports_resolve",
            obj=aspiration,
            after={"outcome": AbuseReportOutcome.HIDDEN.value, "reports": resolved},
        )
    return aspiration


@transaction.atomic
def aspiration_unhide(*, actor: Any, aspiration: Aspiration, now: datetime | None = None) -> Aspiration:
    _require_moderator(actor, aspiration)
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


def may_report(aspiration: Aspiration) -> bool:
    """Only a text the public can read can be reported (not a confidential or hidden one)."""
    return aspiration.visibility != Visibility.CONFIDENTIAL and not aspiration.is_hidden


@transaction.atomic
def abuse_report_submit(
    *,
    actor: Any,
    aspiration: Aspiration,
    reason: str,
    note: str = "",
    reporter_key: str = "",
    correction_id: int | None = None,
    now: datetime | None = None,
) -> tuple[AbuseReport, bool]:
    """Report a public text as abusive; (the report, False) when this person's report is still open.

    Signed-in people report by account; others by `reporter_key` (a device cookie, hashed here).
    """
    now = now or timezone.now()
    signed_in = bool(getattr(actor, "is_authenticated", False))
    if not signed_in and not reporter_key.strip():
        raise PermissionDenied
    lock(aspiration)
    if not may_report(aspiration):
        raise ValidationError(_("This text is not shown in public, so it cannot be reported."))
    if signed_in and is_own(aspiration, actor):
        raise ValidationError(_("You cannot report your own aspiration."))
    if reason not in AbuseReason.values:
        raise ValidationError({"reason": _("Choose what is wrong with the text.")})
    note = " ".join(clean_text(note, field="note", max_length=REPORT_NOTE_MAX_LENGTH).split())
    correction = None
    if correction_id is not None:
        correction = aspiration.corrections.filter(pk=correction_id).first()
        if correction is None:
            raise ValidationError({"correction": _("This correction does not belong to the aspiration.")})
    key = "" if signed_in else supporter_key_hash(reporter_key)
    open_reports = AbuseReport.objects.filter(aspiration=aspiration, resolved_at__isnull=True)
    existing = (
        open_reports.filter(reporter=actor).first() if signed_in else open_reports.filter(reporter_key=key).first()
    )
    if existing is not None:
        return existing, False
    report = AbuseReport.objects.create(
        aspiration=aspiration,
        correction=correction,
        reason=reason,
        note=note,
        reporter=actor if signed_in else None,
        reporter_key=key,
        created_at=now,
    )
    audit_record(
        actor=actor,
        action="aspirations.abuse_report",
        obj=aspiration,
        after={"report": report.pk, "reason": reason, "correction": correction_id},
    )
    return report, True


@transaction.atomic
def abuse_reports_dismiss(*, actor: Any, aspiration: Aspiration, now: datetime | None = None) -> int:
    """The moderator finds nothing wrong: every open report of the aspiration is dismissed."""
    _require_moderator(actor, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    dismissed = _resolve_open_reports(actor=actor, aspiration=aspiration, outcome=AbuseReportOutcome.DISMISSED, now=now)
    if dismissed:
        audit_record(
            actor=actor,
            action="aspirations.abuse_reports_resolve",
            obj=aspiration,
            after={"outcome": AbuseReportOutcome.DISMISSED.value, "reports": dismissed},
        )
    return dismissed
