"""Working days in Indonesia, for service-level deadlines (a pure module: no database).

A working day is Monday to Friday, except national public holidays and the government's
joint leave days (cuti bersama), as the `holidays` package lists them for Indonesia
(`categories=("public", "government")`).

The rule for a deadline of n working days from a moment `start` (LAPOR! SP4N counts the same way):

1. The moment is read in Asia/Jakarta (WIB), for every province.
2. The day of receipt is the day of `start` if it is a working day and `start` is before the
   office closes (16:00); otherwise — after 16:00, on a weekend, a holiday or cuti bersama —
   the aspiration counts as received on the next working day.
3. Counting starts on the working day after the day of receipt; the deadline is the end
   (23:59:59) of the n-th working day.

So something submitted on Tuesday at 10:00 with 3 working days is due at the end of Friday;
submitted on Tuesday at 17:00, it is received on Wednesday and due at the end of Monday.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import holidays

JAKARTA: Final = ZoneInfo("Asia/Jakarta")
OFFICE_CLOSES: Final = time(16, 0)
END_OF_DAY: Final = time(23, 59, 59)
HOLIDAY_CATEGORIES: Final = ("public", "government")
MAX_WORKING_DAYS: Final = 366


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> dict[date, str]:
    calendar = holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES)
    return dict(calendar.items())


def holiday_name(day: date) -> str | None:
    """The holiday or cuti bersama on `day`, if any (its Indonesian name)."""
    return _holidays_of(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def day_of_receipt(moment: datetime) -> date:
    """The working day on which something arriving at `moment` counts as received (rule 2)."""
    if moment.tzinfo is None:
        raise ValueError("A deadline needs an aware datetime.")
    local = moment.astimezone(JAKARTA)
    day = local.date()
    if is_working_day(day) and local.time() < OFFICE_CLOSES:
        return day
    return next_working_day(day)


def add_working_days(start: datetime, n: int) -> datetime:
    """The deadline n working days after `start` (rules above), as an aware datetime in WIB."""
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"Working days must be between 0 and {MAX_WORKING_DAYS}.")
    day = day_of_receipt(start)
    for _ in range(n):
        day = next_working_day(day)
    return datetime.combine(day, END_OF_DAY, tzinfo=JAKARTA)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days after the day of receipt of `start` up to and including `end`'s day."""
    first = day_of_receipt(start)
    last = end.astimezone(JAKARTA).date()
    count, day = 0, first
    while day < last:
        day = next_working_day(day)
        if day <= last:
            count += 1
    return count
