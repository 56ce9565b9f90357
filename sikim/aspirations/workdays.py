"""Working days in Indonesia: moved to `sikim.core.workdays` (shared with `sikim.kip`).

This module re-exports the calendar with its default settings (public holidays and cuti
bersama are days off, no administrator overrides), which is what aspirations use.
"""

from sikim.core.workdays import (
    DEFAULT_CALENDAR,
    END_OF_DAY,
    HOLIDAY_CATEGORIES,
    JAKARTA,
    MAX_WORKING_DAYS,
    OFFICE_CLOSES,
    WorkCalendar,
    add_working_days,
    day_of_receipt,
    holiday_name,
    is_working_day,
    next_working_day,
    working_days_between,
)

__all__ = [
    "DEFAULT_CALENDAR",
    "END_OF_DAY",
    "HOLIDAY_CATEGORIES",
    "JAKARTA",
    "MAX_WORKING_DAYS",
    "OFFICE_CLOSES",
    "WorkCalendar",
    "add_working_days",
    "day_of_receipt",
    "holiday_name",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]
