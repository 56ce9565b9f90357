"""The KIP working-day calendar as it is set now: cuti bersama on or off, added and removed dates."""

from sikim.core.workdays import WorkCalendar
from sikim.kip.models import CalendarOverride, CalendarSettings, OverrideKind


def calendar_settings() -> CalendarSettings:
    """The one settings row (the defaults until an administrator saves it)."""
    found = CalendarSettings.objects.filter(pk=CalendarSettings.SINGLETON_PK).first()
    return found or CalendarSettings(pk=CalendarSettings.SINGLETON_PK)


def kip_calendar() -> WorkCalendar:
    settings = calendar_settings()
    added: dict = {}
    removed = set()
    for override in CalendarOverride.objects.all():
        if override.kind == OverrideKind.DAY_OFF:
            added[override.date] = override.reason
        else:
            removed.add(override.date)
    return WorkCalendar(cuti_bersama_off=settings.cuti_bersama_off, added=added, removed=frozenset(removed))
