"""Working days in Indonesia, for statutory and service-level deadlines (a pure module: no database).

A working day is Monday to Friday, except national public holidays and — when the calendar
counts them — the government's joint leave days (cuti bersama), as the `holidays` package lists
them for Indonesia (category "public" for holidays, "government" for cuti bersama). A calendar
may also carry dates an administrator adds (a local holiday, an election day) or removes (a
cuti bersama that was cancelled): see `WorkCalendar`.

The rule for a deadline of n working days from a moment `start` (LAPOR! SP4N counts the same way,
and so do the UU 14/2008 deadlines of `sikim.kip`):

1. The moment is read in Asia/Jakarta (WIB), for every province.
2. The day of receipt is the day of `start` if it is a working day and `start` is before the
   office closes (16:00); otherwise — after 16:00, on a weekend, a holiday or cuti bersama —
   it counts as received on the next working day.
3. Counting starts on the working day after the day of receipt; the deadline is the end
   (23:59:59) of the n-th working day.

So something submitted on Tuesday at 10:00 with 3 working days is due at the end of Friday;
submitted on Tuesday at 17:00, it is received on Wednesday and due at the end of Monday.

The module-level functions use `DEFAULT_CALENDAR` (cuti bersama are days off, no overrides),
which is what `sikim.aspirations` uses.
"""

from dataclasses import dataclass, field
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
def _public_holidays_of(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year, categories=("public",)).items())


@lru_cache(maxsize=64)
def _cuti_bersama_of(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("ID", years=year, categories=("government",)).items())


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days.

    - `cuti_bersama_off`: cuti bersama count as days off (the default, as for civil servants);
    - `added`: extra days off (date → reason), e.g. a regional holiday or an election day;
    - `removed`: dates taken off the holiday list (they are working days unless they fall on a
      weekend), e.g. a cuti bersama the government cancelled.
    """

    cuti_bersama_off: bool = True
    added: dict[date, str] = field(default_factory=dict)
    removed: frozenset[date] = frozenset()

    def holiday_name(self, day: date) -> str | None:
        """The holiday, cuti bersama or added day off on `day`, if any (its Indonesian name)."""
        if day in self.added:
            return self.added[day]
        if day in self.removed:
            return None
        name = _public_holidays_of(day.year).get(day)
        if name is None and self.cuti_bersama_off:
            name = _cuti_bersama_of(day.year).get(day)
        return name

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def day_of_receipt(self, moment: datetime) -> date:
        """The working day on which something arriving at `moment` counts as received (rule 2)."""
        if moment.tzinfo is None:
            raise ValueError("A deadline needs an aware datetime.")
        local = moment.astimezone(JAKARTA)
        day = local.date()
        if self.is_working_day(day) and local.time() < OFFICE_CLOSES:
            return day
        return self.next_working_day(day)

    def working_day_after(self, day: date, n: int) -> date:
        """The n-th working day after `day` (counting starts the day after; `day` itself may be any day)."""
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise ValueError(f"Working days must be between 0 and {MAX_WORKING_DAYS}.")
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The deadline n working days after `start` (rules above), as an aware datetime in WIB."""
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise ValueError(f"Working days must be between 0 and {MAX_WORKING_DAYS}.")
        return end_of_day(self.working_day_after(self.day_of_receipt(start), n))

    def extend_deadline(self, due: datetime, n: int) -> datetime:
        """n working days more after the day of `due` ("n hari kerja berikutnya")."""
        if due.tzinfo is None:
            raise ValueError("A deadline needs an aware datetime.")
        return end_of_day(self.working_day_after(due.astimezone(JAKARTA).date(), n))

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days after the day of receipt of `start` up to and including `end`'s day."""
        first = self.day_of_receipt(start)
        last = end.astimezone(JAKARTA).date()
        count, day = 0, first
        while day < last:
            day = self.next_working_day(day)
            if day <= last:
                count += 1
        return count


def end_of_day(day: date) -> datetime:
    """23:59:59 WIB on `day`: a deadline falls at the end of its day."""
    return datetime.combine(day, END_OF_DAY, tzinfo=JAKARTA)


DEFAULT_CALENDAR: Final = WorkCalendar()


def holiday_name(day: date) -> str | None:
    """The holiday or cuti bersama on `day`, if any (its Indonesian name)."""
    return DEFAULT_CALENDAR.holiday_name(day)


def is_working_day(day: date) -> bool:
    return DEFAULT_CALENDAR.is_working_day(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    return DEFAULT_CALENDAR.next_working_day(day)


def day_of_receipt(moment: datetime) -> date:
    """The working day on which something arriving at `moment` counts as received (rule 2)."""
    return DEFAULT_CALENDAR.day_of_receipt(moment)


def add_working_days(start: datetime, n: int) -> datetime:
    """The deadline n working days after `start` (rules above), as an aware datetime in WIB."""
    return DEFAULT_CALENDAR.add_working_days(start, n)


def working_days_between(start: datetime, end: datetime) -> int:
    """Whole working days after the day of receipt of `start` up to and including `end`'s day."""
    return DEFAULT_CALENDAR.working_days_between(start, end)
