"""Writes on the KIP calendar (national administrators) and the atasan PPID appointments (pembina)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.models import User
from sikim.audit.services import audit_record, model_snapshot
from sikim.kip.models import AtasanPpid, CalendarOverride, CalendarSettings
from sikim.kip.permissions import KipAction
from sikim.offices.models import GovernmentOffice


@transaction.atomic
def calendar_settings_save(*, actor: Any, cuti_bersama_off: bool) -> CalendarSettings:
    """Whether cuti bersama count as days off in KIP deadlines (new deadlines only; fixed ones stay)."""
    authz.require(actor, KipAction.MANAGE_CALENDAR)
    settings, _created = CalendarSettings.objects.get_or_create(pk=CalendarSettings.SINGLETON_PK)
    before = model_snapshot(settings, ["cuti_bersama_off"])
    settings.cuti_bersama_off = bool(cuti_bersama_off)
    settings.save()
    audit_record(
        actor=actor,
        action="kip.calendar.settings",
        obj=settings,
        before=before,
        after=model_snapshot(settings, ["cuti_bersama_off"]),
    )
    return settings


@transaction.atomic
def calendar_override_save(*, actor: Any, override: CalendarOverride) -> CalendarOverride:
    """Add a day off, or take a holiday off the list, on one date (with a reason)."""
    authz.require(actor, KipAction.MANAGE_CALENDAR)
    creating = override.pk is None
    before = None if creating else model_snapshot(CalendarOverride.objects.get(pk=override.pk))
    override.reason = (override.reason or "").strip()
    override.full_clean()
    override.save()
    audit_record(
        actor=actor,
        action="kip.calendar.override_create" if creating else "kip.calendar.override_update",
        obj=override,
        before=before,
        after=model_snapshot(override),
    )
    return override


@transaction.atomic
def calendar_override_delete(*, actor: Any, override: CalendarOverride) -> None:
    authz.require(actor, KipAction.MANAGE_CALENDAR)
    before = model_snapshot(override)
    audit_record(actor=actor, action="kip.calendar.override_delete", obj=override, before=before, after=None)
    override.delete()


@transaction.atomic
def atasan_appoint(
    *, actor: Any, body: GovernmentOffice, user: User, position: str = "", now: datetime | None = None
) -> AtasanPpid:
    """Name the body's atasan PPID (the previous one, if any, is revoked)."""
    now = now or timezone.now()
    if not authz.can(actor, KipAction.MANAGE_ATASAN, body):
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": _("Choose an active account.")})
    current = AtasanPpid.objects.select_for_update().filter(body=body, revoked_at__isnull=True).first()
    if current is not None and current.user_id == user.pk:
        return current
    if current is not None:
        current.revoked_at = now
        current.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action="kip.atasan.revoke", obj=current, before=None, after=model_snapshot(current))
    appointment = AtasanPpid.objects.create(body=body, user=user, position=position.strip()[:150], appointed_by=actor)
    audit_record(
        actor=actor, action="kip.atasan.appoint", obj=appointment, before=None, after=model_snapshot(appointment)
    )
    return appointment


@transaction.atomic
def atasan_revoke(*, actor: Any, appointment: AtasanPpid, now: datetime | None = None) -> AtasanPpid:
    if not authz.can(actor, KipAction.MANAGE_ATASAN, appointment):
        raise PermissionDenied
    if appointment.revoked_at is None:
        appointment.revoked_at = now or timezone.now()
        appointment.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor, action="kip.atasan.revoke", obj=appointment, before=None, after=model_snapshot(appointment)
        )
    return appointment
