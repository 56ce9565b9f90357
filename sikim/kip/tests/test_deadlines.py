"""UU 14/2008 deadlines on the real 2026 and 2027 calendars, with and without cuti bersama,
with dates an administrator adds and removes."""

from datetime import date

import pytest

from sikim.core.workdays import WorkCalendar
from sikim.kip import deadlines
from sikim.kip.models import CalendarOverride, CalendarSettings, OverrideKind
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.tests.conftest import BEFORE_LEBARAN, end_of, wib

WITH_CB = WorkCalendar()
WITHOUT_CB = WorkCalendar(cuti_bersama_off=False)


@pytest.mark.parametrize(
    ("received", "calendar", "due"),
    [
        # 18 Mar cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama, 21–22 Idul Fitri, 23–24 cuti bersama,
        # 3 April Good Friday: 25, 26, 27, 30, 31 March, 1, 2, 6, 7, 8 April.
        (BEFORE_LEBARAN, WITH_CB, end_of(2026, 4, 8)),
        # Cuti bersama worked: 18, 20, 23, 24, 25, 26, 27, 30, 31 March, 1 April.
        (BEFORE_LEBARAN, WITHOUT_CB, end_of(2026, 4, 1)),
        # After 16:00 counts from the next working day (25 March): 26 March … 9 April.
        (wib(2026, 3, 17, 16, 30), WITH_CB, end_of(2026, 4, 9)),
        # Lebaran 2027: 8 Mar Nyepi, 9 cuti bersama, 10–11 Idul Fitri, 12 and 15 cuti bersama,
        # 25 cuti bersama Wafat Yesus Kristus, 26 Wafat Yesus Kristus.
        (wib(2027, 3, 5, 9, 0), WITH_CB, end_of(2027, 3, 31)),
        (wib(2027, 3, 5, 9, 0), WITHOUT_CB, end_of(2027, 3, 24)),
        # Year end 2026: 24 Dec cuti bersama, 25 Natal, 1 Jan Tahun Baru, 5 Jan 2027 Isra Mikraj.
        (wib(2026, 12, 23, 9, 0), WITH_CB, end_of(2027, 1, 12)),
        (wib(2026, 12, 23, 9, 0), WITHOUT_CB, end_of(2027, 1, 11)),
        # Year end 2027: 24 Dec cuti bersama (Friday), 25–26 on the weekend, 1 Jan 2028 a Saturday.
        (wib(2027, 12, 23, 10, 0), WITH_CB, end_of(2028, 1, 7)),
        (wib(2027, 12, 23, 10, 0), WITHOUT_CB, end_of(2028, 1, 6)),
        # Received on a holiday (Idul Fitri, Saturday 21 March 2026): counted from Wednesday 25 March.
        (wib(2026, 3, 21, 8, 0), WITH_CB, end_of(2026, 4, 9)),
    ],
)
def test_decision_due_in_10_working_days(received, calendar, due):
    assert deadlines.decision_due(calendar, received) == due


def test_extension_is_7_working_days_after_the_original_due_day():
    # Received Thursday 5 March 2026: due 26 March (Nyepi and Lebaran skipped); extended to
    # 27, 30, 31 March, 1, 2, 6, 7 April (Good Friday skipped).
    received = wib(2026, 3, 5, 9, 0)
    due = deadlines.decision_due(WITH_CB, received)
    assert due == end_of(2026, 3, 26)
    assert deadlines.extended_due(WITH_CB, due) == end_of(2026, 4, 7)
    # Without cuti bersama: 6, 9–13, 16, 17, 18, 20 March (only Nyepi, 19 March, is off), then
    # 23, 24, 25, 26, 27, 30, 31 March.
    due = deadlines.decision_due(WITHOUT_CB, received)
    assert due == end_of(2026, 3, 20)
    assert deadlines.extended_due(WITHOUT_CB, due) == end_of(2026, 3, 31)


def test_objection_answer_and_dispute_windows():
    decided = wib(2026, 4, 8, 14, 0)  # Wednesday
    # 30 working days from 9 April 2026: 16 in April, then May 4–8, 11–13 (14 Ascension and 15 cuti
    # bersama off), 18–22, 25.
    assert deadlines.objection_window_after_decision(WITH_CB, decided) == end_of(2026, 5, 25)
    # Without cuti bersama 15 May is worked: the 30th day is Friday 22 May.
    assert deadlines.objection_window_after_decision(WITHOUT_CB, decided) == end_of(2026, 5, 22)
    # No decision: counted from the day after the deadline in force (8 April 2026).
    assert deadlines.objection_window_after_deadline(WITH_CB, end_of(2026, 4, 8)) == end_of(2026, 5, 25)
    # Objection on Monday 4 May: 30 working days skipping 14–15 May, 27–28 May (Idul Adha and cuti
    # bersama), 1 June (Pancasila) and 16 June (Islamic New Year).
    filed = wib(2026, 5, 4, 9, 0)
    assert deadlines.objection_answer_due(WITH_CB, filed) == end_of(2026, 6, 23)
    # Answer on 23 June: 14 working days, 24 June … 13 July.
    answered = wib(2026, 6, 23, 15, 0)
    assert deadlines.dispute_window_after_answer(WITH_CB, answered) == end_of(2026, 7, 13)
    assert deadlines.dispute_window_after_deadline(WITH_CB, end_of(2026, 6, 23)) == end_of(2026, 7, 13)


@pytest.mark.django_db
def test_the_kip_calendar_follows_its_settings_and_overrides():
    assert kip_calendar().cuti_bersama_off is True  # the default, before anyone saves the settings
    assert deadlines.decision_due(kip_calendar(), BEFORE_LEBARAN) == end_of(2026, 4, 8)
    # An admin-added day off (a regional holiday on Thursday 26 March) pushes the deadline a day.
    CalendarOverride.objects.create(date=date(2026, 3, 26), kind=OverrideKind.DAY_OFF, reason="Pilkada serentak")
    assert kip_calendar().holiday_name(date(2026, 3, 26)) == "Pilkada serentak"
    assert deadlines.decision_due(kip_calendar(), BEFORE_LEBARAN) == end_of(2026, 4, 9)
    # An admin-removed date (the cuti bersama of 24 March cancelled) pulls it back by a day.
    CalendarOverride.objects.create(
        date=date(2026, 3, 24), kind=OverrideKind.WORKING_DAY, reason="Cuti bersama dibatalkan"
    )
    assert deadlines.decision_due(kip_calendar(), BEFORE_LEBARAN) == end_of(2026, 4, 8)
    CalendarOverride.objects.filter(date=date(2026, 3, 26)).delete()
    assert deadlines.decision_due(kip_calendar(), BEFORE_LEBARAN) == end_of(2026, 4, 7)
    # Cuti bersama worked: only the public holidays are off.
    CalendarOverride.objects.all().delete()
    CalendarSettings.objects.create(pk=1, cuti_bersama_off=False)
    assert deadlines.decision_due(kip_calendar(), BEFORE_LEBARAN) == end_of(2026, 4, 1)


def test_a_removed_holiday_on_a_weekend_stays_a_day_off():
    calendar = WorkCalendar(removed=frozenset({date(2026, 3, 21)}))
    assert not calendar.is_working_day(date(2026, 3, 21))
    assert calendar.holiday_name(date(2026, 3, 21)) is None
