"""Statistics per body and per region, in the reader's scope, without personal data."""

import pytest

from sikim.kip.selectors.stats import stats_by_body, stats_for_region
from sikim.kip.services.requests import request_decide, request_extend
from sikim.kip.tests.conftest import wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def history(file, ppid_ekasari, ppid_dinkes, dinkes_jembrana, dinkes_banjarbaru):
    on_time = file()
    request_decide(actor=ppid_ekasari, request=on_time, outcome="granted_full", now=wib(2026, 3, 27, 10))  # 3 days
    extended = file()
    request_extend(actor=ppid_ekasari, request=extended, reason="Perlu dipilah dari arsip.", now=wib(2026, 4, 1))
    request_decide(  # 14 working days, inside the extension
        actor=ppid_ekasari,
        request=extended,
        outcome="refused",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 4, 14, 10),
    )
    late = file(body=dinkes_jembrana)
    request_decide(
        actor=ppid_dinkes,
        request=late,
        outcome="granted_partial",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 4, 10, 10),
    )  # 12 days, not extended: late
    file()  # undecided
    file(body=dinkes_banjarbaru)  # another province


def test_stats_for_a_pembina_of_the_kabupaten(history, outsider):
    total = stats_for_region(outsider, "51.01", year=2026)
    assert (total.requests, total.decided, total.undecided) == (4, 3, 1)
    assert (total.granted, total.refused, total.not_held) == (2, 1, 0)
    assert total.on_time == 2 and total.on_time_rate == pytest.approx(2 / 3)
    assert total.median_days == 12
    lines = {body.name: stats for body, stats in stats_by_body(outsider, year=2026)}
    assert set(lines) == {"Pemerintah Desa Ekasari", "Dinas Kesehatan Kabupaten Jembrana"}
    assert lines["Pemerintah Desa Ekasari"].requests == 3
    assert lines["Pemerintah Desa Ekasari"].on_time_rate == 1.0


def test_stats_stay_in_scope(history, ppid_ekasari, pembina_banjarbaru, national_admin, stranger):
    assert [body.name for body, _ in stats_by_body(ppid_ekasari)] == ["Pemerintah Desa Ekasari"]
    assert [body.name for body, _ in stats_by_body(pembina_banjarbaru)] == ["Dinas Kesehatan Kota Banjarbaru"]
    assert stats_for_region(pembina_banjarbaru, "51.01").requests == 0
    assert len(stats_by_body(national_admin)) == 3
    assert stats_by_body(stranger) == []
    assert stats_for_region(national_admin, "51", year=2027).requests == 0
