"""Quiet hours: normal-priority bulletins are not sent at night in the recipient's own time zone.

SIKIM_QUIET_HOURS is "HH:MM-HH:MM" in local time (it may wrap midnight, "21:00-06:00"); empty
switches quiet hours off, and so does a window whose start equals its end. Indonesia has three
time zones without daylight saving; the province (the first two digits of a Kemendagri region
code) decides which one a member lives in. Pure functions: no database, no clock of their own.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7: Sumatra, Java, West and Central Kalimantan
WITA = ZoneInfo("Asia/Makassar")  # UTC+8: Bali, Nusa Tenggara, South/East/North Kalimantan, Sulawesi
WIT = ZoneInfo("Asia/Jayapura")  # UTC+9: Maluku and Papua

WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96", "97"})

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def zone_for_region(region_code: str) -> ZoneInfo:
    """WIB, WITA or WIT for a region code ("63.72.05.1004" → WITA); WIB when the code is unknown."""
    province = region_code[:2]
    if province in WITA_PROVINCES:
        return WITA
    if province in WIT_PROVINCES:
        return WIT
    return WIB


@dataclass(frozen=True)
class QuietWindow:
    start: time
    end: time

    @property
    def wraps_midnight(self) -> bool:
        return self.end < self.start

    def contains(self, moment: time) -> bool:
        if self.wraps_midnight:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end


def parse_window(value: str) -> QuietWindow | None:
    """ "21:00-06:00" → a window; "" (or "06:00-06:00") → None, quiet hours off. Raises ValueError."""
    if not value.strip():
        return None
    match = _WINDOW.match(value)
    if match is None:
        raise ValueError(f"Quiet hours must look like 21:00-06:00, not {value!r}")
    start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
    start, end = time(start_h, start_m), time(end_h, end_m)  # raises ValueError for 25:00 or 10:75
    return None if start == end else QuietWindow(start, end)


def configured_window() -> QuietWindow | None:
    """The window of SIKIM_QUIET_HOURS; raises ImproperlyConfigured for a malformed value."""
    value = str(getattr(settings, "SIKIM_QUIET_HOURS", "") or "")
    try:
        return parse_window(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"SIKIM_QUIET_HOURS: {error}") from error


def quiet_until(window: QuietWindow | None, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When quiet hours end, if `now` (aware) is inside them in `zone`; None when it is not quiet."""
    if window is None:
        return None
    local = now.astimezone(zone)
    if not window.contains(local.time()):
        return None
    end_day: date = local.date()
    if window.wraps_midnight and local.time() >= window.start:
        end_day += timedelta(days=1)  # evening part of a window that ends tomorrow morning
    return datetime.combine(end_day, window.end, tzinfo=zone)
