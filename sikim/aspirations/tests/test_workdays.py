"""Working-day deadlines on the real Indonesian calendars (public holidays and cuti bersama)."""

from datetime import date, datetime

import pytest

from sikim.aspirations.workdays import (
    JAKARTA,
    add_working_days,
    day_of_receipt,
    holiday_name,
    is_working_day,
    working_days_between,
)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


def test_the_calendar_knows_lebaran_2026_and_its_cuti_bersama():
    # Nyepi (19 March) with cuti bersama on 18 March; Idul Fitri 1447 H on 21–22 March with
    # cuti bersama on 20, 23 and 24 March (SKB 3 Menteri 2026).
    assert "Nyepi" in holiday_name(date(2026, 3, 19))
    assert "Cuti Bersama" in holiday_name(date(2026, 3, 18))
    assert "Idul Fitri" in holiday_name(date(2026, 3, 21))
    assert "Idul Fitri" in holiday_name(date(2026, 3, 22))
    for day in (20, 23, 24):
        assert holiday_name(date(2026, 3, day)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert [d for d in range(16, 28) if is_working_day(date(2026, 3, d))] == [16, 17, 25, 26, 27]


def test_submitted_before_lebaran_2026_is_due_after_the_holidays():
    submitted = wib(2026, 3, 17, 10, 0)  # Tuesday, the last working day before the long break
    assert add_working_days(submitted, 3) == wib(2026, 3, 27, 23, 59, 59)  # 25, 26, 27 March
    assert add_working_days(submitted, 5) == wib(2026, 3, 31, 23, 59, 59)  # … 30, 31 March
    assert add_working_days(submitted, 10) == wib(2026, 4, 8, 23, 59, 59)  # Good Friday (3 April) skipped


def test_after_office_hours_counts_from_the_next_working_day():
    evening = wib(2026, 3, 17, 17, 30)  # after 16:00: received on Wednesday 25 March
    assert day_of_receipt(evening) == date(2026, 3, 25)
    assert add_working_days(evening, 3) == wib(2026, 3, 30, 23, 59, 59)  # 26, 27, 30
    on_lebaran = wib(2026, 3, 21, 8, 0)
    assert add_working_days(on_lebaran, 1) == wib(2026, 3, 26, 23, 59, 59)


def test_christmas_and_new_year_2026_27():
    # 24 Dec 2026 cuti bersama Natal, 25 Dec Natal, 1 Jan 2027 Tahun Baru, 5 Jan 2027 Isra Mikraj.
    assert holiday_name(date(2026, 12, 24)) == "Cuti Bersama Hari Raya Natal"
    assert "Isra Mikraj" in holiday_name(date(2027, 1, 5))
    submitted = wib(2026, 12, 23, 9, 0)
    assert add_working_days(submitted, 3) == wib(2026, 12, 30, 23, 59, 59)  # 28, 29, 30
    assert add_working_days(submitted, 5) == wib(2027, 1, 4, 23, 59, 59)  # 31 Dec, then Monday 4 January
    # 4, then 6, 7, 8, 11, 12 January (Tuesday 5 January is Isra Mikraj)
    assert add_working_days(submitted, 10) == wib(2027, 1, 12, 23, 59, 59)


def test_times_are_read_in_wib_whatever_zone_they_come_in():
    from zoneinfo import ZoneInfo

    utc_evening = datetime(2026, 2, 2, 10, 0, tzinfo=ZoneInfo("UTC"))  # 17:00 WIB, after closing
    assert day_of_receipt(utc_evening) == date(2026, 2, 3)


def test_bad_arguments():
    with pytest.raises(ValueError, match="aware"):
        add_working_days(datetime(2026, 1, 5, 9, 0), 3)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError):
        add_working_days(wib(2026, 1, 5, 9, 0), -1)


def test_working_days_between():
    assert working_days_between(wib(2026, 3, 17, 10, 0), wib(2026, 3, 27, 12, 0)) == 3
    assert working_days_between(wib(2026, 2, 2, 9, 0), wib(2026, 2, 2, 15, 0)) == 0
