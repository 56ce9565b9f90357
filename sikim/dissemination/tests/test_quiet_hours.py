"""Quiet hours as pure functions: time zones by province, windows with and without midnight."""

from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ImproperlyConfigured

from sikim.dissemination.services.quiet_hours import (
    WIB,
    WIT,
    WITA,
    QuietWindow,
    configured_window,
    parse_window,
    quiet_until,
    zone_for_region,
)

NIGHT = QuietWindow(time(21), time(6))  # wraps midnight
AFTERNOON = QuietWindow(time(13), time(15, 30))


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("31.71.01.1001", WIB),  # DKI Jakarta
        ("11", WIB),  # Aceh
        ("61.01", WIB),  # Kalimantan Barat
        ("62.71", WIB),  # Kalimantan Tengah
        ("36", WIB),  # Banten
        ("63.72.05.1004", WITA),  # Kota Banjarbaru, Kalimantan Selatan
        ("51.01.04.2004", WITA),  # Jembrana, Bali
        ("52", WITA),
        ("53", WITA),
        ("64", WITA),
        ("65", WITA),
        ("71", WITA),
        ("72", WITA),
        ("73.71", WITA),  # Makassar
        ("74", WITA),
        ("75", WITA),
        ("76", WITA),
        ("81.71", WIT),  # Ambon
        ("82", WIT),
        ("91.71", WIT),  # Jayapura
        ("92", WIT),
        ("93", WIT),
        ("94", WIT),
        ("95", WIT),
        ("96", WIT),
        ("97", WIT),
        ("", WIB),  # unknown: the capital's time
    ],
)
def test_the_province_decides_the_time_zone(code, zone):
    assert zone_for_region(code) is zone


@pytest.mark.parametrize(
    ("value", "window"),
    [
        ("21:00-06:00", NIGHT),
        (" 21:00 - 06:00 ", NIGHT),
        ("13:00-15:30", AFTERNOON),
        ("7:05-8:00", QuietWindow(time(7, 5), time(8))),
        ("", None),
        ("   ", None),
        ("06:00-06:00", None),  # an empty window: off
    ],
)
def test_parse_window(value, window):
    assert parse_window(value) == window


@pytest.mark.parametrize("value", ["21-06", "21:00", "25:00-06:00", "21:00-06:75", "malam", "21:00-06:00-07:00"])
def test_a_malformed_window_is_refused(value):
    with pytest.raises(ValueError, match=r"\S"):
        parse_window(value)


def test_configured_window_reads_the_setting_and_fails_loudly(settings):
    settings.SIKIM_QUIET_HOURS = "22:00-05:00"
    assert configured_window() == QuietWindow(time(22), time(5))
    settings.SIKIM_QUIET_HOURS = ""
    assert configured_window() is None
    settings.SIKIM_QUIET_HOURS = "tengah malam"
    with pytest.raises(ImproperlyConfigured, match="SIKIM_QUIET_HOURS"):
        configured_window()


def _utc(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def test_outside_the_window_it_is_not_quiet():
    # 12:00 UTC is 19:00 WIB, 20:00 WITA, 21:00 WIT.
    assert quiet_until(NIGHT, _utc(12), WIB) is None
    assert quiet_until(NIGHT, _utc(12), WITA) is None
    assert quiet_until(None, _utc(16), WIB) is None  # quiet hours off


def test_the_same_moment_is_quiet_in_one_zone_and_not_in_another():
    # 13:30 UTC: 20:30 WIB (not yet quiet), 21:30 WITA and 22:30 WIT (quiet until 06:00 tomorrow).
    moment = _utc(13, 30)
    assert quiet_until(NIGHT, moment, WIB) is None
    assert quiet_until(NIGHT, moment, WITA) == datetime(2026, 3, 11, 6, tzinfo=WITA)
    assert quiet_until(NIGHT, moment, WIT) == datetime(2026, 3, 11, 6, tzinfo=WIT)


def test_evening_part_of_a_wrapping_window_ends_tomorrow_morning():
    until = quiet_until(NIGHT, datetime(2026, 3, 10, 23, 59, tzinfo=WIB), WIB)
    assert until == datetime(2026, 3, 11, 6, tzinfo=WIB)
    assert until is not None and until.astimezone(UTC) == _utc(23, day=10)


def test_morning_part_of_a_wrapping_window_ends_the_same_day():
    assert quiet_until(NIGHT, datetime(2026, 3, 11, 0, 0, tzinfo=WIT), WIT) == datetime(2026, 3, 11, 6, tzinfo=WIT)
    assert quiet_until(NIGHT, datetime(2026, 3, 11, 5, 59, tzinfo=WITA), WITA) == datetime(2026, 3, 11, 6, tzinfo=WITA)


def test_the_window_includes_its_start_and_excludes_its_end():
    assert quiet_until(NIGHT, datetime(2026, 3, 10, 21, 0, tzinfo=WIB), WIB) == datetime(2026, 3, 11, 6, tzinfo=WIB)
    assert quiet_until(NIGHT, datetime(2026, 3, 11, 6, 0, tzinfo=WIB), WIB) is None
    assert quiet_until(NIGHT, datetime(2026, 3, 10, 20, 59, tzinfo=WIB), WIB) is None


def test_a_window_within_one_day():
    assert quiet_until(AFTERNOON, datetime(2026, 3, 10, 14, tzinfo=WITA), WITA) == datetime(
        2026, 3, 10, 15, 30, tzinfo=WITA
    )
    assert quiet_until(AFTERNOON, datetime(2026, 3, 10, 15, 30, tzinfo=WITA), WITA) is None
    assert quiet_until(AFTERNOON, datetime(2026, 3, 10, 12, 59, tzinfo=WITA), WITA) is None


def test_the_end_is_reported_across_a_month_and_year_boundary():
    assert quiet_until(NIGHT, datetime(2026, 12, 31, 22, tzinfo=WIT), WIT) == datetime(2027, 1, 1, 6, tzinfo=WIT)
